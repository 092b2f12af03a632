import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Batcher } from '../../src/output/batcher.ts';
import { Deque } from '../../src/output/queue.ts';
import type { BatchPolicy } from '../../src/receivers/common/types.ts';
import { ManualClock } from '../../src/util/clock.ts';

interface Thing {
  readonly id: number;
  readonly bytes: number;
}

function things(sizes: readonly number[]): Thing[] {
  return sizes.map((bytes, id) => ({ id, bytes }));
}

function ids(batch: readonly Thing[] | undefined): number[] | undefined {
  return batch?.map((t) => t.id);
}

describe('Deque', () => {
  it('keeps FIFO order across growth and wrap-around', () => {
    const q = new Deque<number>();
    const out: number[] = [];
    for (let i = 0; i < 100; i++) {
      q.push(i);
      if (i % 3 === 0) out.push(q.shift() as number);
    }
    assert.equal(q.peek(), 34);
    assert.equal(q.peekLast(), 99);
    out.push(...q.clear());
    assert.deepEqual(
      out,
      Array.from({ length: 100 }, (_, i) => i),
    );
    assert.equal(q.length, 0);
    assert.equal(q.shift(), undefined);
  });
});

describe('Batcher: batches that go at once (sealed)', () => {
  const cases: { name: string; policy: BatchPolicy; sizes: number[]; batches: number[][] }[] = [
    {
      name: 'by count',
      policy: { maxEvents: 3, maxBytes: 1000, flushIntervalMs: 1000 },
      sizes: [10, 10, 10, 10, 10, 10, 10],
      batches: [
        [0, 1, 2],
        [3, 4, 5],
      ],
    },
    {
      name: 'by bytes (the next item would pass maxBytes)',
      policy: { maxEvents: 100, maxBytes: 25, flushIntervalMs: 1000 },
      sizes: [10, 10, 10, 10, 10],
      batches: [
        [0, 1],
        [2, 3],
      ],
    },
    {
      name: 'by bytes (exactly maxBytes)',
      policy: { maxEvents: 100, maxBytes: 30, flushIntervalMs: 1000 },
      sizes: [10, 10, 10, 5],
      batches: [[0, 1, 2]],
    },
    {
      name: 'an item above maxBytes goes alone',
      policy: { maxEvents: 100, maxBytes: 25, flushIntervalMs: 1000 },
      sizes: [10, 40, 10],
      batches: [[0], [1]],
    },
    {
      name: 'one event per batch (webhook default)',
      policy: { maxEvents: 1, maxBytes: 5_242_880, flushIntervalMs: 0 },
      sizes: [5, 5, 5],
      batches: [[0], [1], [2]],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const clock = new ManualClock();
      const batcher = new Batcher<Thing>(c.policy, clock, () => undefined);
      for (const t of things(c.sizes)) batcher.add(t);
      const got: number[][] = [];
      for (let b = batcher.take(false); b !== undefined; b = batcher.take(false))
        got.push(ids(b) as number[]);
      assert.deepEqual(got, c.batches);
      const taken = c.batches.flat().length;
      assert.equal(batcher.size, c.sizes.length - taken);
    });
  }
});

describe('Batcher: the interval', () => {
  it('starts at the first item, not the last', async () => {
    const clock = new ManualClock();
    let due = 0;
    const batcher = new Batcher<Thing>(
      { maxEvents: 10, maxBytes: 1000, flushIntervalMs: 1000 },
      clock,
      () => due++,
    );
    const [a, b] = things([1, 1]) as [Thing, Thing];
    batcher.add(a);
    await clock.advance(600);
    batcher.add(b);
    assert.equal(batcher.take(false), undefined, 'not due before the interval');
    await clock.advance(399);
    assert.equal(due, 0);
    await clock.advance(1);
    assert.equal(due, 1);
    assert.deepEqual(ids(batcher.take(false)), [0, 1]);
    assert.equal(clock.timers, 0);
  });

  it('gives each batch its own interval, and a sealed batch cancels its timer', async () => {
    const clock = new ManualClock();
    const batcher = new Batcher<Thing>(
      { maxEvents: 2, maxBytes: 1000, flushIntervalMs: 1000 },
      clock,
      () => undefined,
    );
    for (const t of things([1, 1, 1])) batcher.add(t);
    assert.equal(clock.timers, 1, 'only the unsealed third item waits');
    assert.deepEqual(ids(batcher.take(false)), [0, 1]);
    assert.equal(batcher.take(false), undefined);
    await clock.advance(1000);
    assert.deepEqual(ids(batcher.take(false)), [2]);
  });

  it('with interval 0 a batch is due at once', () => {
    const batcher = new Batcher<Thing>(
      { maxEvents: 10, maxBytes: 1000, flushIntervalMs: 0 },
      new ManualClock(),
      () => undefined,
    );
    for (const t of things([1, 1])) batcher.add(t);
    assert.deepEqual(ids(batcher.take(false)), [0, 1]);
  });

  it('flushAll takes an unsealed batch before its interval', () => {
    const batcher = new Batcher<Thing>(
      { maxEvents: 10, maxBytes: 1000, flushIntervalMs: 5000 },
      new ManualClock(),
      () => undefined,
    );
    for (const t of things([1, 1])) batcher.add(t);
    assert.equal(batcher.take(false), undefined);
    assert.deepEqual(ids(batcher.take(true)), [0, 1]);
  });
});

describe('Batcher: removal', () => {
  it('removeOldest takes from the head batch and drops it when empty', () => {
    const clock = new ManualClock();
    const batcher = new Batcher<Thing>(
      { maxEvents: 2, maxBytes: 1000, flushIntervalMs: 1000 },
      clock,
      () => undefined,
    );
    for (const t of things([1, 1, 1])) batcher.add(t);
    assert.equal(batcher.removeOldest()?.id, 0);
    assert.equal(batcher.removeOldest()?.id, 1);
    assert.equal(batcher.size, 1);
    assert.equal(batcher.take(false), undefined, 'the remaining batch is not due yet');
    assert.equal(batcher.removeOldest()?.id, 2);
    assert.equal(clock.timers, 0, 'its timer went with it');
    assert.equal(batcher.removeOldest(), undefined);
  });

  it('takeAll empties the queue in order and cancels timers', () => {
    const clock = new ManualClock();
    const batcher = new Batcher<Thing>(
      { maxEvents: 2, maxBytes: 1000, flushIntervalMs: 1000 },
      clock,
      () => undefined,
    );
    for (const t of things([1, 1, 1, 1, 1])) batcher.add(t);
    assert.deepEqual(ids(batcher.takeAll()), [0, 1, 2, 3, 4]);
    assert.equal(batcher.size, 0);
    assert.equal(clock.timers, 0);
  });
});
