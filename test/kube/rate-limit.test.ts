import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenBucket } from '../../src/kube/rate-limit.ts';
import { ManualClock } from '../../src/util/clock.ts';

/** Takes `n` tokens at once and records the clock time at which each was granted. */
function takeAll(
  bucket: TokenBucket,
  clock: ManualClock,
  n: number,
  signal?: AbortSignal,
): { granted: number[]; all: Promise<unknown> } {
  const granted: number[] = [];
  const start = clock.now();
  const all = Promise.allSettled(
    Array.from({ length: n }, () => bucket.take(signal).then(() => granted.push(clock.now() - start))),
  );
  return { granted, all };
}

describe('TokenBucket', () => {
  const cases = [
    {
      name: 'burst then one per 1/qps',
      qps: 5,
      burst: 10,
      n: 13,
      expected: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 200, 400, 600],
    },
    { name: 'burst of one', qps: 2, burst: 1, n: 3, expected: [0, 500, 1000] },
    { name: 'fractional qps', qps: 0.5, burst: 1, n: 2, expected: [0, 2000] },
    { name: 'no limit', qps: Infinity, burst: 1, n: 4, expected: [0, 0, 0, 0] },
  ];
  for (const c of cases) {
    it(`grants tokens at the configured rate: ${c.name}`, async () => {
      const clock = new ManualClock(0);
      const bucket = new TokenBucket({ qps: c.qps, burst: c.burst, clock });
      const { granted, all } = takeAll(bucket, clock, c.n);
      await clock.advance(10_000);
      await all;
      assert.deepEqual(granted, c.expected);
    });
  }

  it('refills up to the burst after a quiet period, not beyond', async () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket({ qps: 10, burst: 3, clock });
    await takeAll(bucket, clock, 3).all;
    await clock.advance(60_000);
    const { granted, all } = takeAll(bucket, clock, 5);
    await clock.advance(1000);
    await all;
    assert.deepEqual(granted, [0, 0, 0, 100, 200]);
  });

  it('serves waiters first come first served', async () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket({ qps: 1, burst: 1, clock });
    const order: string[] = [];
    await bucket.take();
    const a = bucket.take().then(() => order.push('a'));
    const b = bucket.take().then(() => order.push('b'));
    await clock.advance(999);
    assert.deepEqual(order, []);
    assert.equal(bucket.waiting, 2);
    await clock.advance(1);
    assert.deepEqual(order, ['a']);
    await clock.advance(1000);
    await Promise.all([a, b]);
    assert.deepEqual(order, ['a', 'b']);
  });

  it('rejects an aborted waiter and gives its place to the next', async () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket({ qps: 1, burst: 1, clock });
    await bucket.take();
    const controller = new AbortController();
    const aborted = bucket.take(controller.signal);
    const next = bucket.take();
    controller.abort(new Error('stopping'));
    await assert.rejects(aborted, /stopping/);
    assert.equal(bucket.waiting, 1);
    await clock.advance(1000);
    await next;
    assert.equal(bucket.waiting, 0);
    await assert.rejects(bucket.take(controller.signal), /stopping/);
  });
});
