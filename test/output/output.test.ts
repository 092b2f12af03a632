import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createOutput } from '../../src/output/output.ts';
import type { Receiver, SendResult } from '../../src/receivers/common/types.ts';
import { SendError } from '../../src/receivers/common/types.ts';
import { enhancedEventJson } from '../../src/template/index.ts';
import { ManualClock } from '../../src/util/clock.ts';
import {
  at,
  Counts,
  HungReceiver,
  MemoryDeadLetter,
  memoryLogger,
  oneEvent,
  receiverFromYaml,
  ScriptedReceiver,
  someEvents,
} from './helpers.ts';

function setup(yaml: string, script?: SendResult[], random = (): number => 1) {
  const clock = new ManualClock();
  const receiver = new ScriptedReceiver(() => clock.now(), script);
  const dead = new MemoryDeadLetter();
  const counts = new Counts();
  const log = memoryLogger();
  const config = receiverFromYaml(yaml);
  const output = createOutput(config, {
    receiver,
    deadLetter: dead,
    clock,
    logger: log.logger,
    observer: counts,
    random,
  });
  return { clock, receiver, dead, counts, log, output, t0: clock.now() };
}

const serverError = (): SendResult => ({
  kind: 'retry',
  reason: 'serverError',
  error: new SendError('HTTP 503', 503),
});

describe('output: push and queue', () => {
  it('renders at push and delivers in order', async () => {
    const { clock, receiver, counts, output } = setup('- name: r\n  stdout: {}\n  batch: { maxEvents: 1 }');
    const events = someEvents(5);
    for (const e of events) await output.push(e);
    await clock.advance(0);
    assert.deepEqual(
      receiver.bodies,
      events.map((e) => enhancedEventJson(e)),
    );
    assert.equal(
      receiver.sends[0]?.payloads[0]?.id,
      `${events[0]?.raw.metadata.uid}-${events[0]?.occurrence}`,
    );
    assert.equal(counts.count('delivered'), 5);
    assert.equal(counts.acceptedN, 5);
    assert.equal(output.depth, 0);
  });

  // Queue of 2, one batch (of 1) held in flight: e0 in flight, e1 and e2 queued, then e3 arrives.
  const policies: { policy: string; dead: number[]; sent: number[]; blocks: boolean }[] = [
    { policy: 'dropOldest', dead: [1], sent: [0, 2, 3], blocks: false },
    { policy: 'deadLetter', dead: [3], sent: [0, 1, 2], blocks: false },
    { policy: 'block', dead: [], sent: [0, 1, 2, 3], blocks: true },
  ];
  for (const c of policies) {
    it(`queue full, policy ${c.policy}`, async () => {
      const yaml = `- name: r\n  stdout: {}\n  batch: { maxEvents: 1 }\n  queue: { maxEvents: 2, policy: ${c.policy} }\n  deadLetter: { path: /unused }`;
      const { clock, receiver, dead, counts, output } = setup(yaml);
      const events = someEvents(4);
      receiver.hold = true;
      for (const e of events.slice(0, 3)) await output.push(e);
      assert.equal(output.depth, 3);
      let pushed = false;
      const last = output.push(at(events, 3)).then(() => (pushed = true));
      await clock.advance(0);
      assert.equal(pushed, !c.blocks, 'block holds the caller until there is room');
      receiver.release();
      await last;
      await clock.advance(0);
      receiver.release();
      await clock.advance(0);
      assert.deepEqual(
        receiver.bodies,
        c.sent.map((i) => enhancedEventJson(at(events, i))),
      );
      assert.deepEqual(
        dead.records.map((r) => r.event),
        c.dead.map((i) => at(events, i).raw),
      );
      assert.ok(
        dead.records.every((r) => r.reason === 'queueFull' && r.attempts === 0 && r.error.includes(c.policy)),
      );
      assert.equal(counts.settledN, 4, 'every event settled exactly once');
    });
  }

  it('queue.maxBytes bounds the queue as well as maxEvents (block holds the caller)', async () => {
    const events = someEvents(4);
    const bytes = (i: number): number => Buffer.byteLength(enhancedEventJson(at(events, i)));
    const yaml = `- name: r\n  stdout: {}\n  batch: { maxEvents: 1 }\n  queue: { maxEvents: 100, maxBytes: ${bytes(1) + bytes(2)} }`;
    const { clock, receiver, dead, output } = setup(yaml);
    receiver.hold = true;
    for (const e of events.slice(0, 3)) await output.push(e);
    let pushed = false;
    const last = output.push(at(events, 3)).then(() => (pushed = true));
    await clock.advance(0);
    assert.equal(pushed, false, 'e1 and e2 fill maxBytes: e3 waits');
    receiver.release();
    await last;
    await clock.advance(0);
    assert.equal(receiver.bodies.length, 4);
    assert.equal(dead.records.length, 0);
  });

  it('keeps one batch in flight at a time', async () => {
    const { clock, receiver, output } = setup('- name: r\n  stdout: {}\n  batch: { maxEvents: 1 }');
    receiver.hold = true;
    for (const e of someEvents(3)) await output.push(e);
    await clock.advance(0);
    assert.equal(receiver.sends.length, 1);
    receiver.release();
    receiver.hold = true;
    await clock.advance(0);
    assert.equal(receiver.sends.length, 2);
    receiver.release();
    await clock.advance(0);
    assert.equal(receiver.sends.length, 3);
  });
});

