// The sqs receiver through the real @aws-sdk/client-sqs against a local server on SQS's
// documented JSON protocol (GetQueueUrl, SendMessageBatch with Successful[] / Failed[], the body
// MD5 the SDK checks), config, calls and the answer → action table
// (the real events replayed through an Output and `run`: sqs-replay.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRenderer } from '../../src/output/payload.ts';
import { createReceiver } from './create-receiver.ts';
import type { Payload, Receiver, SendResult } from '../../src/receivers/common/types.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { configProblems, memoryLogger, receiverFromYaml, someEvents, until } from '../output/helpers.ts';
import { ServiceServer } from './aws/batch-service.ts';
import type { ServiceAnswer } from './aws/batch-service.ts';
import { SqsService, sqsError } from './aws/sqs-api.ts';

const signal = new AbortController().signal;

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

describe('sqs config', () => {
  const cases: { name: string; item: string; problem: RegExp }[] = [
    {
      name: 'no queue',
      item: '- name: q\n  sqs: { region: us-east-1 }',
      problem: /sqs\.queueName: is required/,
    },
    {
      name: 'a queue name SQS refuses',
      item: '- name: q\n  sqs: { queueName: "/tmp/dump" }',
      problem: /sqs\.queueName: must be 1-80 characters/,
    },
    {
      name: 'a deduplication id for a standard queue',
      item: '- name: q\n  sqs: { queueName: events, messageDeduplicationId: "{{ .UID }}" }',
      problem: /sqs\.messageDeduplicationId: only FIFO queues/,
    },
    {
      name: 'maxEvents above 10',
      item: '- name: q\n  sqs: { queueName: events }\n  batch: { maxEvents: 20 }',
      problem: /batch\.maxEvents: 20 is above the sqs limit of 10/,
    },
    {
      name: 'a template error in messageGroupId',
      item: '- name: q\n  sqs: { queueName: e.fifo, messageGroupId: "{{ .Reason" }',
      problem: /sqs\.messageGroupId/,
    },
  ];
  for (const c of cases) it(`rejects ${c.name}`, () => assert.match(configProblems(c.item), c.problem));

  it("accepts the exporter's config (queueName, region, layout) with the API caps as defaults", () => {
    const config = receiverFromYaml(
      '- name: sqs\n  sqs:\n    queueName: kube-events\n    region: us-west-2\n    layout: { reason: "{{ .Reason }}" }',
    );
    assert.deepEqual(config.batch, { maxEvents: 10, maxBytes: 262_144, flushIntervalMs: 500 });
  });
});

