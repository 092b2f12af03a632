import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff, DEFAULT_BACKOFF } from '../../src/kube/backoff.ts';

describe('Backoff (full jitter)', () => {
  const cases = [
    {
      name: 'bounds double from 1 s and cap at 30 s',
      random: 0.999_999,
      expected: [999, 1999, 3999, 7999, 15_999, 29_999, 29_999],
    },
    { name: 'half of each bound', random: 0.5, expected: [500, 1000, 2000, 4000, 8000, 15_000, 15_000] },
    { name: 'zero jitter retries at once', random: 0, expected: [0, 0, 0, 0, 0, 0, 0] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const backoff = new Backoff(DEFAULT_BACKOFF, () => c.random);
      assert.deepEqual(
        c.expected.map(() => backoff.next()),
        c.expected,
      );
    });
  }

  it('starts again from the initial bound after reset', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000 }, () => 0.5);
    assert.deepEqual([backoff.next(), backoff.next(), backoff.next()], [50, 100, 200]);
    backoff.reset();
    assert.equal(backoff.boundMs, 100);
    assert.equal(backoff.next(), 50);
  });

  it('stays within [0, bound) with the real random source', () => {
    const backoff = new Backoff({ initialMs: 1000, maxMs: 30_000 });
    for (let i = 0; i < 50; i++) {
      const bound = backoff.boundMs;
      const delay = backoff.next();
      assert.ok(delay >= 0 && delay < bound, `${delay} within [0, ${bound})`);
    }
  });
});