describe('output: batching', () => {
  it('sends a partial batch flushIntervalMs after its first event', async () => {
    const { clock, receiver, counts, output } = setup(
      '- name: r\n  stdout: {}\n  batch: { maxEvents: 10, flushIntervalMs: 1000 }',
    );
    for (const e of someEvents(3)) await output.push(e);
    await clock.advance(999);
    assert.equal(receiver.sends.length, 0);
    await clock.advance(1);
    assert.deepEqual(
      receiver.sends.map((s) => s.payloads.length),
      [3],
    );
    assert.deepEqual(counts.batchSizes, [3]);
  });

  it('sends a full batch at once', async () => {
    const { clock, receiver, output } = setup(
      '- name: r\n  stdout: {}\n  batch: { maxEvents: 3, flushIntervalMs: 60000 }',
    );
    for (const e of someEvents(7)) await output.push(e);
    await clock.advance(0);
    assert.deepEqual(
      receiver.sends.map((s) => s.payloads.length),
      [3, 3],
    );
    await clock.advance(60000);
    assert.deepEqual(
      receiver.sends.map((s) => s.payloads.length),
      [3, 3, 1],
    );
  });

  it('closes a batch before it would pass maxBytes', async () => {
    const events = someEvents(3);
    const sizes = events.map((e) => Buffer.byteLength(enhancedEventJson(e)));
    const maxBytes = at(sizes, 0) + at(sizes, 1);
    const { clock, receiver, output } = setup(
      `- name: r\n  stdout: {}\n  batch: { maxEvents: 100, maxBytes: ${maxBytes}, flushIntervalMs: 5000 }`,
    );
    for (const e of events) await output.push(e);
    await clock.advance(0);
    assert.deepEqual(
      receiver.sends.map((s) => s.payloads.length),
      [2],
    );
    await clock.advance(5000);
    assert.deepEqual(
      receiver.sends.map((s) => s.payloads.length),
      [2, 1],
    );
  });
});

