// The pubsub receiver through the real @google-cloud/pubsub client, in its emulator mode, against
// a gRPC Publisher server on 127.0.0.1 (pubsub-server.ts, from the package's own .proto files).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ReceiverConfig } from '../../src/config/schema.ts';
import type { EnrichedEvent } from '../../src/event/event.ts';
import { createOutput } from '../../src/output/output.ts';
import { createRenderer } from '../../src/output/payload.ts';
import { GRPC_CODE_NAMES } from '../../src/receivers/pubsub/classify.ts';
import { createReceiver } from './create-receiver.ts';
import type { SendResult } from '../../src/receivers/common/types.ts';
import { ManualClock } from '../../src/util/clock.ts';
import {
  Counts,
  MemoryDeadLetter,
  memoryLogger,
  realEvents,
  receiverFromYaml,
  until,
} from '../output/helpers.ts';
import { PubsubServer, STATUS } from './pubsub-server.ts';
import type { PublishHandler } from './pubsub-server.ts';

const signal = new AbortController().signal;
const TOPIC = 'projects/kube-project/topics/kube-events';
/** What a proxy in front of the API could echo: a bearer token of the pod's credentials. */
const ECHOED_TOKEN = 'ya29.c.b0AXv0zTPubsubSecretToken1234';

function config(server: PubsubServer, extra = '', sibling = ''): ReceiverConfig {
  return receiverFromYaml(
    [
      '- name: ps',
      ...(sibling === '' ? [] : [`  ${sibling}`]),
      '  pubsub:',
      '    gcloud_project_id: kube-project',
      '    topic: kube-events',
      `    endpoint: "${server.endpoint}"`,
      ...(extra === '' ? [] : [`    ${extra}`]),
    ].join('\n'),
  );
}

function summary(result: SendResult): unknown[] {
  if (result.kind === 'ok') return ['ok'];
  if (result.kind === 'partial')
    return ['partial', result.retry, result.drop.map((d) => d.index), result.reason];
  return [result.kind, result.reason];
}

/** Every event through an Output (ManualClock; retries waited out), until each one settled. */
async function throughOutput(cfg: ReceiverConfig, events: readonly EnrichedEvent[]) {
  const clock = new ManualClock();
  const logs = memoryLogger();
  const receiver = createReceiver(cfg, { clock, logger: logs.logger });
  const counts = new Counts();
  const deadLetter = new MemoryDeadLetter();
  const output = createOutput(cfg, {
    receiver,
    deadLetter,
    clock,
    logger: logs.logger,
    observer: counts,
    random: () => 1,
  });
  for (const event of events) await output.push(event);
  while (counts.settledN < events.length) {
    await until(() => counts.settledN === events.length || clock.timers > 0, 'a publish or a retry wait');
    if (counts.settledN < events.length) await clock.advance(1_000);
  }
  await output.drain(clock.now() + 1_000);
  return { counts, deadLetter, logs };
}

