// A receiver's throttle: per key, the first event in each interval passes, the rest are counted,
// and the next one that passes carries the count as `.Suppressed`. Time from a ManualClock.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../src/config/load.ts';
import type { EnrichedEvent } from '../../src/event/event.ts';
import { createOutput } from '../../src/output/output.ts';
import { Throttle } from '../../src/output/throttle.ts';
import { createReceiver } from '../receivers/create-receiver.ts';
import { Metrics } from '../../src/telemetry/metrics.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { SLACK_TOKEN, slackMessage, startSlackServer } from '../receivers/slack-server.ts';
import type { HttpConformanceServer } from '../receivers/conformance/harness.ts';
import {
  Counts,
  MemoryDeadLetter,
  ScriptedReceiver,
  memoryLogger,
  oneEvent,
  receiverFromYaml,
  until,
} from './helpers.ts';

function throttleOf(yaml: string, clock: ManualClock): Throttle {
  const config = receiverFromYaml(yaml);
  if (config.throttle === undefined) throw new Error('no throttle');
  return new Throttle(config.throttle, clock);
}

/** The same BackOff event of one pod, as its n-th occurrence. */
function backOff(n: number, pod = 'api-7d9f-x2'): EnrichedEvent {
  const base = oneEvent();
  const raw = {
    ...base.raw,
    reason: 'BackOff',
    type: 'Warning',
    message: 'Back-off restarting failed container api in pod',
    count: n,
    involvedObject: { kind: 'Pod', namespace: 'shop', name: pod, uid: `uid-${pod}` },
  };
  return { ...base, raw, occurrence: n };
}

describe('throttle', () => {
  it('passes the first per key and interval, counts the rest, hands the count to the next one', async () => {
    const clock = new ManualClock();
    const t = throttleOf('- name: r\n  stdout: {}\n  throttle: { intervalMs: 60000 }', clock);
    const first = t.admit(backOff(1));
    assert.deepEqual([first.pass, first.pass ? first.event.suppressed : -1], [true, 0]);
    for (let n = 2; n <= 4; n++) {
      await clock.advance(10_000);
      assert.equal(t.admit(backOff(n)).pass, false);
    }
    assert.equal(t.admit(backOff(5, 'other-pod')).pass, true, 'another object is another key');
    await clock.advance(30_000); // 60 s after the first
    const next = t.admit(backOff(6));
    assert.deepEqual([next.pass, next.pass ? next.event.suppressed : -1], [true, 3]);
    const after = t.admit(backOff(7));
    assert.equal(after.pass, false, 'a new interval starts at the event that passed');
  });

  it('keys by a template', async () => {
    const clock = new ManualClock();
    const t = throttleOf(
      '- name: r\n  stdout: {}\n  throttle: { intervalMs: 1000, key: "{{ .Reason }}" }',
      clock,
    );
    assert.equal(t.admit(backOff(1, 'a')).pass, true);
    assert.equal(t.admit(backOff(1, 'b')).pass, false, 'same reason, other pod: same key');
  });

  it('remembers at most maxKeys keys, least recently used forgotten first', () => {
    const t = throttleOf(
      '- name: r\n  stdout: {}\n  throttle: { intervalMs: 60000, maxKeys: 3 }',
      new ManualClock(),
    );
    for (const pod of ['a', 'b', 'c', 'd']) assert.equal(t.admit(backOff(1, pod)).pass, true);
    assert.equal(t.size, 3);
    assert.equal(t.admit(backOff(2, 'a')).pass, true, '"a" was forgotten');
    assert.equal(t.admit(backOff(2, 'd')).pass, false);
  });

  it('lets an event through when its key cannot be rendered', () => {
    const t = throttleOf(
      '- name: r\n  stdout: {}\n  throttle: { intervalMs: 60000, key: "{{ index .InvolvedObject.Labels 1 }}" }',
      new ManualClock(),
    );
    assert.equal(t.admit(backOff(1)).pass, true);
    assert.equal(t.admit(backOff(2)).pass, true);
    assert.equal(t.keyErrors, 2);
  });

  const invalid: [string, string][] = [
    ['throttle: { key: "{{ .Reason }}" }', 'receivers[0].throttle.intervalMs'],
    ['throttle: { intervalMs: 0 }', 'receivers[0].throttle.intervalMs'],
    ['throttle: { intervalMs: 10, maxKeys: 0 }', 'receivers[0].throttle.maxKeys: must be at least 1'],
    ['throttle: { intervalMs: 10, key: "{{ .Reason" }', 'receivers[0].throttle.key: '],
    ['throttle: { intervalMs: 10, key: "{{ .Reasn }}" }', 'receivers[0].throttle.key: '],
  ];
  for (const [yaml, problem] of invalid) {
    it(`rejects ${yaml}`, () => {
      assert.throws(
        () => receiverFromYaml(`- name: r\n  stdout: {}\n  ${yaml}`),
        (err: unknown) => err instanceof ConfigError && err.message.includes(problem),
      );
    });
  }

  it('in an output: held-back events settle as suppressed, are counted, never rendered or sent', async () => {
    const clock = new ManualClock();
    const config = receiverFromYaml('- name: r\n  stdout: {}\n  throttle: { intervalMs: 60000 }');
    const receiver = new ScriptedReceiver(() => clock.now());
    const counts = new Counts();
    let throttled = 0;
    const observer = Object.assign(counts, { throttled: (n: number) => (throttled += n) });
    const output = createOutput(config, {
      receiver,
      deadLetter: new MemoryDeadLetter(),
      clock,
      logger: memoryLogger().logger,
      observer,
    });
    for (let n = 1; n <= 5; n++) await output.push(backOff(n));
    await until(() => counts.settledN === 5);
    assert.deepEqual(
      [counts.count('delivered'), counts.count('suppressed'), throttled, receiver.sends.length],
      [1, 4, 4, 1],
    );
    await output.drain(clock.now());
  });
});

