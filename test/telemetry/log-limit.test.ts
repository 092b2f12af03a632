import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/telemetry/log.ts';
import { RateLimitedLogger, logOnce } from '../../src/telemetry/log-limit.ts';
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