describe('output: retries', () => {
  const retryYaml =
    '- name: r\n  stdout: {}\n  batch: { maxEvents: 10 }\n  retry: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1000, maxElapsedMs: 5000 }';

  it('backs off exponentially between attempts, then delivers', async () => {
    const { clock, receiver, counts, output, t0 } = setup(retryYaml, [
      serverError(),
      serverError(),
      { kind: 'ok' },
    ]);
    await output.push(oneEvent());
    await clock.advance(1000);
    assert.deepEqual(
      receiver.sends.map((s) => s.atMs - t0),
      [0, 100, 300],
    );
    assert.equal(counts.retriedN, 2);
    assert.equal(counts.failedBy.get('serverError'), 2);
    assert.equal(counts.count('delivered'), 1);
  });

  it('waits for Retry-After, not less', async () => {
    const limited: SendResult = {
      kind: 'retry',
      reason: 'rateLimited',
      error: new SendError('HTTP 429', 429),
      retryAfterMs: 7000,
    };
    const yaml = retryYaml.replace('maxElapsedMs: 5000', 'maxElapsedMs: 60000');
    const { clock, receiver, output } = setup(yaml, [limited, { kind: 'ok' }], () => 0);
    await output.push(oneEvent());
    await clock.advance(6999);
    assert.equal(receiver.sends.length, 1);
    await clock.advance(1);
    assert.equal(receiver.sends.length, 2);
  });

  it('dead-letters after maxAttempts with the last reason', async () => {
    const { clock, receiver, dead, counts, output } = setup(retryYaml, [serverError()]);
    const event = oneEvent();
    await output.push(event);
    await clock.advance(5000);
    assert.equal(receiver.sends.length, 3);
    assert.equal(dead.records.length, 1);
    const record = at(dead.records, 0);
    assert.equal(record.reason, 'serverError');
    assert.equal(record.attempts, 3);
    assert.match(record.error, /^HTTP 503 \(gave up after 3 attempts: retry\.maxAttempts \(3\)\)$/);
    assert.equal(record.payload, enhancedEventJson(event));
    assert.deepEqual([...counts.deadBy], [['serverError', 1]]);
  });

  it('gives up at once when the next wait would pass maxElapsedMs', async () => {
    const limited: SendResult = {
      kind: 'retry',
      reason: 'rateLimited',
      error: new SendError('HTTP 429', 429),
      retryAfterMs: 10_000,
    };
    const { clock, receiver, dead, output } = setup(retryYaml, [limited]);
    await output.push(oneEvent());
    await clock.advance(0);
    assert.equal(receiver.sends.length, 1);
    assert.equal(dead.records[0]?.reason, 'rateLimited');
    assert.match(dead.records[0]?.error ?? '', /retry\.maxElapsedMs \(5000\)/);
  });

  it('retries only the items a partial result lists', async () => {
    const partial: SendResult = {
      kind: 'partial',
      retry: [1, 3],
      drop: [{ index: 2, error: new SendError('mapping error') }],
    };
    const yaml = retryYaml.replace('maxEvents: 10', 'maxEvents: 4, flushIntervalMs: 1000');
    const { clock, receiver, dead, counts, output } = setup(yaml, [partial, { kind: 'ok' }]);
    const events = someEvents(4);
    for (const e of events) await output.push(e);
    await clock.advance(1000);
    assert.deepEqual(
      receiver.sends.map((s) => s.payloads.length),
      [4, 2],
    );
    assert.deepEqual(
      receiver.sends[1]?.payloads.map((p) => p.body),
      [at(events, 1), at(events, 3)].map((e) => enhancedEventJson(e)),
    );
    assert.deepEqual(
      dead.records.map((r) => [r.event, r.reason, r.error]),
      [[at(events, 2).raw, 'clientError', 'mapping error']],
    );
    assert.equal(counts.count('delivered'), 3);
    assert.equal(counts.sentN, 3);
  });

  it('dead-letters a drop at once, with the receiver error', async () => {
    const drop: SendResult = {
      kind: 'drop',
      reason: 'clientError',
      error: new SendError('HTTP 400: bad field', 400),
    };
    const { clock, receiver, dead, output } = setup(retryYaml, [drop]);
    await output.push(oneEvent());
    await clock.advance(5000);
    assert.equal(receiver.sends.length, 1);
    assert.deepEqual(
      dead.records.map((r) => [r.reason, r.error, r.attempts]),
      [['clientError', 'HTTP 400: bad field', 1]],
    );
  });

  it('treats a receiver that throws as a failed attempt (reason internal)', async () => {
    const { clock, dead, output } = setup(retryYaml);
    const throwing: Receiver = {
      name: 'x',
      send: () => Promise.reject(new Error('bug')),
      close: () => Promise.resolve(),
    };
    const out = createOutput(receiverFromYaml(retryYaml), {
      receiver: throwing,
      deadLetter: dead,
      clock,
      logger: memoryLogger().logger,
    });
    await out.push(oneEvent());
    await clock.advance(5000);
    assert.deepEqual(
      dead.records.map((r) => [r.reason, r.attempts]),
      [['internal', 3]],
    );
    assert.equal(output.depth, 0);
  });
});

