// The sns receiver through the real @aws-sdk/client-sns against a local server on SNS's
// documented query protocol (PublishBatch form posts, XML answers with Successful / Failed
// members, ErrorResponse errors), config, calls and the answer → action table
// (the real events replayed through an Output and `run`: sns-replay.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRenderer } from '../../src/output/payload.ts';
import { createReceiver } from './create-receiver.ts';
import type { Payload, SendResult } from '../../src/receivers/common/types.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { configProblems, memoryLogger, receiverFromYaml, someEvents } from '../output/helpers.ts';
import { ServiceServer } from './aws/batch-service.ts';
import type { ServiceAnswer } from './aws/batch-service.ts';
import { SnsService, snsError } from './aws/sns-api.ts';
import type { SnsMessage } from './aws/sns-api.ts';

const signal = new AbortController().signal;
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:kube-events';

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
