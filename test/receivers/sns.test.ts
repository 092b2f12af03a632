// The sns receiver through the real @aws-sdk/client-sns against a local server on SNS's
// documented query protocol (PublishBatch form posts, XML answers with Successful / Failed
// members, ErrorResponse errors), replaying the real events; and `run` with the replay source.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { startApp } from '../../src/app/app.ts';
import { createRenderer } from '../../src/output/payload.ts';
import { createReceiver } from './create-receiver.ts';
import type { Payload, SendResult } from '../../src/receivers/common/types.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { memoryLogger, realEvents, receiverFromYaml, someEvents } from '../output/helpers.ts';
import { REAL_EVENTS_PATH } from '../support/real-events.ts';
import { ServiceServer } from './aws/batch-service.ts';
import type { ServiceAnswer } from './aws/batch-service.ts';
import { assertNoCredential, occurrenceOf, replay, tally } from './aws/replay.ts';
import { SnsService, snsEchoCredentials, snsError } from './aws/sns-api.ts';
import type { SnsMessage } from './aws/sns-api.ts';

const signal = new AbortController().signal;
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:kube-events';

function configProblems(item: string): string {
  try {
    receiverFromYaml(item);
    return '';
  } catch (err) {
    return String((err as Error).message);
  }
}

function summary(result: SendResult): unknown[] {
  switch (result.kind) {
    case 'ok':
      return ['ok'];
    case 'retry':
    case 'drop':
      return [result.kind, result.reason, result.error.message];
    case 'partial':
      return ['partial', result.retry, result.drop.map((d) => [d.index, d.reason, d.error.message])];
  }
}

describe('sns config', () => {
  const cases: { name: string; item: string; problem: RegExp }[] = [
    { name: 'no topic', item: '- name: t\n  sns: { region: us-east-1 }', problem: /sns\.topicARN/ },
    {
      name: 'a topic name instead of an ARN',
      item: '- name: t\n  sns: { topicARN: kube-events }',
      problem: /sns\.topicARN: must be a topic ARN/,
    },
    {
      name: 'a group id for a standard topic',
      item: `- name: t\n  sns: { topicARN: "${TOPIC}", messageGroupId: "{{ .Namespace }}" }`,
      problem: /sns\.messageGroupId: only FIFO topics/,
    },
    {
      name: 'maxBytes above 256 KiB',
      item: `- name: t\n  sns: { topicARN: "${TOPIC}" }\n  batch: { maxBytes: 300000 }`,
      problem: /batch\.maxBytes: 300000 is above the sns limit of 262144/,
    },
  ];
  for (const c of cases) it(`rejects ${c.name}`, () => assert.match(configProblems(c.item), c.problem));

  it("accepts the exporter's README config (its 16-digit account id included)", () => {
    const config = receiverFromYaml(
      '- name: sns\n  sns:\n    topicARN: "arn:aws:sns:us-east-1:1234567890123456:mytopic"\n    region: "us-west-2"\n    layout:',
    );
    assert.deepEqual(config.batch, { maxEvents: 10, maxBytes: 262_144, flushIntervalMs: 500 });
  });
});

