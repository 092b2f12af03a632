import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createOutput } from '../../src/output/output.ts';
import { SendError, type SendResult } from '../../src/receivers/common/types.ts';
import { ManualClock } from '../../src/util/clock.ts';
import {
  Counts,
  MemoryDeadLetter,
  memoryLogger,
  receiverFromYaml,
  ScriptedReceiver,
  someEvents,
} from './helpers.ts';

// A replay that ended drains without hurry (its retries may take minutes); a SIGTERM then drains
// the same outputs again with shutdownTimeoutMs: the earlier deadline wins.

const serverError: SendResult = {
  kind: 'retry',
  reason: 'serverError',
  error: new SendError('HTTP 503', 503),
};
const RETRYING =
  '- name: r\n  stdout: {}\n  batch: { maxEvents: 1 }\n  retry: { initialDelayMs: 1000, maxAttempts: 1000, maxElapsedMs: 600000 }';

function setup() {
  const clock = new ManualClock();
  const receiver = new ScriptedReceiver(() => clock.now(), [serverError]);
  const dead = new MemoryDeadLetter();
  const counts = new Counts();
  const output = createOutput(receiverFromYaml(RETRYING), {
    receiver,
    deadLetter: dead,
    clock,
    logger: memoryLogger().logger,
    observer: counts,
    random: () => 1,
  });
  return { clock, receiver, dead, counts, output };
}

describe('output: a second drain with an earlier deadline', () => {
  const cases = [
    { name: 'an earlier deadline ends the drain then', first: 600_000, second: 3_000, endsAfterMs: 3_000 },
    { name: 'a later deadline changes nothing', first: 3_000, second: 600_000, endsAfterMs: 3_000 },
  ] as const;
  for (const c of cases) {
    it(c.name, async () => {
      const { clock, dead, counts, output, receiver } = setup();
      const t0 = clock.now();
      for (const e of someEvents(5)) await output.push(e);
      let ended = false;
      const first = output.drain(t0 + c.first).then(() => (ended = true));
      await clock.advance(1500);
      const second = output.drain(t0 + c.second);
      await clock.advance(c.endsAfterMs - 1500 - 1);
      assert.equal(ended, false);
      await clock.advance(1);
      await Promise.all([first, second]);
      assert.equal(clock.now() - t0, c.endsAfterMs);
      assert.equal(dead.records.length, 5);
      assert.ok(dead.records.every((r) => r.reason === 'shutdown'));
      assert.equal(counts.settledN, 5);
      assert.ok(receiver.closed);
    });
  }
});
