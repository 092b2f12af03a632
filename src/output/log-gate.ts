// Decides which repeated failures reach the log: the first of a key, then at most one per
// interval, carrying how many were skipped. Metrics count every one regardless.
import type { Clock } from '../util/clock.ts';

const MAX_KEYS = 256;

export class LogGate {
  private readonly keys = new Map<string, { atMs: number; skipped: number }>();

  /** `intervalMs` Infinity = once per key for the output's life. */
  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {}

  /** Undefined: stay quiet. Otherwise the number of lines skipped since the last one. */
  pass(key: string): number | undefined {
    const now = this.clock.now();
    const state = this.keys.get(key);
    if (state !== undefined && now - state.atMs < this.intervalMs) {
      state.skipped++;
      return undefined;
    }
    if (state === undefined && this.keys.size >= MAX_KEYS) {
      const oldest = this.keys.keys().next();
      if (oldest.done !== true) this.keys.delete(oldest.value);
    }
    this.keys.set(key, { atMs: now, skipped: 0 });
    return state?.skipped ?? 0;
  }
}
