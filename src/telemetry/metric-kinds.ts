// Label vocabularies, buckets and helpers of the router's metrics (metrics.ts).
import { createRequire } from 'node:module';
import type { Counter } from 'prom-client';
import type { FailureReason } from '../receivers/common/types.ts';
import { labelValue } from './event-counter.ts';

export const DEFAULT_METRICS_PREFIX = 'kube_event_router_';

/** A known value, or any other string a later stage needs (label values stay code-chosen). */
export type Open<Known extends string> = Known | (string & Record<never, never>);

/** Why an event went no further than the router. */
export type DropReason = Open<
  'duplicate' | 'tooOld' | 'checkpoint' | 'repeat' | 'noReceiver' | 'deleted' | 'notLeader'
>;
/** The last failure's reason, or `shutdown` when the drain deadline passed. */
export type DeadLetterReason = Open<FailureReason | 'shutdown'>;
/** Why an object lookup failed (`unavailable`: the cache's circuit breaker is open). */
export type LookupErrorReason = Open<
  'forbidden' | 'rateLimited' | 'timeout' | 'serverError' | 'clientError' | 'network' | 'unavailable'
>;
export type WatchRestartReason = Open<'gone' | 'error' | 'closed' | 'timeout'>;
export type ReloadResult = 'success' | 'failure';

export const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
export const BATCH_EVENTS_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000];
export const BATCH_BYTES_BUCKETS = [1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216];

export function packageVersion(): string {
  try {
    const pkg = createRequire(import.meta.url)('../../package.json') as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** A counter with one label whose children are created once per value. */
export class Labelled<L extends string> {
  private readonly children = new Map<string, Counter.Internal>();
  constructor(readonly counter: Counter<L>) {}
  inc(value: string, by = 1): void {
    let child = this.children.get(value);
    if (child === undefined) {
      child = this.counter.labels(labelValue(value));
      this.children.set(value, child);
    }
    child.inc(by);
  }
}
