// The kinesis receiver against kinesalite (a real Kinesis implementation) and, for answers
// kinesalite never gives (throttled records, KMS errors, echoed credentials), a local server on
// Kinesis' JSON 1.1 protocol. End to end: `run` with the replay source over the real events.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { startApp } from '../../src/app/app.ts';
import { createDeadLetterWriter } from '../../src/output/dead-letter.ts';
import { createOutput } from '../../src/output/output.ts';
import { createRenderer } from '../../src/output/payload.ts';
import { partitionKeyOf } from '../../src/receivers/aws-records/kinesis.ts';
import { createReceiver } from './create-receiver.ts';
import type { Payload, Receiver, SendResult } from '../../src/receivers/common/types.ts';
import { ManualClock } from '../../src/util/clock.ts';
import {
  configProblems,
  Counts,
  memoryLogger,
  receiverFromYaml,
  someEvents,
  until,
} from '../output/helpers.ts';
import {
  AWS_TEST_CREDENTIALS,
  Kinesalite,
  awsError,
  putRecordsAnswer,
  startAwsServer,
  useTestCredentials,
} from './aws-servers.ts';
import type { AwsAnswer, AwsServer } from './aws-servers.ts';
import { REAL_EVENTS_PATH } from '../support/real-events.ts';

const clock = new ManualClock(Date.UTC(2026, 0, 1));
const signal = new AbortController().signal;

function kinesis(yaml: string): { receiver: Receiver; payloads: (n: number, offset?: number) => Payload[] } {
  const config = receiverFromYaml(yaml);
  const receiver = createReceiver(config, { clock, logger: memoryLogger().logger });
  const render = createRenderer(config);
  return { receiver, payloads: (n, offset = 0) => someEvents(n, offset).map(render) };
}

function payload(id: string, bytes: number): Payload {
  const body = JSON.stringify({ id, pad: 'x'.repeat(Math.max(0, bytes - id.length - 18)) });
  return { id: `${id}-1`, body, bytes: Buffer.byteLength(body), templated: {} };
}

function summary(result: SendResult): unknown[] {
  switch (result.kind) {
    case 'ok':
      return ['ok'];
    case 'retry':
      return ['retry', result.reason, result.error.message];
    case 'drop':
      return ['drop', result.reason, result.error.message];
    case 'partial':
      return [
        'partial',
        result.retry,
        result.drop.map((d) => [d.index, d.reason, d.error.message]),
        result.reason,
      ];
  }
}

describe('kinesis config', () => {
  const cases: { name: string; item: string; problem: RegExp }[] = [
    {
      name: 'maxEvents above 500',
      item: '- name: k\n  kinesis: { streamName: s, region: eu-west-1 }\n  batch: { maxEvents: 501 }',
      problem: /batch\.maxEvents: 501 is above the kinesis limit of 500/,
    },
    {
      name: 'maxBytes above 5 MiB',
      item: '- name: k\n  kinesis: { streamName: s, region: eu-west-1 }\n  batch: { maxBytes: 5242881 }',
      problem: /batch\.maxBytes: 5242881 is above the kinesis limit of 5242880/,
    },
    {
      name: 'a stream name Kinesis refuses',
      item: '- name: k\n  kinesis: { streamName: "my stream", region: eu-west-1 }',
      problem: /kinesis\.streamName: must be 1-128 characters/,
    },
    {
      name: 'a partitionKey template that does not parse',
      item: '- name: k\n  kinesis: { streamName: s, partitionKey: "{{ .Reason" }',
      problem: /kinesis\.partitionKey/,
    },
    {
      name: 'an endpoint that is not a URL',
      item: '- name: k\n  kinesis: { streamName: s, endpoint: "localhost:4567" }',
      problem: /kinesis\.endpoint: must be an http/,
    },
  ];
  for (const c of cases) it(`rejects ${c.name}`, () => assert.match(configProblems(c.item), c.problem));

  it('accepts the exporter config (streamName, region, layout, sentUpdateEvent) and defaults to the API caps', () => {
    const config = receiverFromYaml(
      '- name: k\n  kinesis:\n    streamName: kube-events\n    region: us-west-2\n    sentUpdateEvent: true\n    layout: { reason: "{{ .Reason }}" }',
    );
    assert.deepEqual(config.batch, { maxEvents: 500, maxBytes: 5_242_880, flushIntervalMs: 1000 });
  });

  it('partition key: the uid, a rendered template, the uid again when it renders empty, cut at 256 characters', () => {
    const p = { id: '0b1c-77-3', body: '{}', bytes: 2, templated: {} };
    assert.equal(partitionKeyOf(p, false), '0b1c-77');
    assert.equal(partitionKeyOf({ ...p, templated: { partitionKey: 'kube-system' } }, true), 'kube-system');
    assert.equal(partitionKeyOf({ ...p, templated: { partitionKey: '' } }, true), '0b1c-77');
    assert.equal(
      partitionKeyOf({ ...p, templated: { partitionKey: 'é'.repeat(300) } }, true),
      'é'.repeat(256),
    );
  });
});