describe('sqs against a local SQS server', () => {
  const service = new SqsService();
  let server: ServiceServer<Parameters<SqsService['golden']>[0] & { id: string }>;
  before(async () => {
    server = await ServiceServer.start(service);
  });
  after(() => server.close());

  const item = (queue = 'kube-events', extra = '') =>
    `- name: q\n  sqs: { queueName: ${queue}, region: us-east-1, endpoint: "${server.endpoint}", timeoutMs: 300${extra} }`;

  function build(
    yaml: string,
    clock = new ManualClock(),
  ): { receiver: Receiver; payloads: (n: number, offset?: number) => Payload[]; logs: () => string } {
    const config = receiverFromYaml(yaml);
    const { logger, text } = memoryLogger();
    const receiver = createReceiver(config, { clock, logger });
    const render = createRenderer(config);
    return { receiver, payloads: (n, offset = 0) => someEvents(n, offset).map(render), logs: text };
  }

  async function send(
    batch: (p: (n: number, o?: number) => Payload[]) => Payload[],
    answer: ServiceAnswer = 'stored',
    yaml = item(),
  ) {
    server.answerWith(answer);
    const { receiver, payloads } = build(yaml);
    try {
      return await receiver.send(batch(payloads), signal);
    } finally {
      await receiver.close();
      server.answerWith('stored');
    }
  }

  it('looks the queue URL up once, then sends SendMessageBatch to it, signed for sqs', async () => {
    const before = server.requests.length;
    const stored = service.stored.length;
    const { receiver, payloads } = build(item());
    const batch = payloads(3);
    assert.deepEqual(await receiver.send(batch, signal), { kind: 'ok' });
    assert.deepEqual(await receiver.send(payloads(2, 3), signal), { kind: 'ok' });
    await receiver.close();
    const calls = server.requests.slice(before);
    assert.deepEqual(
      calls.map((r) => r.target),
      ['AmazonSQS.GetQueueUrl', 'AmazonSQS.SendMessageBatch', 'AmazonSQS.SendMessageBatch'],
    );
    assert.deepEqual(calls[0]?.body, { QueueName: 'kube-events' });
    assert.match(
      String(calls[1]?.headers.authorization),
      /Credential=AKIAKERTEST7EXAMPLE1\/\d{8}\/us-east-1\/sqs\/aws4_request/,
    );
    assert.deepEqual(
      service.stored.slice(stored, stored + 3).map((m) => [m.queueUrl, m.body, m.groupId, m.deduplicationId]),
      batch.map((p) => [`${server.endpoint}/111122223333/kube-events`, p.body, undefined, undefined]),
    );
  });

  it('FIFO queue: group id = event uid, deduplication id = occurrence id; or the templates rendered', async () => {
    const stored = service.stored.length;
    let batch: Payload[] = [];
    assert.deepEqual(await send((p) => (batch = p(2)), 'stored', item('kube-events.fifo')), { kind: 'ok' });
    assert.deepEqual(
      service.stored.slice(stored).map((m) => [m.groupId, m.deduplicationId]),
      batch.map((p) => [p.id.replace(/-\d+$/, ''), p.id]),
    );
    const mark = service.stored.length;
    const templated = item(
      'kube-events.fifo',
      ', messageGroupId: "{{ .InvolvedObject.Namespace }}", messageDeduplicationId: "{{ .UID }}/{{ .Count }}"',
    );
    assert.deepEqual(await send((p) => (batch = p(2, 10)), 'stored', templated), { kind: 'ok' });
    const events = someEvents(2, 10);
    assert.deepEqual(
      service.stored.slice(mark).map((m) => [m.groupId, m.deduplicationId]),
      events.map((e) => [
        e.raw.involvedObject.namespace ?? '',
        `${e.raw.metadata.uid ?? ''}/${e.raw.count ?? 0}`,
      ]),
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
    assert.deepEqual(summary(await send(() => [big(0), big(1), huge, big(2)])), [
      'partial',
      [],
      [[2, 'clientError', 'message is 262146 bytes, above the SQS limit of 262144']],
    ]);
    const batches = server.requests
      .slice(before)
      .filter((r) => r.target === 'AmazonSQS.SendMessageBatch')
      .map((r) => (r.body['Entries'] as unknown[]).length);
    assert.deepEqual(batches, [10, 10, 5, 2, 1]);
  });

  it('a body whose MD5 does not match (as the SDK checks) is a retry, not a success', async () => {
    service.wrongMd5 = true;
    try {
      const result = summary(await send((p) => p(2)));
      assert.deepEqual(result.slice(0, 2), ['retry', 'network']);
      assert.match(String(result[2]), /MD5 SQS reported does not match/);
    } finally {
      service.wrongMd5 = false;
    }
  });

  const table: { scenario: string; answer: ServiceAnswer; expected: unknown[] }[] = [
    {
      scenario: 'Failed[] SenderFault=false InternalError',
      answer: {
        entry: { code: 'InternalError', message: 'We encountered an internal error.', senderFault: false },
      },
      expected: ['retry', 'serverError', 'every record was refused (InternalError ×2)'],
    },
    {
      scenario: 'Failed[] SenderFault=true InvalidParameterValue',
      answer: {
        entry: { code: 'InvalidParameterValue', message: 'Invalid characters found.', senderFault: true },
      },
      expected: ['drop', 'clientError', 'SQS entry failed: InvalidParameterValue: Invalid characters found.'],
    },
    {
      scenario: 'Failed[] SenderFault=true KmsThrottled',
      answer: {
        entry: {
          code: 'KmsThrottled',
          message: 'Request was denied due to request throttling.',
          senderFault: true,
        },
      },
      expected: ['retry', 'rateLimited', 'every record was refused (KmsThrottled ×2)'],
    },
    {
      scenario: '400 RequestThrottled on the call',
      answer: { whole: sqsError(400, 'RequestThrottled', 'RequestThrottled', 'Request is throttled.') },
      expected: [
        'retry',
        'rateLimited',
        'SQS SendMessageBatch failed: RequestThrottled (HTTP 400): Request is throttled.',
      ],
    },
    {
      scenario: '400 QueueDoesNotExist on the call (queue deleted)',
      answer: {
        whole: sqsError(
          400,
          'QueueDoesNotExist',
          'AWS.SimpleQueueService.NonExistentQueue',
          'The specified queue does not exist.',
        ),
      },
      expected: [
        'drop',
        'clientError',
        'SQS SendMessageBatch failed: QueueDoesNotExist (HTTP 400): The specified queue does not exist.',
      ],
    },
    {
      scenario: '500 InternalError',
      answer: { whole: sqsError(500, 'InternalError', 'InternalError', 'We encountered an internal error.') },
      expected: [
        'retry',
        'serverError',
        'SQS SendMessageBatch failed: InternalError (HTTP 500): We encountered an internal error.',
      ],
    },
  ];
  for (const c of table)
    it(`classifies ${c.scenario}`, async () => {
      // The URL is looked up first (answered normally), then the batch meets the answer.
      const { receiver, payloads } = build(item());
      try {
        assert.deepEqual(await receiver.send(payloads(1), signal), { kind: 'ok' });
        server.answerWith(c.answer);
        assert.deepEqual(summary(await receiver.send(payloads(2, 1), signal)), c.expected);
      } finally {
        server.answerWith('stored');
        await receiver.close();
      }
    });

  it('a queue URL lookup that fails is not fatal: sends are retried, the lookup is retried in the background until it answers', async () => {
    const clock = new ManualClock();
    service.queues.delete('late-queue');
    const before = server.requests.length;
    const { receiver, payloads, logs } = build(item('late-queue'), clock);
    const lookups = () =>
      server.requests.slice(before).filter((r) => r.target === 'AmazonSQS.GetQueueUrl').length;
    // The lookup started with the receiver; a send meanwhile waits for it rather than making another.
    const first = summary(await receiver.send(payloads(1), signal));
    assert.deepEqual(first, [
      'retry',
      'clientError',
      'SQS GetQueueUrl failed: QueueDoesNotExist (HTTP 400): The specified queue does not exist.',
    ]);
    assert.equal(lookups(), 1);
    // The background lookup waits 1 s, then 2 s...
    await until(() => clock.timers === 1, 'the next lookup to be scheduled');
    await clock.advance(1000);
    await until(() => lookups() === 2, 'the second lookup');
    await until(() => clock.timers === 1, 'the third lookup to be scheduled');
    service.queues.add('late-queue');
    await clock.advance(2000);
    await until(() => lookups() === 3, 'the third lookup');
    assert.deepEqual(await receiver.send(payloads(1), signal), { kind: 'ok' });
    assert.equal(lookups(), 3);
    await receiver.close();
    assert.match(logs(), /SQS queue URL not resolved yet; sends wait for it and the lookup is retried\./);
    assert.match(logs(), /SQS queue URL resolved\./);
  });

  it('queueUrl skips the lookup', async () => {
    const before = server.requests.length;
    const yaml = `- name: q\n  sqs: { queueUrl: "${server.endpoint}/111122223333/kube-events", region: us-east-1, endpoint: "${server.endpoint}" }`;
    assert.deepEqual(await send((p) => p(1), 'stored', yaml), { kind: 'ok' });
    assert.deepEqual(
      server.requests.slice(before).map((r) => r.target),
      ['AmazonSQS.SendMessageBatch'],
    );
  });
});