describe('throttle with slack: a crash-looping pod', () => {
  let server: HttpConformanceServer;
  before(async () => (server = await startSlackServer()));
  after(() => server.close());

  it('50 BackOff occurrences in the interval make one message; the next one after it says 49 were suppressed', async () => {
    const clock = new ManualClock();
    const yaml = [
      '- name: chat',
      '  slack:',
      "    token: '${SLACK_TOKEN}'",
      `    apiUrl: "${server.origin}/api/"`,
      '    channel: "#shop"',
      '    message: "{{ .Reason }} {{ .InvolvedObject.Name }}{{ if .Suppressed }} ({{ .Suppressed }} more suppressed){{ end }}"',
      '  throttle: { intervalMs: 600000 }',
    ].join('\n');
    const config = receiverFromYaml(yaml, { SLACK_TOKEN });
    const { logger } = memoryLogger();
    const metrics = new Metrics({ processMetrics: false });
    const counts = new Counts();
    const observer = Object.assign(counts, {
      throttled: (n: number) => metrics.receiverThrottled('chat', n),
    });
    const output = createOutput(config, {
      receiver: createReceiver(config, { clock, logger }),
      deadLetter: new MemoryDeadLetter(),
      clock,
      logger,
      observer,
    });
    const before = server.requests.length;
    // A crash loop: BackOff every 10 s for 500 s, all inside the 10-minute interval.
    for (let n = 1; n <= 50; n++) {
      await output.push(backOff(n));
      await until(() => counts.settledN === n, `occurrence ${n}`);
      await clock.advance(10_000);
    }
    assert.deepEqual(
      server.requests.slice(before).map((r) => slackMessage(r).text),
      ['BackOff api-7d9f-x2'],
    );
    await clock.advance(600_000);
    await output.push(backOff(51));
    await until(() => counts.settledN === 51, 'the 51st');
    assert.deepEqual(
      server.requests.slice(before).map((r) => slackMessage(r).text),
      ['BackOff api-7d9f-x2', 'BackOff api-7d9f-x2 (49 more suppressed)'],
    );
    assert.match(await metrics.text(), /receiver_events_throttled_total\{receiver="chat"\} 49/);
    await output.drain(clock.now());
  });
});