describe('output: drain', () => {
  it('dead-letters what is left at the deadline (in flight and queued) and closes the receiver', async () => {
    const clock = new ManualClock();
    const receiver = new HungReceiver();
    const dead = new MemoryDeadLetter();
    const counts = new Counts();
    const config = receiverFromYaml('- name: r\n  stdout: {}\n  batch: { maxEvents: 1 }');
    const output = createOutput(config, {
      receiver,
      deadLetter: dead,
      clock,
      logger: memoryLogger().logger,
      observer: counts,
    });
    const events = someEvents(3);
    for (const e of events) await output.push(e);
    let done = false;
    const drained = output.drain(clock.now() + 5000).then(() => (done = true));
    await clock.advance(4999);
    assert.equal(done, false);
    await clock.advance(1);
    await drained;
    const uids = (list: { metadata: { uid?: string } }[]) => list.map((e) => e.metadata.uid).sort();
    assert.deepEqual(uids(dead.records.map((r) => r.event)), uids(events.map((e) => e.raw)));
    assert.ok(dead.records.every((r) => r.reason === 'shutdown'));
    assert.deepEqual(
      dead.records.map((r) => r.attempts).sort(),
      [0, 0, 1],
      'the one in flight had been sent once',
    );
    assert.ok(receiver.closed);
    assert.equal(counts.settledN, 3);
    await output.push(oneEvent(10));
    assert.equal(dead.records.at(-1)?.reason, 'shutdown', 'a push after drain is dead-lettered, not lost');
  });

  it('flushes a batch waiting for its interval at once', async () => {
    const { clock, receiver, output } = setup(
      '- name: r\n  stdout: {}\n  batch: { maxEvents: 10, flushIntervalMs: 60000 }',
    );
    for (const e of someEvents(2)) await output.push(e);
    await output.drain(clock.now() + 1000);
    assert.deepEqual(
      receiver.sends.map((s) => s.payloads.length),
      [2],
    );
    assert.ok(receiver.closed);
  });

  it('does not wait for a retry that would come after the deadline', async () => {
    const yaml = '- name: r\n  stdout: {}\n  retry: { initialDelayMs: 1000, maxDelayMs: 1000 }';
    const { clock, receiver, dead, output } = setup(yaml, [serverError()]);
    receiver.hold = true;
    await output.push(oneEvent());
    const drained = output.drain(clock.now() + 500);
    receiver.release();
    await drained;
    assert.deepEqual(
      dead.records.map((r) => r.reason),
      ['shutdown'],
    );
    assert.match(dead.records[0]?.error ?? '', /^HTTP 503 \(drain deadline before the next attempt\)$/);
  });

  it('cuts a retry wait short at the deadline', async () => {
    const yaml = '- name: r\n  stdout: {}\n  retry: { initialDelayMs: 1000, maxDelayMs: 1000 }';
    const { clock, dead, output, t0 } = setup(yaml, [serverError()]);
    await output.push(oneEvent());
    await clock.advance(0);
    const drained = output.drain(clock.now() + 300);
    await clock.advance(300);
    await drained;
    assert.equal(clock.now() - t0, 300);
    assert.deepEqual(
      dead.records.map((r) => r.reason),
      ['shutdown'],
    );
  });
});

