// A token bucket in front of every API call (`kubeQPS`, `kubeBurst`), as client-go's default
// rate limiter: `burst` calls may go at once, then one every 1/qps seconds, first come first served.
import { systemClock, type Clock, type TimerHandle } from '../util/clock.ts';

export interface RateLimiter {
  /** Resolves when the caller may make one API call; rejects with the signal's reason on abort. */
  take(signal?: AbortSignal): Promise<void>;
}

export interface TokenBucketOptions {
  /** Sustained calls per second; `Infinity` (or ≤ 0) disables the limit. */
  readonly qps: number;
  /** Calls allowed at once after a quiet period; at least 1. */
  readonly burst: number;
  readonly clock?: Clock;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

export class TokenBucket implements RateLimiter {
  private readonly qps: number;
  private readonly burst: number;
  private readonly clock: Clock;
  private tokens: number;
  private refilledAtMs: number;
  private readonly waiters: Waiter[] = [];
  private timer: TimerHandle | undefined;

  constructor(options: TokenBucketOptions) {
    this.qps = options.qps > 0 ? options.qps : Infinity;
    this.burst = Math.max(1, Math.floor(options.burst));
    this.clock = options.clock ?? systemClock;
    this.tokens = this.burst;
    this.refilledAtMs = this.clock.now();
  }

  /** Callers waiting for a token. */
  get waiting(): number {
    return this.waiters.length;
  }

  take(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.qps === Infinity) return Promise.resolve();
    this.refill();
    if (this.waiters.length === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
      this.schedule();
    });
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAtMs) * this.qps) / 1000);
    this.refilledAtMs = now;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.waiters.length === 0) return;
    const waitMs = Math.max(0, Math.ceil(((1 - this.tokens) * 1000) / this.qps));
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      this.release();
    }, waitMs);
  }

  private release(): void {
    this.refill();
    while (this.waiters.length > 0 && this.tokens >= 1) {
      const waiter = this.waiters.shift() as Waiter;
      this.tokens -= 1;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve();
    }
    this.schedule();
  }
}