describe('kinesis against kinesalite', () => {
  let kl: Kinesalite;
  before(async () => {
    useTestCredentials();
    kl = await Kinesalite.start();
    await kl.createStream('events', 4);
    await kl.createStream('keyed', 2);
    await kl.createStream('big', 2);
  });
  after(() => kl.stop());

  it('puts a batch with PutRecords: every record readable with GetRecords, data = payload, key = uid', async () => {
    const { receiver, payloads } = kinesis(
      `- name: k\n  kinesis: { streamName: events, region: us-east-1, endpoint: "${kl.endpoint}" }`,
    );
    const batch = payloads(40);
    assert.deepEqual(await receiver.send(batch, signal), { kind: 'ok' });
    await receiver.close();
    const stored = await kl.readAll('events');
    assert.equal(stored.length, 40);
    const want = batch.map((p) => [p.id.replace(/-\d+$/, ''), p.body]).sort();
    assert.deepEqual(stored.map((r) => [r.partitionKey, r.data]).sort(), want);
    assert.ok(new Set(stored.map((r) => r.shardId)).size > 1, 'spread over shards by key');
  });

  it('uses the partitionKey template, and the uid where it renders empty', async () => {
    const { receiver, payloads } = kinesis(
      `- name: k\n  kinesis: { streamName: keyed, endpoint: "${kl.endpoint}", partitionKey: "{{ .InvolvedObject.Namespace }}" }`,
    );
    const batch = payloads(30, 100);
    assert.deepEqual(await receiver.send(batch, signal), { kind: 'ok' });
    await receiver.close();
    const events = someEvents(30, 100);
    const byData = new Map((await kl.readAll('keyed')).map((r) => [r.data, r.partitionKey]));
    batch.forEach((p, i) => {
      const ns = events[i]?.raw.involvedObject.namespace ?? '';
      assert.equal(byData.get(p.body), ns === '' ? events[i]?.raw.metadata.uid : ns);
    });
  });

  it('a batch whose data and keys pass 5 MiB is stored whole; a record above 1 MiB is dead-lettered with the reason', async () => {
    const { receiver } = kinesis(`- name: k\n  kinesis: { streamName: big, endpoint: "${kl.endpoint}" }`);
    // 400 × 13,100 bytes of data fits the output's 5 MiB batch, the partition keys push the call over.
    const batch = Array.from({ length: 400 }, (_, i) => payload(`uid-${String(i).padStart(4, '0')}`, 13_100));
    batch.splice(7, 0, payload('uid-huge', 1024 * 1024));
    const result = await receiver.send(batch, signal);
    await receiver.close();
    assert.deepEqual(summary(result), [
      'partial',
      [],
      [
        [
          7,
          'clientError',
          'record is 1048584 bytes (data and partition key), above the Kinesis limit of 1048576 per record',
        ],
      ],
      'serverError',
    ]);
    const stored = await kl.readAll('big');
    assert.equal(stored.length, 400);
    assert.deepEqual(
      new Set(stored.map((r) => r.partitionKey)),
      new Set(batch.filter((_, i) => i !== 7).map((p) => p.id.replace(/-1$/, ''))),
    );
  });

  it("a stream that does not exist: dead letter with Kinesis' message", async () => {
    const { receiver, payloads } = kinesis(
      `- name: k\n  kinesis: { streamName: missing, endpoint: "${kl.endpoint}" }`,
    );
    const result = await receiver.send(payloads(2), signal);
    await receiver.close();
    assert.deepEqual(summary(result).slice(0, 2), ['drop', 'clientError']);
    assert.match(
      summary(result)[2] as string,
      /^Kinesis PutRecords failed: ResourceNotFoundException \(HTTP 400\): .*missing/,
    );
  });
});