describe('sns against a local SNS server', () => {
  const service = new SnsService();
  let server: ServiceServer<SnsMessage>;
  before(async () => {
    server = await ServiceServer.start(service);
  });
  after(() => server.close());

  // No region: it comes from the ARN.
  const item = (topic = TOPIC, extra = '') =>
    `- name: t\n  sns: { topicARN: "${topic}", endpoint: "${server.endpoint}", timeoutMs: 300${extra} }`;

  async function send(
    batch: (payloads: (n: number, offset?: number) => Payload[]) => Payload[],
    answer: ServiceAnswer = 'stored',
    yaml = item(),
  ): Promise<SendResult> {
    server.answerWith(answer);
    const config = receiverFromYaml(yaml);
    const receiver = createReceiver(config, { clock: new ManualClock(), logger: memoryLogger().logger });
    const render = createRenderer(config);
    try {
      return await receiver.send(
        batch((n, o = 0) => someEvents(n, o).map(render)),
        signal,
      );
    } finally {
      await receiver.close();
      server.answerWith('stored');
    }
  }

  it('publishes one PublishBatch per batch to the topic, signed for sns in the region of the ARN', async () => {
    const before = server.requests.length;
    const stored = service.stored.length;
    let batch: Payload[] = [];
    assert.deepEqual(await send((p) => (batch = p(3))), { kind: 'ok' });
    const req = server.requests[before];
    assert.equal(req?.target, 'PublishBatch');
    assert.equal(req?.body['Version'], '2010-03-31');
    assert.match(
      String(req?.headers.authorization),
      /Credential=AKIAKERTEST7EXAMPLE1\/\d{8}\/us-east-1\/sns\/aws4_request/,
    );
    assert.deepEqual(
      service.stored.slice(stored),
      batch.map((p, i) => ({ id: String(i), topicArn: TOPIC, message: p.body })),
    );
  });

  it('FIFO topic: group id = event uid, deduplication id = occurrence id; or the templates rendered', async () => {
    const fifo = `${TOPIC}.fifo`;
    const stored = service.stored.length;
    let batch: Payload[] = [];
    assert.deepEqual(await send((p) => (batch = p(2)), 'stored', item(fifo)), { kind: 'ok' });
    assert.deepEqual(
      service.stored.slice(stored).map((m) => [m.groupId, m.deduplicationId]),
      batch.map((p) => [p.id.replace(/-\d+$/, ''), p.id]),
    );
    const mark = service.stored.length;
    const templated = item(fifo, ', messageGroupId: "{{ .Reason }}", messageDeduplicationId: "{{ .UID }}"');
    assert.deepEqual(await send((p) => p(2, 20), 'stored', templated), { kind: 'ok' });
    assert.deepEqual(
      service.stored.slice(mark).map((m) => [m.groupId, m.deduplicationId]),
      someEvents(2, 20).map((e) => [e.raw.reason ?? '', e.raw.metadata.uid ?? '']),
    );
  });

  it('splits 25 messages into calls of 10 and by 256 KiB; a message above 256 KiB is dead-lettered', async () => {
    const before = server.requests.length;
    assert.deepEqual(await send((p) => p(25)), { kind: 'ok' });
    const big = (i: number): Payload => {
      const body = JSON.stringify({ i, pad: 'x'.repeat(100_000) });
      return { id: `big-${i}`, body, bytes: Buffer.byteLength(body), templated: {} };
    };
    const huge = { id: 'huge-1', body: `"${'x'.repeat(262_144)}"`, bytes: 262_146, templated: {} };
    assert.deepEqual(summary(await send(() => [big(0), huge, big(1), big(2)])), [
      'partial',
      [],
      [[1, 'clientError', 'message is 262146 bytes, above the SNS limit of 262144']],
    ]);
    const sizes = server.requests
      .slice(before)
      .map((r) => Object.keys(r.body).filter((k) => k.endsWith('.Id')).length);
    assert.deepEqual(sizes, [10, 10, 5, 2, 1]);
  });

  const table: { scenario: string; answer: ServiceAnswer; expected: unknown[] }[] = [
    {
      scenario: 'Failed SenderFault=false InternalError',
      answer: { entry: { code: 'InternalError', message: 'Internal error.', senderFault: false } },
      expected: ['retry', 'serverError', 'every record was refused (InternalError ×2)'],
    },
    {
      scenario: 'Failed SenderFault=true InvalidParameter',
      answer: {
        entry: {
          code: 'InvalidParameter',
          message: 'Invalid parameter: Message too long',
          senderFault: true,
        },
      },
      expected: [
        'drop',
        'clientError',
        'SNS entry failed: InvalidParameter: Invalid parameter: Message too long',
      ],
    },
    {
      scenario: 'Failed KMSThrottling',
      answer: { entry: { code: 'KMSThrottling', message: 'Throttled by KMS.', senderFault: true } },
      expected: ['retry', 'rateLimited', 'every record was refused (KMSThrottling ×2)'],
    },
    {
      scenario: '400 Throttling on the call',
      answer: { whole: snsError(400, 'Throttling', 'Rate exceeded') },
      expected: ['retry', 'rateLimited', 'SNS PublishBatch failed: Throttling (HTTP 400): Rate exceeded'],
    },
    {
      scenario: '404 NotFound (no such topic)',
      answer: { whole: snsError(404, 'NotFound', 'Topic does not exist') },
      expected: [
        'drop',
        'clientError',
        'SNS PublishBatch failed: NotFoundException (HTTP 404): Topic does not exist',
      ],
    },
    {
      scenario: '500 InternalError',
      answer: { whole: snsError(500, 'InternalError', 'Internal error') },
      expected: [
        'retry',
        'serverError',
        'SNS PublishBatch failed: InternalErrorException (HTTP 500): Internal error',
      ],
    },
  ];
  for (const c of table)
    it(`classifies ${c.scenario}`, async () => {
      assert.deepEqual(summary(await send((p) => p(2), c.answer)), c.expected);
    });
});

