// The firehose receiver. kinesalite implements Kinesis Data Streams only (no Firehose API), and
// no Firehose emulator installs here: the tests use a local server on Firehose's documented
// JSON 1.1 API (`Firehose_20150804.PutRecordBatch`, `FailedPutCount`, per-record `ErrorCode`),
// driven by the real @aws-sdk/client-firehose, and `run` with the replay source end to end.
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
  awsError,
  putRecordBatchAnswer,
  startAwsServer,
  useTestCredentials,
} from './aws-servers.ts';
import type { AwsAnswer, AwsServer } from './aws-servers.ts';
import { REAL_EVENTS_PATH } from '../support/real-events.ts';

const clock = new ManualClock(Date.UTC(2026, 0, 1));
const signal = new AbortController().signal;

function firehose(yaml: string): { receiver: Receiver; payloads: (n: number, offset?: number) => Payload[] } {
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

describe('firehose config', () => {
  const cases: { name: string; item: string; problem: RegExp }[] = [
    {
      name: 'maxEvents above 500',
      item: '- name: f\n  firehose: { deliveryStreamName: d }\n  batch: { maxEvents: 600 }',
      problem: /batch\.maxEvents: 600 is above the firehose limit of 500/,
    },
    {
      name: 'maxBytes above 4 MiB',
      item: '- name: f\n  firehose: { deliveryStreamName: d }\n  batch: { maxBytes: 5242880 }',
      problem: /batch\.maxBytes: 5242880 is above the firehose limit of 4194304/,
    },
    {
      name: 'a delivery stream name Firehose refuses',
      item: '- name: f\n  firehose: { deliveryStreamName: "a/b" }',
      problem: /firehose\.deliveryStreamName: must be 1-64 characters/,
    },
    {
      name: 'a value of the wrong type',
      item: '- name: f\n  firehose: { deliveryStreamName: d, deDot: maybe }',
      problem: /firehose\.deDot: expected a boolean/,
    },
  ];
  for (const c of cases) it(`rejects ${c.name}`, () => assert.match(configProblems(c.item), c.problem));

  it('accepts the exporter config (deliveryStreamName, region, layout, deDot) with the API caps as defaults', () => {
    const config = receiverFromYaml(
      '- name: f\n  firehose:\n    deliveryStreamName: kube-events\n    region: eu-central-1\n    deDot: true\n    layout: { reason: "{{ .Reason }}" }',
    );
    assert.deepEqual(config.batch, { maxEvents: 500, maxBytes: 4_194_304, flushIntervalMs: 1000 });
  });
});

describe('firehose against a local server on the PutRecordBatch API', () => {
  let server: AwsServer;
  before(async () => {
    useTestCredentials();
    server = await startAwsServer();
  });
  after(() => server.close());

  // 300 ms keeps the timeout case short; calls of megabytes get more, so a loaded machine does not time them out.
  const item = (extra = '', timeoutMs = 300) =>
    `- name: f\n  firehose: { deliveryStreamName: kube-events, region: us-east-1, endpoint: "${server.endpoint}", timeoutMs: ${timeoutMs}${extra} }`;

  async function answer(a: AwsAnswer | undefined, n = 1): Promise<SendResult> {
    server.handler = () => a;
    const { receiver, payloads } = firehose(item());
    try {
      return await receiver.send(payloads(n), signal);
    } finally {
      await receiver.close();
    }
  }

  it('sends one PutRecordBatch per batch, each record a payload and a newline (NDJSON in S3)', async () => {
    server.handler = (req) => putRecordBatchAnswer(req.records.map(() => undefined));
    const before = server.requests.length;
    const { receiver, payloads } = firehose(item());
    const batch = payloads(5);
    assert.deepEqual(await receiver.send(batch, signal), { kind: 'ok' });
    await receiver.close();
    const req = server.requests[before];
    assert.equal(server.requests.length, before + 1);
    assert.equal(req?.target, 'Firehose_20150804.PutRecordBatch');
    assert.equal(req?.body['DeliveryStreamName'], 'kube-events');
    assert.deepEqual(
      req?.records.map((r) => r.data),
      batch.map((p) => `${p.body}\n`),
    );
    assert.match(
      String(req?.headers.authorization),
      /Credential=AKIAKERTEST7EXAMPLE1\/\d{8}\/us-east-1\/firehose\/aws4_request/,
    );
  });

  it('appendNewline: false sends the payload alone; deDot replaces dots in label keys', async () => {
    server.handler = (req) => putRecordBatchAnswer(req.records.map(() => undefined));
    const before = server.requests.length;
    const { receiver } = firehose(item(', appendNewline: false, deDot: true'));
    const event = someEvents(934).find((e) =>
      Object.keys(e.raw.metadata.labels ?? {}).some((k) => k.includes('.')),
    );
    const config = receiverFromYaml(item(', appendNewline: false, deDot: true'));
    const p = event === undefined ? payload('x', 10) : createRenderer(config)(event);
    assert.deepEqual(await receiver.send([p], signal), { kind: 'ok' });
    await receiver.close();
    const data = server.requests[before]?.records[0]?.data ?? '';
    assert.equal(data, p.body);
    if (event !== undefined)
      assert.ok(
        !Object.keys((JSON.parse(data) as { metadata: { labels: object } }).metadata.labels).some((k) =>
          k.includes('.'),
        ),
      );
  });

  it('splits a batch above 4 MiB into calls within the cap; a record above 1,000 KiB is dead-lettered with the reason', async () => {
    server.handler = (req) => putRecordBatchAnswer(req.records.map(() => undefined));
    const before = server.requests.length;
    const { receiver } = firehose(item('', 10_000));
    const batch = Array.from({ length: 500 }, (_, i) => payload(`r${i}`, 10_000));
    batch.splice(3, 0, payload('huge', 1000 * 1024));
    const result = await receiver.send(batch, signal);
    await receiver.close();
    assert.deepEqual(summary(result), [
      'partial',
      [],
      [[3, 'clientError', 'record is 1024001 bytes, above the Firehose limit of 1024000 per record']],
      'serverError',
    ]);
    const calls = server.requests.slice(before);
    assert.equal(calls.length, 2);
    for (const call of calls)
      assert.ok(call.records.reduce((n, r) => n + Buffer.byteLength(r.data), 0) <= 4 * 1024 * 1024);
    assert.equal(calls.flatMap((c) => c.records).length, 500);
  });

  const table: { scenario: string; answer: AwsAnswer | undefined; n?: number; expected: unknown[] }[] = [
    { scenario: 'all stored', answer: putRecordBatchAnswer([undefined, undefined]), n: 2, expected: ['ok'] },
    {
      scenario: 'ResourceNotFoundException',
      answer: awsError(
        400,
        'ResourceNotFoundException',
        'Firehose kube-events under account 111122223333 not found.',
      ),
      expected: [
        'drop',
        'clientError',
        'Firehose PutRecordBatch failed: ResourceNotFoundException (HTTP 400): Firehose kube-events under account 111122223333 not found.',
      ],
    },
    {
      scenario: 'InvalidArgumentException',
      answer: awsError(400, 'InvalidArgumentException', 'Record size exceeds limit'),
      expected: [
        'drop',
        'clientError',
        'Firehose PutRecordBatch failed: InvalidArgumentException (HTTP 400): Record size exceeds limit',
      ],
    },
    {
      scenario: 'InvalidKMSResourceException',
      answer: awsError(400, 'InvalidKMSResourceException', 'KMS key disabled'),
      expected: [
        'drop',
        'clientError',
        'Firehose PutRecordBatch failed: InvalidKMSResourceException (HTTP 400): KMS key disabled',
      ],
    },
    {
      scenario: 'whole call ServiceUnavailableException (throughput)',
      answer: awsError(400, 'ServiceUnavailableException', 'Slow down.'),
      expected: [
        'retry',
        'rateLimited',
        'Firehose PutRecordBatch failed: ServiceUnavailableException (HTTP 400): Slow down.',
      ],
    },
    {
      scenario: '500 InternalFailure',
      answer: awsError(500, 'InternalFailure', 'Internal failure'),
      expected: [
        'retry',
        'serverError',
        'Firehose PutRecordBatch failed: InternalFailure (HTTP 500): Internal failure',
      ],
    },
    {
      scenario: 'per-record ServiceUnavailable and InternalFailure',
      answer: putRecordBatchAnswer(['ServiceUnavailableException', undefined, 'InternalFailure']),
      n: 3,
      expected: ['partial', [0, 2], [], 'rateLimited'],
    },
    {
      scenario: 'per-record InternalFailure only',
      answer: putRecordBatchAnswer([undefined, 'InternalFailure']),
      n: 2,
      expected: ['partial', [1], [], 'serverError'],
    },
  ];
  for (const c of table)
    it(`classifies ${c.scenario}`, async () =>
      assert.deepEqual(summary(await answer(c.answer, c.n)), c.expected));

  it('times out after timeoutMs', async () => {
    assert.deepEqual(summary(await answer(undefined)).slice(0, 2), ['retry', 'timeout']);
  });

  it('keeps the AWS credentials out of errors even when the service echoes the request', async () => {
    server.handler = (req) =>
      awsError(
        403,
        'AccessDeniedException',
        `denied for ${String(req.headers.authorization)} with ${String(req.headers['x-amz-security-token'])}`,
      );
    const { receiver, payloads } = firehose(item());
    const result = await receiver.send(payloads(1), signal);
    await receiver.close();
    const message = summary(result)[2] as string;
    assert.match(
      message,
      /^Firehose PutRecordBatch failed: AccessDeniedException \(HTTP 403\): denied for AWS4-HMAC-SHA256 Credential=\[Redacted\]/,
    );
    for (const secret of Object.values(AWS_TEST_CREDENTIALS)) assert.ok(!message.includes(secret), message);
  });

  it('through an Output: only the records Firehose refused are sent again', async () => {
    const manual = new ManualClock();
    const { logger, text } = memoryLogger();
    const config = receiverFromYaml(
      `${item()}\n  batch: { maxEvents: 5, flushIntervalMs: 0 }\n  retry: { initialDelayMs: 100, maxDelayMs: 100 }`,
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
    const events = someEvents(5, 300);
    const uids = events.map((e) => e.raw.metadata.uid ?? '');
    const refuseOnce = new Set([uids[0], uids[3]]);
    const accepted: string[] = [];
    const uidOf = (data: string) => (JSON.parse(data) as { metadata: { uid: string } }).metadata.uid;
    server.handler = (req) =>
      putRecordBatchAnswer(
        req.records.map((r) => {
          const uid = uidOf(r.data);
          if (refuseOnce.delete(uid)) return 'ServiceUnavailableException';
          accepted.push(uid);
          return undefined;
        }),
      );
    const before = server.requests.length;
    for (const e of events) await output.push(e);
    while (counts.settledN < 5) {
      await until(() => counts.settledN === 5 || manual.timers > 0, 'a send or a retry wait');
      if (counts.settledN < 5) await manual.advance(100);
    }
    await output.drain(1000);
    await receiver.close();
    const sent = server.requests.slice(before).flatMap((r) => r.records.map((x) => uidOf(x.data)));
    assert.deepEqual(
      [...sent].sort(),
      [...uids, ...[uids[0], uids[3]]].sort(),
      'the refused records went twice, the others once',
    );
    assert.deepEqual([...accepted].sort(), [...uids].sort(), 'each record stored exactly once');
    assert.equal(counts.count('delivered'), 5);
    for (const secret of Object.values(AWS_TEST_CREDENTIALS)) assert.ok(!text().includes(secret));
  });
});

describe('firehose end to end: run with the replay source', () => {
  let server: AwsServer;
  let dir: string;
  before(async () => {
    useTestCredentials();
    server = await startAwsServer();
    dir = mkdtempSync(join(tmpdir(), 'ker-firehose-'));
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every routed event reaches PutRecordBatch exactly once (one throttled record retried alone)', async () => {
    let refused = '';
    server.handler = (req) =>
      putRecordBatchAnswer(
        req.records.map((r, i) => {
          if (refused === '' && i === 2) {
            refused = r.data;
            return 'ServiceUnavailableException';
          }
          return undefined;
        }),
      );
    const routed = join(dir, 'routed.ndjson');
    const configPath = join(dir, 'config.yaml');
    writeFileSync(
      configPath,
      [
        'route: { routes: [{ match: [{ receiver: firehose }, { receiver: routed }] }] }',
        'receivers:',
        '  - name: firehose',
        `    firehose: { deliveryStreamName: kube-events, region: us-east-1, endpoint: "${server.endpoint}" }`,
        '    batch: { maxEvents: 200 }',
        '    retry: { initialDelayMs: 0, maxDelayMs: 0 }',
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
    assert.ok(routedLines.length > 800);
    const stored = server.requests.flatMap((req, call) =>
      req.records
        .filter((r) => !(call === 0 && r.data === refused && req.records.indexOf(r) === 2))
        .map((r) => r.data),
    );
    assert.equal(stored.length, routedLines.length, 'none missing, none twice');
    assert.deepEqual([...stored].sort(), routedLines.map((l) => `${l}\n`).sort());
    assert.ok(
      server.requests.some((r) => r.records.length === 1 && r.records[0]?.data === refused),
      'the refused record went again alone',
    );
  });
});
