import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffMs, decideRetry } from '../../src/output/retry.ts';
import { RETRY_DEFAULTS } from '../../src/output/policy.ts';

const one = (): number => 1;
const zero = (): number => 0;

describe('backoff (full jitter)', () => {
  it('has ceilings that double from initialDelayMs up to maxDelayMs', () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 7, 8, 60].map((n) => backoffMs(n, RETRY_DEFAULTS, one));
    assert.deepEqual(ceilings, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('stays within [0, ceiling) for any jitter', () => {
    for (const r of [0, 0.25, 0.5, 0.999]) {
      for (let n = 1; n <= 10; n++) {
        const d = backoffMs(n, RETRY_DEFAULTS, () => r);
        const ceiling = Math.min(30000, 500 * 2 ** (n - 1));
        assert.ok(d >= 0 && d <= ceiling, `retry ${n}, jitter ${r}: ${d}`);
        assert.equal(d, Math.floor(r * ceiling));
      }
    }
  });
});

describe('decideRetry', () => {
  const policy = { maxAttempts: 4, initialDelayMs: 100, maxDelayMs: 1000, maxElapsedMs: 5000 };
  const cases: {
    name: string;
    state: Parameters<typeof decideRetry>[0];
    random: () => number;
    expected: ReturnType<typeof decideRetry>;
  }[] = [
    {
      name: 'waits the backoff',
      state: { attempts: 2, elapsedMs: 0 },
      random: one,
      expected: { kind: 'wait', delayMs: 200 },
    },
    {
      name: 'Retry-After is a floor',
      state: { attempts: 1, elapsedMs: 0, retryAfterMs: 3000 },
      random: one,
      expected: { kind: 'wait', delayMs: 3000 },
    },
    {
      name: 'a shorter Retry-After does not cut the backoff',
      state: { attempts: 3, elapsedMs: 0, retryAfterMs: 10 },
      random: one,
      expected: { kind: 'wait', delayMs: 400 },
    },
    {
      name: 'Retry-After above maxDelayMs is still honoured',
      state: { attempts: 1, elapsedMs: 0, retryAfterMs: 4000 },
      random: zero,
      expected: { kind: 'wait', delayMs: 4000 },
    },
    {
      name: 'gives up at maxAttempts',
      state: { attempts: 4, elapsedMs: 0 },
      random: zero,
      expected: { kind: 'giveUp', why: 'maxAttempts' },
    },
    {
      name: 'gives up when the wait would pass maxElapsedMs',
      state: { attempts: 1, elapsedMs: 4000, retryAfterMs: 1001 },
      random: zero,
      expected: { kind: 'giveUp', why: 'maxElapsedMs' },
    },
    {
      name: 'a wait ending exactly at maxElapsedMs is allowed',
      state: { attempts: 1, elapsedMs: 4000, retryAfterMs: 1000 },
      random: zero,
      expected: { kind: 'wait', delayMs: 1000 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(decideRetry(c.state, policy, c.random), c.expected));
  }

  // The defaults: no attempt cap; only the elapsed time ends the retries.
  const byTime: { state: Parameters<typeof decideRetry>[0]; expected: ReturnType<typeof decideRetry> }[] = [
    { state: { attempts: 1000, elapsedMs: 0 }, expected: { kind: 'wait', delayMs: 30_000 } },
    { state: { attempts: 40, elapsedMs: 570_000 }, expected: { kind: 'wait', delayMs: 30_000 } },
    { state: { attempts: 40, elapsedMs: 570_001 }, expected: { kind: 'giveUp', why: 'maxElapsedMs' } },
  ];
  for (const c of byTime) {
    it(`defaults: ${c.state.attempts} attempts after ${c.state.elapsedMs} ms → ${c.expected.kind}`, () =>
      assert.deepEqual(decideRetry(c.state, RETRY_DEFAULTS, one), c.expected));
  }
});