describe('output: render errors', () => {
  it('dead-letters events whose layout fails, logging each error message once', async () => {
    const yaml = `- name: r\n  stdout:\n    layout:\n      reason: '{{ if eq .Type "Warning" }}{{ fail .Reason }}{{ end }}{{ .Reason }}'`;
    const { clock, receiver, dead, counts, log, output } = setup(yaml);
    const events = someEvents(200);
    const warnings = events.filter((e) => e.raw.type === 'Warning');
    assert.ok(warnings.length > 10);
    for (const e of events) await output.push(e);
    await clock.advance(0);
    assert.equal(dead.records.length, warnings.length);
    assert.ok(
      dead.records.every((r) => r.reason === 'renderError' && r.payload === undefined && r.attempts === 0),
    );
    assert.match(dead.records[0]?.error ?? '', /^layout: .*error calling fail: /);
    const logged = log.lines.filter(
      (l) => l.msg === 'Template failed for an event; the event was dead-lettered (logged once per error).',
    );
    assert.equal(logged.length, new Set(warnings.map((e) => e.raw.reason)).size);
    assert.equal(receiver.bodies.length, events.length - warnings.length);
    assert.equal(counts.deadBy.get('renderError'), warnings.length);
    assert.equal(counts.settledN, events.length);
  });

  it('names the templated option that failed', async () => {
    const yaml = `- name: r\n  webhook:\n    endpoint: http://127.0.0.1:9/\n    headers:\n      X-Reason: '{{ fail "no" }}'`;
    const { clock, dead, output } = setup(yaml);
    await output.push(oneEvent());
    await clock.advance(0);
    assert.match(dead.records[0]?.error ?? '', /^headers\.X-Reason: .*error calling fail: no$/);
  });
});

describe('output: independence and back-pressure at shutdown', () => {
  it('a hung receiver does not slow another output', async () => {
    const clock = new ManualClock();
    const { logger } = memoryLogger();
    const config = receiverFromYaml('- name: r\n  stdout: {}\n  batch: { maxEvents: 1 }');
    const hung = createOutput(config, {
      receiver: new HungReceiver(),
      deadLetter: new MemoryDeadLetter(),
      clock,
      logger,
    });
    const healthy = new ScriptedReceiver(() => clock.now());
    const fine = createOutput(config, {
      receiver: healthy,
      deadLetter: new MemoryDeadLetter(),
      clock,
      logger,
    });
    const events = someEvents(100);
    for (const e of events) {
      await hung.push(e);
      await fine.push(e);
    }
    await clock.advance(0);
    assert.equal(healthy.bodies.length, 100);
    assert.equal(hung.depth, 100, 'the hung one holds its own queue');
  });

  it('a push blocked on a full queue is released and dead-lettered at the drain deadline', async () => {
    const clock = new ManualClock();
    const dead = new MemoryDeadLetter();
    const counts = new Counts();
    const config = receiverFromYaml(
      '- name: r\n  stdout: {}\n  batch: { maxEvents: 1 }\n  queue: { maxEvents: 1, policy: block }',
    );
    const output = createOutput(config, {
      receiver: new HungReceiver(),
      deadLetter: dead,
      clock,
      logger: memoryLogger().logger,
      observer: counts,
    });
    const events = someEvents(3);
    await output.push(at(events, 0));
    await output.push(at(events, 1));
    let released = false;
    const blocked = output.push(at(events, 2)).then(() => (released = true));
    const drained = output.drain(clock.now() + 100);
    await clock.advance(99);
    assert.equal(released, false);
    await clock.advance(1);
    await Promise.all([blocked, drained]);
    assert.equal(released, true);
    assert.deepEqual(dead.reasons(), ['shutdown', 'shutdown', 'shutdown']);
    assert.equal(counts.settledN, 3);
  });
});

