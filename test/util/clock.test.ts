import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/util/clock.ts';

describe('ManualClock', () => {
  it('runs timers in time order as time advances', async () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimer(() => fired.push('b@200'), 200);
    clock.setTimer(() => fired.push('a@100'), 100);
    const cancelled = clock.setTimer(() => fired.push('never'), 150);
    cancelled.cancel();
    await clock.advance(150);
    assert.deepEqual(fired, ['a@100']);
    assert.equal(clock.now(), 150);
    await clock.advance(100);
    assert.deepEqual(fired, ['a@100', 'b@200']);
  });

  it('lets chained sleeps run within one advance', async () => {
    const clock = new ManualClock(0);
    const times: number[] = [];
    const chain = (async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(1000);
        times.push(clock.now());
      }
    })();
    await clock.advance(5000);
    await chain;
    assert.deepEqual(times, [1000, 2000, 3000]);
  });

  it('rejects a sleep when its signal aborts', async () => {
    const clock = new ManualClock(0);
    const controller = new AbortController();
    const sleeping = clock.sleep(1000, controller.signal);
    controller.abort(new Error('stopped'));
    await assert.rejects(sleeping, /stopped/);
    assert.equal(clock.timers, 0);
  });
});