describe('kinesis answers (local server on the JSON 1.1 protocol)', () => {
  let server: AwsServer;
  before(async () => {
    useTestCredentials();
    server = await startAwsServer();
  });
  after(() => server.close());

  // 300 ms keeps the timeout case short; calls of megabytes get more, so a loaded machine does not time them out.
  const item = (timeoutMs = 300) =>
    `- name: k\n  kinesis: { streamName: s, region: us-east-1, endpoint: "${server.endpoint}", timeoutMs: ${timeoutMs} }`;

  async function answer(a: AwsAnswer | undefined, n = 1): Promise<SendResult> {
    server.handler = () => a;
    const { receiver, payloads } = kinesis(item());
    try {
      return await receiver.send(payloads(n), signal);
    } finally {
      await receiver.close();
    }
  }

  it('sends PutRecords to the configured endpoint, signed, with the stream name and base64 data', async () => {
    server.handler = () => putRecordsAnswer([undefined, undefined]);
    const before = server.requests.length;
    const { receiver, payloads } = kinesis(item());
    const batch = payloads(2);
    assert.deepEqual(await receiver.send(batch, signal), { kind: 'ok' });
    await receiver.close();
    const req = server.requests[before];
    assert.equal(req?.target, 'Kinesis_20131202.PutRecords');
    assert.equal(req?.body['StreamName'], 's');
    assert.deepEqual(
      req?.records.map((r) => r.data),
      batch.map((p) => p.body),
    );
    assert.match(
      String(req?.headers.authorization),
      /^AWS4-HMAC-SHA256 Credential=AKIAKERTEST7EXAMPLE1\/\d{8}\/us-east-1\/kinesis\/aws4_request/,
    );
  });

  it('splits a batch whose data and partition keys pass 5 MiB into calls within the cap', async () => {
    server.handler = (req) => putRecordsAnswer(req.records.map(() => undefined));
    const before = server.requests.length;
    const { receiver } = kinesis(item(10_000));
    // 400 × 13,100 bytes of data fits the output's 5 MiB batch; the 36-byte keys push a single call over.
    const batch = Array.from({ length: 400 }, (_, i) =>
      payload(`uid-${String(i).padStart(4, '0')}-aaaaaaaaaaaaaaaaaaaaaaaaaa`, 13_100),
    );
    assert.ok(batch.reduce((n, p) => n + p.bytes, 0) <= 5 * 1024 * 1024);
    assert.deepEqual(await receiver.send(batch, signal), { kind: 'ok' });
    await receiver.close();
    const calls = server.requests.slice(before);
    assert.equal(calls.length, 2);
    for (const call of calls)
      assert.ok(
        call.records.reduce(
          (n, r) => n + Buffer.byteLength(r.data) + Buffer.byteLength(r.partitionKey ?? ''),
          0,
        ) <=
          5 * 1024 * 1024,
      );
    assert.deepEqual(
      calls.flatMap((c) => c.records.map((r) => r.data)),
      batch.map((p) => p.body),
    );
  });

  const table: { scenario: string; answer: AwsAnswer | undefined; expected: unknown[] }[] = [
    { scenario: 'all stored', answer: putRecordsAnswer([undefined, undefined, undefined]), expected: ['ok'] },
    {
      scenario: 'ResourceNotFoundException',
      answer: awsError(400, 'ResourceNotFoundException', 'Stream s under account 111122223333 not found.'),
      expected: [
        'drop',
        'clientError',
        'Kinesis PutRecords failed: ResourceNotFoundException (HTTP 400): Stream s under account 111122223333 not found.',
      ],
    },
    {
      scenario: 'ValidationException',
      answer: awsError(400, 'ValidationException', '1 validation error detected'),
      expected: [
        'drop',
        'clientError',
        'Kinesis PutRecords failed: ValidationException (HTTP 400): 1 validation error detected',
      ],
    },
    {
      scenario: 'AccessDeniedException',
      answer: awsError(400, 'AccessDeniedException', 'User is not authorized to perform: kinesis:PutRecords'),
      expected: [
        'drop',
        'clientError',
        'Kinesis PutRecords failed: AccessDeniedException (HTTP 400): User is not authorized to perform: kinesis:PutRecords',
      ],
    },
    {
      scenario: 'whole call throttled',
      answer: awsError(400, 'ProvisionedThroughputExceededException', 'Rate exceeded'),
      expected: [
        'retry',
        'rateLimited',
        'Kinesis PutRecords failed: ProvisionedThroughputExceededException (HTTP 400): Rate exceeded',
      ],
    },
    {
      scenario: 'KMSThrottlingException',
      answer: awsError(400, 'KMSThrottlingException', 'KMS rate exceeded'),
      expected: [
        'retry',
        'rateLimited',
        'Kinesis PutRecords failed: KMSThrottlingException (HTTP 400): KMS rate exceeded',
      ],
    },
    {
      scenario: 'ExpiredTokenException',
      answer: awsError(400, 'ExpiredTokenException', 'The security token included in the request is expired'),
      expected: [
        'retry',
        'serverError',
        'Kinesis PutRecords failed: ExpiredTokenException (HTTP 400): The security token included in the request is expired',
      ],
    },
    {
      scenario: 'InternalFailure',
      answer: awsError(500, 'InternalFailure', 'Internal service failure.'),
      expected: [
        'retry',
        'serverError',
        'Kinesis PutRecords failed: InternalFailure (HTTP 500): Internal service failure.',
      ],
    },
    {
      scenario: '503 ServiceUnavailable',
      answer: awsError(503, 'ServiceUnavailable', 'Service unavailable'),
      expected: [
        'retry',
        'serverError',
        'Kinesis PutRecords failed: ServiceUnavailable (HTTP 503): Service unavailable',
      ],
    },
    {
      scenario: 'per-record ProvisionedThroughputExceeded and InternalFailure',
      answer: putRecordsAnswer([
        undefined,
        'ProvisionedThroughputExceededException',
        undefined,
        'InternalFailure',
      ]),
      expected: ['partial', [1, 3], [], 'rateLimited'],
    },
    {
      scenario: 'per-record KMS access denied',
      answer: putRecordsAnswer([undefined, 'KMSAccessDeniedException', undefined, undefined]),
      expected: [
        'partial',
        [],
        [[1, 'clientError', 'Kinesis record failed: KMSAccessDeniedException: Internal service failure.']],
        'serverError',
      ],
    },
  ];
  for (const c of table) {
    it(`classifies ${c.scenario}`, async () => {
      const n = c.answer?.status === 200 ? (c.answer.body as { Records: unknown[] }).Records.length : 1;
      assert.deepEqual(summary(await answer(c.answer, n)), c.expected);
    });
  }

  it('times out after timeoutMs, and a refused connection is a network retry', async () => {
    assert.deepEqual(summary(await answer(undefined)).slice(0, 2), ['retry', 'timeout']);
    const closed = await startAwsServer();
    await closed.close();
    const { receiver, payloads } = kinesis(
      `- name: k\n  kinesis: { streamName: s, region: us-east-1, endpoint: "${closed.endpoint}" }`,
    );
    const result = await receiver.send(payloads(1), signal);
    await receiver.close();
    assert.deepEqual(summary(result).slice(0, 2), ['retry', 'network']);
    assert.match(summary(result)[2] as string, /ECONNREFUSED/);
  });

  it('keeps the access key, secret key and session token out of errors even when the service echoes them', async () => {
    server.handler = (req) =>
      awsError(
        400,
        'UnrecognizedClientException',
        `Bad request ${String(req.headers.authorization)} token=${String(req.headers['x-amz-security-token'])} secret=${AWS_TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY}`,
      );
    const { receiver, payloads } = kinesis(item());
    const result = await receiver.send(payloads(1), signal);
    await receiver.close();
    assert.equal(result.kind, 'drop');
    const message = summary(result)[2] as string;
    assert.match(message, /UnrecognizedClientException/);
    for (const secret of Object.values(AWS_TEST_CREDENTIALS)) assert.ok(!message.includes(secret), message);
  });

  it('through an Output: only the records Kinesis refused are sent again, every event delivered once', async () => {
    const manual = new ManualClock();
    const { logger, text } = memoryLogger();
    const config = receiverFromYaml(
      `${item()}\n  batch: { maxEvents: 6, flushIntervalMs: 0 }\n  retry: { initialDelayMs: 100, maxDelayMs: 100 }`,
    );
    const receiver = createReceiver(config, { clock: manual, logger });
    const counts = new Counts();
    const output = createOutput(config, {
      receiver,
      deadLetter: createDeadLetterWriter({ clock: manual, logger }),
      clock: manual,
      logger,
      observer: counts,
      random: () => 1,
    });
    const events = someEvents(6, 200);
    const uids = events.map((e) => e.raw.metadata.uid ?? '');
    // Kinesis refuses two of the records once each (throughput exceeded on their shard).
    const refuseOnce = new Set([uids[1], uids[4]]);
    const accepted: string[] = [];
    const uidOf = (data: string) => (JSON.parse(data) as { metadata: { uid: string } }).metadata.uid;
    server.handler = (req) =>
      putRecordsAnswer(
        req.records.map((r) => {
          const uid = uidOf(r.data);
          if (refuseOnce.delete(uid)) return 'ProvisionedThroughputExceededException';
          accepted.push(uid);
          return undefined;
        }),
      );
    const before = server.requests.length;
    for (const e of events) await output.push(e);
    while (counts.settledN < 6) {
      await until(() => counts.settledN === 6 || manual.timers > 0, 'a send or a retry wait');
      if (counts.settledN < 6) await manual.advance(100);
    }
    await output.drain(1000);
    await receiver.close();
    const sent = server.requests.slice(before).flatMap((r) => r.records.map((x) => uidOf(x.data)));
    assert.deepEqual(
      [...sent].sort(),
      [...uids, ...[uids[1], uids[4]]].sort(),
      'the refused records went twice, the others once',
    );
    assert.deepEqual([...accepted].sort(), [...uids].sort(), 'each record stored exactly once');
    assert.equal(counts.count('delivered'), 6);
    for (const secret of Object.values(AWS_TEST_CREDENTIALS)) assert.ok(!text().includes(secret));
  });
});

