import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawEvent } from '../../src/event/event.ts';
import { occurrenceKey, SettleTracker } from '../../src/event/settle-tracker.ts';

const T = Date.UTC(2026, 0, 1);

describe('SettleTracker', () => {
  it('has no mark until something is done', () => {
    const t = new SettleTracker({ windowMs: 2000 });
    assert.deepEqual(t.snapshot(), { highWaterMs: undefined, boundaryKeys: [], pending: 0 });
    t.accepted('a/1', T, ['slack', 'es']);
    assert.deepEqual(t.snapshot(), { highWaterMs: undefined, boundaryKeys: [], pending: 1 });
  });

  it('an occurrence is done only when every receiver it was routed to settled it', () => {
    const t = new SettleTracker({ windowMs: 2000 });
    t.accepted('a/1', T, ['slack', 'es']);
    t.settled('a/1', 'slack');
    assert.equal(t.snapshot().highWaterMs, undefined);
    t.settled('a/1', 'webhook'); // not routed there: ignored
    t.settled('a/1', 'slack'); // twice: ignored
    assert.equal(t.pendingCount, 1);
    t.settled('a/1', 'es');
    assert.deepEqual(t.snapshot(), { highWaterMs: T, boundaryKeys: ['a/1'], pending: 0 });
  });

  it('out-of-order settles across receivers: the mark stops below the oldest pending occurrence', () => {
    const t = new SettleTracker({ windowMs: 1000 });
    const routes: [string, number, string[]][] = [
      ['a/1', T + 1000, ['slack', 'es']],
      ['b/1', T + 2000, ['es']],
      ['c/1', T + 3000, ['slack', 'es']],
      ['d/1', T + 3000, ['slack']],
      ['e/1', T + 5000, ['es']],
    ];
    for (const [key, at, receivers] of routes) t.accepted(key, at, receivers);
    const steps: [string, string, number | undefined, string[]][] = [
      // key settled, by whom, expected mark, expected boundary keys
      ['e/1', 'es', undefined, []],
      ['c/1', 'es', undefined, []],
      ['b/1', 'es', undefined, []],
      ['a/1', 'es', undefined, []],
      ['a/1', 'slack', T + 2000, ['a/1', 'b/1', 'e/1']],
      ['d/1', 'slack', T + 2000, ['a/1', 'b/1', 'e/1', 'd/1']],
      ['c/1', 'slack', T + 5000, ['e/1']],
    ];
    for (const [key, receiver, mark, boundary] of steps) {
      t.settled(key, receiver);
      const snap = t.snapshot();
      assert.equal(snap.highWaterMs, mark, `after ${key} by ${receiver}`);
      assert.deepEqual([...snap.boundaryKeys].sort(), [...boundary].sort(), `after ${key} by ${receiver}`);
    }
  });

  it('keeps every done key at the mark time (second-resolution timestamps tie)', () => {
    const t = new SettleTracker({ windowMs: 0 });
    for (const key of ['a/1', 'b/1', 'c/1']) t.accepted(key, T, ['x']);
    t.accepted('z/1', T - 5000, ['x']);
    for (const key of ['z/1', 'a/1', 'b/1', 'c/1']) t.settled(key, 'x');
    assert.deepEqual(t.snapshot(), { highWaterMs: T, boundaryKeys: ['a/1', 'b/1', 'c/1'], pending: 0 });
  });

  it('forgets done keys below the window but keeps the mark there', () => {
    const t = new SettleTracker({ windowMs: 1000 });
    t.accepted('old/1', T, ['x']);
    t.settled('old/1', 'x');
    t.accepted('new/1', T + 10_000, ['x']);
    t.settled('new/1', 'x');
    assert.deepEqual(t.snapshot().boundaryKeys, ['new/1']);
    // A late occurrence older than everything remembered: the mark falls back just below it.
    t.accepted('late/1', T + 5000, ['x']);
    assert.equal(t.snapshot().highWaterMs, T);
    t.settled('late/1', 'x');
    assert.equal(t.snapshot().highWaterMs, T + 10_000);
  });

  it('the same key accepted twice (last-seen moved, count did not) owes both deliveries', () => {
    const t = new SettleTracker({ windowMs: 1000 });
    t.accepted('a/3', T, ['x']);
    t.accepted('a/3', T + 4000, ['x']);
    t.settled('a/3', 'x');
    assert.equal(t.snapshot().highWaterMs, undefined);
    t.settled('a/3', 'x');
    assert.deepEqual(t.snapshot(), { highWaterMs: T + 4000, boundaryKeys: ['a/3'], pending: 0 });
  });

  it('bounds the boundary keys, those at or below the mark first', () => {
    const t = new SettleTracker({ windowMs: 1000, maxBoundaryKeys: 2 });
    t.accepted('p/1', T + 1000, ['x']);
    t.accepted('above/1', T + 2000, ['x']);
    t.settled('above/1', 'x');
    for (const key of ['b1/1', 'b2/1', 'b3/1']) {
      t.accepted(key, T, ['x']);
      t.settled(key, 'x');
    }
    const snap = t.snapshot();
    assert.equal(snap.highWaterMs, T);
    assert.deepEqual(snap.boundaryKeys, ['b1/1', 'b2/1']);
  });

  it('keys an occurrence by uid and the API count', () => {
    const event = { metadata: { uid: 'u-1', name: 'n', namespace: 'ns' }, count: 7 } as unknown as RawEvent;
    assert.equal(occurrenceKey(event), 'u-1/7');
    const series = { metadata: { name: 'n', namespace: 'ns' }, series: { count: 3 } } as unknown as RawEvent;
    assert.equal(occurrenceKey(series), 'ns/n/3');
  });
});