describe('output: defaults (no retry, queue or dead-letter option)', () => {
  it('retries for retry.maxElapsedMs (10 min), however many attempts, then dead-letters with the reason', async () => {
    const { clock, receiver, dead, counts, output } = setup('- name: r\n  stdout: {}', [serverError()]);
    await output.push(oneEvent());
    await clock.advance(540_000);
    assert.ok(receiver.sends.length > 20, `still retrying after 9 min (${receiver.sends.length} attempts)`);
    assert.equal(dead.records.length, 0);
    await clock.advance(60_000);
    assert.equal(dead.records.length, 1);
    assert.match(
      dead.records[0]?.error ?? '',
      /^HTTP 503 \(gave up after \d+ attempts: retry\.maxElapsedMs \(600000\)\)$/,
    );
    assert.equal(counts.count('deadLettered'), 1);
  });

  it('behind a receiver that stays down, the budget counts from queueing: all dead-lettered by ~10 min', async () => {
    const yaml = '- name: r\n  stdout: {}\n  batch: { maxEvents: 1 }';
    const { clock, receiver, dead, t0, output } = setup(yaml, [serverError()]);
    for (const e of someEvents(20)) await output.push(e);
    await clock.advance(600_000);
    assert.equal(dead.records.length, 20, 'not 20 × 10 min');
    assert.ok(clock.now() - t0 <= 600_000);
    assert.ok(
      dead.records.every((r) => r.reason === 'serverError' && /retry\.maxElapsedMs \(600000\)/.test(r.error)),
    );
    assert.ok(receiver.sends.length >= 20, 'each event was tried at least once');
  });

  it('delivers everything once a receiver comes back within the budget', async () => {
    const down = Array.from({ length: 15 }, serverError);
    const { clock, receiver, dead, counts, output } = setup('- name: r\n  stdout: {}', [
      ...down,
      { kind: 'ok' },
    ]);
    for (const e of someEvents(5)) await output.push(e);
    await clock.advance(600_000);
    assert.equal(dead.records.length, 0);
    assert.equal(counts.count('delivered'), 5);
    assert.ok(receiver.sends.length >= 16);
  });
});

describe('output: logs', () => {
  it('logs an honoured rate limit or pacing wait as info, not as a failed send', async () => {
    const paced: SendResult = {
      kind: 'retry',
      reason: 'rateLimited',
      error: new SendError('Slack: pacing channel #prod to one message per 1000 ms'),
      retryAfterMs: 1000,
    };
    const { clock, log, output, counts } = setup('- name: r\n  stdout: {}\n  batch: { maxEvents: 1 }', [
      { kind: 'ok' },
      paced,
      { kind: 'ok' },
    ]);
    for (const e of someEvents(2)) await output.push(e);
    await clock.advance(1000);
    assert.equal(counts.count('delivered'), 2);
    assert.deepEqual(
      log.lines.map((l) => [l.level, l.msg, l.waitMs]),
      [[30, 'Receiver asked to wait (rate limit or pacing); sending after the wait.', 1000]],
    );
  });

  it('rate-limits repeated send failures, naming the receiver once per line', async () => {
    const yaml =
      '- name: r\n  stdout: {}\n  batch: { maxEvents: 1 }\n  retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 10 }';
    const { clock, log, output, counts } = setup(yaml, [serverError()]);
    for (const e of someEvents(10)) await output.push(e);
    await clock.advance(1000);
    assert.equal(counts.failedBy.get('serverError'), 20, 'every failure is counted');
    const warns = log.lines.filter((l) => l.msg === 'Send failed; retrying while retry limits allow.');
    const deads = log.lines.filter((l) => l.msg === 'Events dead-lettered.');
    assert.equal(warns.length, 1);
    assert.equal(deads.length, 1);
    assert.deepEqual(
      [warns[0]?.receiver, warns[0]?.reason, warns[0]?.error],
      ['r', 'serverError', 'HTTP 503'],
    );
    for (const line of log.text().split('\n')) assert.equal(line.split('"receiver":').length, 2, line);
  });
});
