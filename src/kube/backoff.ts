// Exponential backoff with full jitter (a random delay up to the capped exponential bound), so
// many routers restarted by one API outage do not come back in step.

export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 30_000 };

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly policy: BackoffPolicy = DEFAULT_BACKOFF,
    /** Returns a number in [0, 1); injected by tests. */
    private readonly random: () => number = Math.random,
  ) {}

  /** The upper bound of the next delay: initialMs · 2^attempt, capped at maxMs. */
  get boundMs(): number {
    return Math.min(this.policy.maxMs, this.policy.initialMs * 2 ** Math.min(this.attempt, 30));
  }

  /** The next delay, then the bound doubles. */
  next(): number {
    const delayMs = Math.floor(this.random() * this.boundMs);
    this.attempt += 1;
    return delayMs;
  }

  /** After a success: the next failure starts again from initialMs. */
  reset(): void {
    this.attempt = 0;
  }
}
