import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Figures, Scale } from './harness.ts';
import { leaderFailover, sigkillRestart, sigtermRestart } from './process-scenarios.ts';
import { reloadUnderLoad, receiverDown, watchCuts } from './scenarios.ts';

// The short form of `npm run faults` for CI: the same scenarios with durations and rates scaled
// down. Each prints its figures; every one must show nothing lost and nothing doubled.
const SHORT: Scale = { time: 0.05, events: 0.4 };

const scenarios: { name: string; run: (scale: Scale) => Promise<Figures>; mayRepeat?: boolean }[] = [
  { name: 'receiver down', run: receiverDown },
  { name: 'watch cuts and 410 storms', run: watchCuts },
  { name: 'SIGTERM under load, then restart', run: sigtermRestart },
  // A killed process may send its in-flight batches again; they carry the same Idempotency-Key.
  { name: 'SIGKILL under load, then restart', run: sigkillRestart, mayRepeat: true },
  { name: 'leader killed, standby takes over', run: leaderFailover, mayRepeat: true },
  { name: 'config reload under load', run: reloadUnderLoad },
];

describe('fault injection (short form)', () => {
  for (const s of scenarios) {
    it(s.name, async () => {
      const figures = await s.run(SHORT);
      console.log(`# ${JSON.stringify(figures)}`);
      assert.ok(figures.accepted > 0);
      assert.equal(figures.lost, 0);
      if (s.mayRepeat !== true) assert.equal(figures.duplicated, 0);
    });
  }
});
