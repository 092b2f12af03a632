import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Deduper } from '../../src/event/dedupe.ts';
import { createDemoSource } from '../../src/sources/demo.ts';
import { demoScenario } from '../../src/sources/demo-scenario.ts';
import { createReplaySource } from '../../src/sources/replay.ts';
import type { EventChange } from '../../src/sources/types.ts';
import { ManualClock } from '../../src/util/clock.ts';

describe('demo source', () => {
  it('plays every occurrence at its scaled time, and each is a new occurrence', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 9, 30));
    const got: { atMs: number; change: EventChange }[] = [];
    const start = clock.now();
    const run = createDemoSource({ clock, speed: 10 }).run((change) => {
      got.push({ atMs: clock.now() - start, change });
    }, new AbortController().signal);
    await clock.advance(60_000);
    await run;
    const steps = demoScenario(start);
    assert.equal(got.length, steps.length);
    got.forEach((g, i) => assert.equal(g.atMs, Math.ceil((steps[i]?.atMs ?? 0) / 10)));
    const deduper = new Deduper({ now: () => clock.now() });
    assert.ok(
      got.every((g) => deduper.observe(g.change).kind === 'new'),
      'every demo step is a new occurrence',
    );
    const reasons = new Set(got.map((g) => g.change.event.reason));
    for (const r of [
      'BackOff',
      'OOMKilling',
      'FailedScheduling',
      'NodeNotReady',
      'Failed',
      'ScalingReplicaSet',
    ])
      assert.ok(reasons.has(r), r);
  });

  it('stops when aborted', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    let seen = 0;
    const run = createDemoSource({ clock }).run(() => {
      seen++;
    }, controller.signal);
    await clock.advance(500);
    controller.abort();
    await run;
    const before = seen;
    await clock.advance(60_000);
    assert.equal(seen, before);
    assert.ok(before > 0 && before < demoScenario(0).length);
  });
});

describe('replay source', () => {
  it('replays watch lines with their types and reports malformed lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ker-replay-'));
    const path = join(dir, 'watch.ndjson');
    const event = { metadata: { uid: 'u1', name: 'a' }, reason: 'BackOff', count: 1 };
    writeFileSync(
      path,
      [
        JSON.stringify({ type: 'ADDED', object: event }),
        '{not json',
        JSON.stringify({ type: 'MODIFIED', object: { ...event, count: 2 } }),
        JSON.stringify({ type: 'DELETED', object: event }),
      ].join('\n'),
    );
    const changes: string[] = [];
    const malformed: string[] = [];
    await createReplaySource(path).run(
      (c) => {
        changes.push(`${c.type}:${c.event.count ?? 0}`);
      },
      new AbortController().signal,
      { malformed: (reason) => malformed.push(reason) },
    );
    assert.deepEqual(changes, ['ADDED:1', 'MODIFIED:2', 'DELETED:1']);
    assert.equal(malformed.length, 1);
  });
});