describe('pubsub receiver', () => {
  let server: PubsubServer;
  before(async () => {
    server = await PubsubServer.start();
  });
  after(() => server.close());
  beforeEach(() => {
    server.topics.clear();
    server.topics.add(TOPIC);
    server.received.length = 0;
    server.publishCalls.length = 0;
    server.methodCalls.length = 0;
    server.publishHandler = () => undefined;
    server.maxMessageBytes = 10_000_000;
  });

  it('replays the 934 real events: batched Publish calls, every occurrence arrives once, transient failures retried', async () => {
    const events = realEvents();
    const cfg = config(server, '', 'retry: { initialDelayMs: 500, maxDelayMs: 500 }');
    // Every third Publish fails once with a retriable status, as a busy API does.
    const transient = [STATUS.UNAVAILABLE, STATUS.RESOURCE_EXHAUSTED, STATUS.DEADLINE_EXCEEDED];
    const failing: PublishHandler = (_call, index) =>
      index % 3 === 0 ? { code: transient[(index / 3) % 3] as number, details: 'try again' } : undefined;
    server.publishHandler = failing;
    const { counts, deadLetter } = await throughOutput(cfg, events);
    const payloads = events.map(createRenderer(cfg));
    const key = (id: string, body: string) => `${id} ${body}`;
    assert.deepEqual(
      server.received.map((m) => key(m.attributes['idempotency-key'] ?? '', m.data)).sort(),
      payloads.map((p) => key(p.id, p.body)).sort(),
    );
    assert.equal(deadLetter.records.length, 0);
    assert.equal(counts.count('delivered'), events.length);
    assert.ok(server.publishCalls.length < events.length / 5, `${server.publishCalls.length} Publish calls`);
    assert.ok(server.publishCalls.every((c) => c.messages.length <= 1000 && c.topic === TOPIC));
    assert.ok(
      server.publishCalls.some((c) => c.messages.length > 1),
      'batched',
    );
    const ids = server.received.map((m) => m.messageId);
    assert.equal(new Set(ids).size, ids.length, 'one message id per message');
  });

  it('the client does not retry: one failed Publish per send, classified', async () => {
    const cases: { code: number; expected: unknown[] }[] = [
      { code: STATUS.UNAVAILABLE, expected: ['retry', 'serverError'] },
      { code: STATUS.RESOURCE_EXHAUSTED, expected: ['retry', 'rateLimited'] },
      { code: STATUS.DEADLINE_EXCEEDED, expected: ['retry', 'timeout'] },
      { code: STATUS.INTERNAL, expected: ['retry', 'serverError'] },
      { code: STATUS.PERMISSION_DENIED, expected: ['drop', 'clientError'] },
      { code: STATUS.UNAUTHENTICATED, expected: ['drop', 'clientError'] },
      { code: STATUS.INVALID_ARGUMENT, expected: ['drop', 'clientError'] },
      { code: STATUS.FAILED_PRECONDITION, expected: ['drop', 'clientError'] },
    ];
    const cfg = config(server);
    const payload = createRenderer(cfg)(realEvents()[0] as EnrichedEvent);
    for (const c of cases) {
      const receiver = createReceiver(cfg, { clock: new ManualClock(), logger: memoryLogger().logger });
      server.publishHandler = () => ({ code: c.code, details: 'scripted' });
      const before = server.publishCalls.length;
      const result = await receiver.send([payload], signal);
      await receiver.close();
      assert.deepEqual(summary(result), c.expected, GRPC_CODE_NAMES[c.code]);
      assert.equal(server.publishCalls.length - before, 1, `${GRPC_CODE_NAMES[c.code]}: one Publish`);
    }
  });

  it('a message the API refuses is isolated and dead-lettered alone; a transient failure is retried alone', async () => {
    const events = realEvents().slice(100, 120);
    const cfg = config(server, '', 'retry: { initialDelayMs: 500, maxDelayMs: 500 }');
    const payloads = events.map(createRenderer(cfg));
    // The API's size limit, lowered so that the largest of these real events exceeds it.
    server.maxMessageBytes = Math.max(...payloads.map((p) => p.bytes)) - 1;
    const bad = new Set(payloads.filter((p) => p.bytes > server.maxMessageBytes).map((p) => p.id));
    const flaky = payloads.find((p) => !bad.has(p.id))?.id ?? '';
    let flakyFailed: string[] | undefined;
    server.publishHandler = (call) => {
      const ids = call.messages.map((m) => m.attributes['idempotency-key'] ?? '');
      if (flakyFailed === undefined && ids.includes(flaky) && !ids.some((id) => bad.has(id))) {
        flakyFailed = ids;
        return { code: STATUS.UNAVAILABLE, details: 'connection reset' };
      }
      return undefined;
    };
    const { counts, deadLetter } = await throughOutput(cfg, events);
    const received = server.received.map((m) => m.attributes['idempotency-key']);
    assert.deepEqual(
      [...received].sort(),
      payloads
        .map((p) => p.id)
        .filter((id) => !bad.has(id))
        .sort(),
      'every other occurrence arrived once',
    );
    assert.deepEqual(
      deadLetter.records.map((r) => [r.reason, r.attempts, payloads.find((p) => p.body === r.payload)?.id]),
      [...bad].map((id) => ['clientError', 1, id]),
    );
    assert.match(
      deadLetter.records[0]?.error ?? '',
      /INVALID_ARGUMENT: Request payload size exceeds the limit/,
    );
    const retried = server.publishCalls.filter((c) =>
      c.messages.some((m) => m.attributes['idempotency-key'] === flaky),
    );
    // The Publish that failed held part of the batch: that part alone was published again.
    assert.ok(flakyFailed !== undefined && flakyFailed.length < events.length);
    assert.deepEqual(
      retried.at(-1)?.messages.map((m) => m.attributes['idempotency-key']),
      flakyFailed,
    );
    assert.equal(counts.count('delivered'), events.length - bad.size);
  });

  it('an auth failure is dead-lettered with its reason; no credential in any log line', async () => {
    const events = realEvents().slice(0, 30);
    const cfg = config(server, '', 'retry: { initialDelayMs: 500, maxDelayMs: 500 }');
    server.publishHandler = (call) => ({
      code: STATUS.PERMISSION_DENIED,
      details: `User not authorized to perform this action. (request had authorization: Bearer ${ECHOED_TOKEN}; metadata ${JSON.stringify(call.metadata)})`,
    });
    const { counts, deadLetter, logs } = await throughOutput(cfg, events);
    assert.equal(counts.count('deadLettered'), events.length);
    assert.ok(
      deadLetter.records.every((r) => r.attempts === 1),
      'not retried',
    );
    assert.deepEqual(new Set(deadLetter.records.map((r) => r.reason)), new Set(['clientError']));
    assert.match(
      deadLetter.records[0]?.error ?? '',
      /PERMISSION_DENIED: User not authorized.*roles\/pubsub\.publisher/,
    );
    const everything = logs.text() + JSON.stringify(deadLetter.records);
    assert.ok(!everything.includes(ECHOED_TOKEN), 'the token is redacted');
    assert.ok(everything.includes('Bearer [Redacted]'));
  });

  describe('create_topic', () => {
    const cases: { createTopic: boolean; exists: boolean; calls: string[]; result: unknown[] }[] = [
      {
        createTopic: true,
        exists: false,
        calls: ['GetTopic', 'CreateTopic', 'Publish', 'Publish'],
        result: ['ok'],
      },
      { createTopic: true, exists: true, calls: ['GetTopic', 'Publish', 'Publish'], result: ['ok'] },
      { createTopic: false, exists: true, calls: ['Publish', 'Publish'], result: ['ok'] },
      { createTopic: false, exists: false, calls: ['Publish', 'Publish'], result: ['drop', 'clientError'] },
    ];
    for (const c of cases) {
      it(`create_topic: ${c.createTopic}, topic ${c.exists ? 'exists' : 'missing'} → ${c.calls.join(', ')}`, async () => {
        if (!c.exists) server.topics.clear();
        const cfg = config(server, `create_topic: ${c.createTopic}`);
        const receiver = createReceiver(cfg, { clock: new ManualClock(), logger: memoryLogger().logger });
        const render = createRenderer(cfg);
        const first = await receiver.send([render(realEvents()[1] as EnrichedEvent)], signal);
        const second = await receiver.send([render(realEvents()[2] as EnrichedEvent)], signal);
        await receiver.close();
        assert.deepEqual(server.methodCalls, c.calls);
        assert.deepEqual(summary(first), c.result);
        assert.deepEqual(summary(second), c.result);
        if (first.kind === 'drop') assert.match(first.error.message, /NOT_FOUND.*create_topic: true/);
      });
    }
  });

  it('PUBSUB_EMULATOR_HOST alone selects the emulator, as the client library does', async () => {
    const cfg = receiverFromYaml(
      '- name: ps\n  pubsub:\n    gcloud_project_id: kube-project\n    topic: kube-events',
    );
    process.env.PUBSUB_EMULATOR_HOST = server.endpoint;
    try {
      const receiver = createReceiver(cfg, { clock: new ManualClock(), logger: memoryLogger().logger });
      const payload = createRenderer(cfg)(realEvents()[4] as EnrichedEvent);
      assert.deepEqual(await receiver.send([payload], signal), { kind: 'ok' });
      await receiver.close();
    } finally {
      delete process.env.PUBSUB_EMULATOR_HOST;
    }
    assert.deepEqual(
      server.received.map((m) => m.attributes['idempotency-key']),
      [createRenderer(cfg)(realEvents()[4] as EnrichedEvent).id],
    );
  });

  it('a topic given as its full name is used as is', async () => {
    const cfg = receiverFromYaml(
      `- name: ps\n  pubsub:\n    gcloud_project_id: other\n    topic: ${TOPIC}\n    endpoint: "${server.endpoint}"`,
    );
    const receiver = createReceiver(cfg, { clock: new ManualClock(), logger: memoryLogger().logger });
    assert.deepEqual(await receiver.send([createRenderer(cfg)(realEvents()[3] as EnrichedEvent)], signal), {
      kind: 'ok',
    });
    await receiver.close();
    assert.equal(server.received[0]?.topic, TOPIC);
  });
});
