// A receiver's `throttle` (issue 5): per key (a template, by default one object and reason), the
// first event in each interval passes and the rest are held back and counted; the next event that
// passes for the key carries that count as `.Suppressed`. Memory is bounded by `maxKeys` (least
// recently used keys are forgotten, with their counts).
import { LRUCache } from 'lru-cache';
import type { CompiledThrottle } from '../config/schema.ts';
import type { EnrichedEvent } from '../event/event.ts';
import type { Clock } from '../util/clock.ts';

interface KeyState {
  /** When the last event with this key passed. */
  passedAtMs: number;
  /** Events held back since then. */
  suppressed: number;
}

export type ThrottleDecision =
  { readonly pass: true; readonly event: EnrichedEvent } | { readonly pass: false };

const HELD: ThrottleDecision = { pass: false };

export class Throttle {
  private readonly keys: LRUCache<string, KeyState>;
  /** Key templates that failed (per message): the event passes, unthrottled. */
  keyErrors = 0;

  constructor(
    private readonly config: CompiledThrottle,
    private readonly clock: Clock,
  ) {
    this.keys = new LRUCache<string, KeyState>({ max: config.maxKeys });
  }

  /** Whether `event` passes; a passing event is a copy carrying `suppressed` (0 when nothing was held back). */
  admit(event: EnrichedEvent): ThrottleDecision {
    let key: string;
    try {
      key = this.config.key.execute(event);
    } catch {
      // A key that cannot be rendered must not cost the event: it goes out unthrottled.
      this.keyErrors++;
      return { pass: true, event };
    }
    const now = this.clock.now();
    const state = this.keys.get(key);
    if (state !== undefined && now - state.passedAtMs < this.config.intervalMs) {
      state.suppressed++;
      return HELD;
    }
    const suppressed = state?.suppressed ?? 0;
    this.keys.set(key, { passedAtMs: now, suppressed: 0 });
    // A new object: template views are cached per event object.
    return { pass: true, event: { ...event, suppressed } };
  }

  /** Keys currently remembered. */
  get size(): number {
    return this.keys.size;
  }
}