describe('sns replaying the real events through an Output', () => {
  const service = new SnsService();
  let server: ServiceServer<SnsMessage>;
  before(async () => {
    server = await ServiceServer.start(service);
  });
  after(() => server.close());
  const item = () =>
    `- name: t\n  sns: { topicARN: "${TOPIC}.fifo", endpoint: "${server.endpoint}" }\n  retry: { initialDelayMs: 100, maxDelayMs: 100 }`;

  it('every occurrence arrives once; a message in Failed is published again alone', async () => {
    const events = realEvents();
    const refuseOnce = new Set(
      events.filter((_, i) => i % 11 === 5).map((e) => `${e.raw.metadata.uid}-${e.occurrence}`),
    );
    const refused = new Set(refuseOnce);
    service.refuse = (m) =>
      refuseOnce.delete(occurrenceOf(m.message))
        ? { code: 'InternalError', message: 'Internal error.', senderFault: false }
        : undefined;
    const before = server.requests.length;
    const result = await replay(item(), events);
    service.refuse = () => undefined;
    assert.equal(result.counts.count('delivered'), events.length);
    assert.deepEqual(
      tally(service.stored.map((m) => m.message)),
      tally(result.bodies),
      'every body published as often as pushed',
    );
    const sent = tally(
      server.requests.slice(before).flatMap((r) =>
        Object.entries(r.body)
          .filter(([k]) => k.endsWith('.Message'))
          .map(([, v]) => occurrenceOf(String(v))),
      ),
    );
    for (const [id, n] of tally(result.bodies.map(occurrenceOf)))
      assert.equal(sent.get(id), n + (refused.has(id) ? 1 : 0), `${id} sent ${sent.get(id)} times`);
    assertNoCredential('a log line', result.logText);
  });

  it('an auth failure (403 InvalidClientTokenId) is dead-lettered with the reason, no credential anywhere', async () => {
    server.answerWith({ whole: snsEchoCredentials(403, 'InvalidClientTokenId') });
    const result = await replay(item(), realEvents().slice(0, 15));
    server.answerWith('stored');
    assert.equal(result.counts.count('deadLettered'), 15);
    for (const record of result.deadLetters) {
      assert.equal(record['reason'], 'clientError');
      assert.match(String(record['error']), /SNS PublishBatch failed: InvalidClientTokenId \(HTTP 403\)/);
    }
    assertNoCredential('a log line', result.logText);
    assertNoCredential('a dead-letter line', JSON.stringify(result.deadLetters));
  });
});

describe('sns end to end: run with the replay source', () => {
  const service = new SnsService();
  let server: ServiceServer<SnsMessage>;
  let dir: string;
  before(async () => {
    server = await ServiceServer.start(service);
    dir = mkdtempSync(join(tmpdir(), 'ker-sns-'));
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every routed event is published once', async () => {
    const routed = join(dir, 'routed.ndjson');
    const configPath = join(dir, 'config.yaml');
    writeFileSync(
      configPath,
      [
        'route: { routes: [{ match: [{ receiver: t }, { receiver: routed }] }] }',
        'receivers:',
        '  - name: t',
        `    sns: { topicARN: "${TOPIC}", endpoint: "${server.endpoint}" }`,
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
    assert.deepEqual(tally(service.stored.map((m) => m.message)), tally(routedLines));
  });
});
