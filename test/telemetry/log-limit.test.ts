import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/telemetry/log.ts';
import { LogLimiter, RateLimitedLogger, logOnce } from '../../src/telemetry/log-limit.ts';
import { ManualClock } from '../../src/util/clock.ts';

function setup() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      for (const line of String(chunk).split('\n'))
        if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ level: 'debug', format: 'json', destination: stream, base: null });
  return { lines, logger, clock: new ManualClock() };
}

describe('RateLimitedLogger', () => {
  it('logs a key at most once per interval and reports how many were suppressed', async () => {
    const { lines, logger, clock } = setup();
    const limited = new RateLimitedLogger(logger, { intervalMs: 60_000, clock });
    let failures = 0; // stands for the metric: counted every time
    const fail = () => {
      failures++;
      return limited.warn('send:alerts', { receiver: 'alerts' }, 'Send failed.');
    };
    assert.equal(fail(), true);
    for (let i = 0; i < 9; i++) assert.equal(fail(), false);
    assert.equal(limited.suppressedCount('send:alerts'), 9);
    await clock.advance(59_999);
    assert.equal(fail(), false);
    await clock.advance(1);
    assert.equal(fail(), true);
    assert.equal(failures, 12);
    assert.deepEqual(
      lines.map((l) => [l.level, l.msg, l.receiver, l.suppressed]),
      [
        ['warn', 'Send failed.', 'alerts', undefined],
        ['warn', 'Send failed.', 'alerts', 10],
      ],
    );
    assert.equal(limited.suppressedCount('send:alerts'), 0);
  });

  it('limits keys independently', () => {
    const { lines, logger, clock } = setup();
    const limited = new RateLimitedLogger(logger, { intervalMs: 1000, clock });
    for (const key of ['a', 'b', 'a', 'c', 'b']) limited.error(key, { key }, 'Failed.');
    assert.deepEqual(
      lines.map((l) => l.key),
      ['a', 'b', 'c'],
    );
  });

  it('forgets the least recently logged key beyond maxKeys', () => {
    const { lines, logger, clock } = setup();
    const limited = new RateLimitedLogger(logger, { intervalMs: 1000, clock, maxKeys: 2 });
    for (const key of ['a', 'b', 'c', 'a']) limited.info(key, { key }, 'Seen.');
    assert.deepEqual(
      lines.map((l) => l.key),
      ['a', 'b', 'c', 'a'],
    );
  });

  it('logOnce logs each key once for good', async () => {
    const { lines, logger, clock } = setup();
    const once = logOnce(logger, clock);
    once.warn('forbidden:Secret', { kind: 'Secret' }, 'Lookups of this kind are forbidden.');
    await clock.advance(365 * 24 * 3600_000);
    once.warn('forbidden:Secret', { kind: 'Secret' }, 'Lookups of this kind are forbidden.');
    once.warn('forbidden:Lease', { kind: 'Lease' }, 'Lookups of this kind are forbidden.');
    assert.deepEqual(
      lines.map((l) => l.kind),
      ['Secret', 'Lease'],
    );
    assert.equal(once.suppressedCount('forbidden:Secret'), 1);
  });
});

describe('LogLimiter (the one limiter the output, the object cache and the loggers share)', () => {
  // Each step: advance the clock by `afterMs`, then pass `key`; `expect` is what pass returns
  // (undefined = stay quiet, n = write, n lines having been held back).
  const cases = [
    {
      name: 'one line per key per interval, the next one carrying the count',
      intervalMs: 1000,
      steps: [
        { afterMs: 0, key: 'a', expect: 0 },
        { afterMs: 10, key: 'a', expect: undefined },
        { afterMs: 10, key: 'a', expect: undefined },
        { afterMs: 0, key: 'b', expect: 0 },
        { afterMs: 980, key: 'a', expect: 2 },
        { afterMs: 999, key: 'a', expect: undefined },
      ],
    },
    {
      name: 'Infinity: once per key for good',
      intervalMs: Number.POSITIVE_INFINITY,
      steps: [
        { afterMs: 0, key: 'Forbidden Secret', expect: 0 },
        { afterMs: 3_600_000, key: 'Forbidden Secret', expect: undefined },
        { afterMs: 0, key: 'Forbidden Lease', expect: 0 },
      ],
    },
  ] as const;
  for (const c of cases) {
    it(c.name, async () => {
      const clock = new ManualClock();
      const limiter = new LogLimiter(clock, c.intervalMs);
      for (const step of c.steps) {
        await clock.advance(step.afterMs);
        assert.equal(limiter.pass(step.key), step.expect, `${step.key} after ${step.afterMs} ms`);
      }
    });
  }

  it('forgets the least recently written key beyond maxKeys', () => {
    const clock = new ManualClock();
    const limiter = new LogLimiter(clock, Number.POSITIVE_INFINITY, 2);
    assert.equal(limiter.pass('a'), 0);
    assert.equal(limiter.pass('b'), 0);
    assert.equal(limiter.pass('c'), 0);
    assert.equal(limiter.pass('b'), undefined, 'b is still remembered');
    assert.equal(limiter.pass('a'), 0, 'a was forgotten, so it is written again');
  });
});
