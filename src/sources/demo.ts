import { systemClock, type Clock } from '../util/clock.ts';
import { demoScenario } from './demo-scenario.ts';
import type { EventSink, EventSource, SourceObserver } from './types.ts';

export interface DemoOptions {
  readonly clock?: Clock;
  /** How many times faster than real time the scenario plays (its timestamps stay real). */
  readonly speed?: number;
}

// Ten times real time: the whole story (about two minutes of cluster time) plays in ~12 s.
const DEFAULT_SPEED = 10;

/** The built-in scenario (demo-scenario.ts), each occurrence emitted at its scaled time. */
export function createDemoSource(options: DemoOptions = {}): EventSource {
  const clock = options.clock ?? systemClock;
  const speed = options.speed ?? DEFAULT_SPEED;
  return {
    kind: 'demo',
    async run(sink: EventSink, signal: AbortSignal, observer?: SourceObserver): Promise<void> {
      const startMs = clock.now();
      const steps = demoScenario(startMs);
      observer?.listed?.(0);
      for (const step of steps) {
        const waitMs = startMs + step.atMs / speed - clock.now();
        try {
          if (waitMs > 0) await clock.sleep(waitMs, signal);
        } catch {
          return; // aborted
        }
        observer?.activity?.();
        await sink({ type: (step.event.count ?? 1) > 1 ? 'MODIFIED' : 'ADDED', event: step.event });
      }
    },
  };
}