describe('kinesis end to end: run with the replay source into kinesalite', () => {
  let kl: Kinesalite;
  let dir: string;
  before(async () => {
    useTestCredentials();
    kl = await Kinesalite.start();
    dir = mkdtempSync(join(tmpdir(), 'ker-kinesis-'));
  });
  after(async () => {
    await kl.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every routed event is in the stream exactly once, across all shards', async () => {
    const shards = await kl.createStream('kube-events', 4);
    assert.equal(shards.length, 4);
    const routed = join(dir, 'routed.ndjson');
    const configPath = join(dir, 'config.yaml');
    writeFileSync(
      configPath,
      [
        'route: { routes: [{ match: [{ receiver: kinesis }, { receiver: routed }] }] }',
        'receivers:',
        '  - name: kinesis',
        `    kinesis: { streamName: kube-events, region: us-east-1, endpoint: "${kl.endpoint}" }`,
        '    batch: { maxEvents: 100 }',
        '  - name: routed',
        `    file: { path: "${routed}" }`,
        '',
      ].join('\n'),
    );
    const silent = new Writable({ write: (_chunk, _enc, done) => done() });
    const app = await startApp({
      configPath,
      source: { kind: 'replay', path: REAL_EVENTS_PATH },
      metricsAddress: '',
      logDestination: silent,
    });
    const result = await app.done;
    assert.equal(result.deadLettered, 0);
    const routedLines = readFileSync(routed, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    assert.ok(routedLines.length > 800, `routed ${routedLines.length}`);
    assert.equal(result.accepted, routedLines.length);
    const stored = await kl.readAll('kube-events');
    assert.equal(stored.length, routedLines.length, 'none missing, none twice');
    assert.deepEqual(stored.map((r) => r.data).sort(), [...routedLines].sort());
    const occurrences = stored.map((r) => {
      const doc = JSON.parse(r.data) as {
        metadata: { uid?: string; namespace?: string; name: string };
        count?: number;
      };
      const uid = doc.metadata.uid ?? `${doc.metadata.namespace ?? ''}/${doc.metadata.name}`;
      assert.equal(r.partitionKey, uid);
      return `${uid}-${doc.count ?? 1}`;
    });
    assert.equal(new Set(occurrences).size, occurrences.length);
    assert.equal(new Set(stored.map((r) => r.shardId)).size, 4);
  });
});
