// Repeated failures (a receiver down, a Forbidden lookup per event) would flood the log: the
// first one of a key is logged, the next ones within the interval are only counted, and the
// first one after the interval carries how many were suppressed. Metrics still count every
// failure: callers increment them before (and regardless of) logging.
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { Clock } from '../util/clock.ts';

export const LIMITED_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LimitedLevel = (typeof LIMITED_LEVELS)[number];

export interface RateLimitedLoggerOptions {
  /** At most one line per key per interval; `Infinity` = once per key for the process's life. */
  readonly intervalMs: number;
  readonly clock: Clock;
  /** Keys remembered; the oldest is forgotten beyond this (it may then log again early). */
  readonly maxKeys?: number;
}

interface KeyState {
  loggedAtMs: number;
  suppressed: number;
}

export const DEFAULT_MAX_KEYS = 1024;

/**
 * The decision alone, for callers that write their own line: `pass(key)` says whether a line
 * for `key` may be written now and, if so, how many were held back since the last one.
 */
export class LogLimiter {
  // Bounded: beyond maxKeys the least recently used key is forgotten (it may then log again early).
  private readonly keys: LRUCache<string, KeyState>;

  /** `intervalMs`: at most one line per key per interval; `Infinity` = once per key for good. */
  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    maxKeys: number = DEFAULT_MAX_KEYS,
  ) {
    this.keys = new LRUCache({ max: maxKeys });
  }

  /** Undefined: stay quiet (counted). Otherwise the number of lines held back since the last one. */
  pass(key: string): number | undefined {
    const now = this.clock.now();
    const state = this.keys.get(key);
    if (state !== undefined && now - state.loggedAtMs < this.intervalMs) {
      state.suppressed++;
      return undefined;
    }
    this.keys.set(key, { loggedAtMs: now, suppressed: 0 });
    return state?.suppressed ?? 0;
  }

  /** Lines of `key` held back since its last written one. */
  suppressedCount(key: string): number {
    return this.keys.peek(key)?.suppressed ?? 0;
  }
}

/** A logger whose lines are limited per key (see LogLimiter). */
export class RateLimitedLogger {
  private readonly limiter: LogLimiter;

  constructor(
    private readonly logger: Logger,
    options: RateLimitedLoggerOptions,
  ) {
    this.limiter = new LogLimiter(options.clock, options.intervalMs, options.maxKeys);
  }

  /**
   * Logs `msg` with `fields` unless `key` was logged less than the interval ago. Returns true
   * when the line was written. A line written after suppressions has `suppressed: n`.
   */
  log(level: LimitedLevel, key: string, fields: Record<string, unknown>, msg: string): boolean {
    const suppressed = this.limiter.pass(key);
    if (suppressed === undefined) return false;
    this.logger[level](suppressed > 0 ? { ...fields, suppressed } : fields, msg);
    return true;
  }

  debug(key: string, fields: Record<string, unknown>, msg: string): boolean {
    return this.log('debug', key, fields, msg);
  }

  info(key: string, fields: Record<string, unknown>, msg: string): boolean {
    return this.log('info', key, fields, msg);
  }

  warn(key: string, fields: Record<string, unknown>, msg: string): boolean {
    return this.log('warn', key, fields, msg);
  }

  error(key: string, fields: Record<string, unknown>, msg: string): boolean {
    return this.log('error', key, fields, msg);
  }

  /** Lines of `key` not written since its last written one. */
  suppressedCount(key: string): number {
    return this.limiter.suppressedCount(key);
  }
}

/** Logs each key once for the life of the process (e.g. "Forbidden" once per kind). */
export function logOnce(logger: Logger, clock: Clock, maxKeys?: number): RateLimitedLogger {
  return new RateLimitedLogger(logger, { intervalMs: Number.POSITIVE_INFINITY, clock, maxKeys });
}
