// The default queue policy `block` as the router runs it: a full queue stops the source reading
// (no event dropped), a slow receiver does not hold back another until its own queue is full,
// and everything flows again once the slow one has room. Manual clock; no real sleeps.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Router } from '../../src/app/pipeline.ts';
import { loadConfigText } from '../../src/config/load.ts';
import type { EnrichedEvent } from '../../src/event/event.ts';
import { createOutput, type Output } from '../../src/output/output.ts';
import type { EventSource } from '../../src/sources/types.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { MemoryDeadLetter, memoryLogger, ScriptedReceiver, someEvents } from './helpers.ts';

const CONFIG = `
route:
  match:
    - receiver: slow
    - receiver: fast
receivers:
  - name: slow
    stdout: {}
    batch: { maxEvents: 1 }
    queue: { maxEvents: 5 }
  - name: fast
    stdout: {}
    batch: { maxEvents: 1 }
`;

/** Emits `events` one at a time, each only after the router took the previous one; counts reads. */
function countingSource(events: readonly EnrichedEvent[]): EventSource & { read: number } {
  const source = {
    kind: 'replay' as const,
    read: 0,
    async run(sink: Parameters<EventSource['run']>[0]): Promise<void> {
      for (const e of events) {
        source.read++;
        await sink({ type: 'ADDED', event: e.raw });
      }
    },
  };
  return source;
}

function setup(n: number) {
  const clock = new ManualClock();
  const { config } = loadConfigText(CONFIG, { fileName: 'test.yaml', env: {} });
  const { logger, lines } = memoryLogger();
  const receivers = {
    slow: new ScriptedReceiver(() => clock.now()),
    fast: new ScriptedReceiver(() => clock.now()),
  };
  const dead = new MemoryDeadLetter();
  const outputs = new Map<string, Output>(
    config.receivers.map((r) => [
      r.name,
      createOutput(r, { receiver: receivers[r.name as 'slow' | 'fast'], deadLetter: dead, clock, logger }),
    ]),
  );
  const events = someEvents(n);
  const byUid = new Map(events.map((e) => [e.raw.metadata.uid, e]));
  const source = countingSource(events);
  const router = new Router({
    config,
    source,
    outputs,
    logger,
    now: () => clock.now(),
    enrich: (raw) => Promise.resolve(byUid.get(raw.metadata.uid) as EnrichedEvent),
  });
  return { clock, router, source, receivers, dead, lines };
}

describe('backpressure (queue policy block, the default)', () => {
  it('stops reading the source while a queue is full, then delivers every event to both receivers', async () => {
    const { clock, router, source, receivers, dead, lines } = setup(30);
    receivers.slow.hold = true;
    const running = router.run(new AbortController().signal);
    await clock.advance(0);
    // slow: 1 in flight + 5 queued + the 7th waiting for room; nothing more is read.
    assert.equal(source.read, 7);
    assert.equal(router.waitingOnOutputs, true, 'health knows the silence is backpressure');
    assert.equal(receivers.fast.bodies.length, 7, 'the fast receiver got every event read so far');
    assert.ok(
      lines.some(
        (l) => l.msg === 'Queue full; the source waits until this receiver has room (backpressure).',
      ),
    );
    await clock.advance(60_000);
    assert.equal(source.read, 7, 'still paused while the slow receiver holds its batch');
    receivers.slow.release();
    await running;
    await router.drain(clock.now() + 1000);
    assert.equal(source.read, 30);
    assert.equal(receivers.slow.bodies.length, 30);
    assert.equal(receivers.fast.bodies.length, 30);
    assert.equal(dead.records.length, 0, 'nothing dropped');
    assert.equal(router.waitingOnOutputs, false);
  });
});
