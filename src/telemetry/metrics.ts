// The router's Prometheus metrics (docs/operations.md) on a registry of its own, so tests and embedders
// never share the process-global one. Every method is cheap enough for the per-event path:
// labelled children are looked up once and kept. Label values come from the config (receiver
// names) or from our own reason constants, never from secrets; event labels are capped (see
// event-counter.ts).
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { FailureReason } from '../receivers/common/types.ts';
import { EventCounter, labelValue } from './event-counter.ts';
import type { CountableEvent } from './event-counter.ts';
import { defineMetrics } from './metric-defs.ts';
import type { MetricSet } from './metric-defs.ts';
import { DEFAULT_METRICS_PREFIX, packageVersion } from './metric-kinds.ts';
import type {
  DeadLetterReason,
  DropReason,
  LookupErrorReason,
  Open,
  ReloadResult,
  WatchRestartReason,
} from './metric-kinds.ts';

export type { CountableEvent } from './event-counter.ts';
export { DEFAULT_MAX_EVENT_LABEL_SETS, OTHER_LABEL } from './event-counter.ts';
export { DEFAULT_METRICS_PREFIX } from './metric-kinds.ts';
export type * from './metric-kinds.ts';

export interface MetricsOptions {
  /** The config's `metricsNamePrefix`; "" = none. Default `kube_event_router_`. */
  readonly prefix?: string;
  /** Cap on distinct namespace/kind/reason/type label sets of `events_total`. Default 10,000. */
  readonly maxEventLabelSets?: number;
  /** Process metrics (CPU, memory, event loop lag, GC); default true. */
  readonly processMetrics?: boolean;
}

export class Metrics {
  readonly registry = new Registry();
  readonly prefix: string;
  private readonly queueDepthReaders = new Map<string, () => number>();
  private readonly eventCounter: EventCounter;

  private readonly m: MetricSet;

  constructor(options: MetricsOptions = {}) {
    this.prefix = options.prefix ?? DEFAULT_METRICS_PREFIX;
    this.eventCounter = new EventCounter(this.registry, this.prefix, options.maxEventLabelSets);
    this.m = defineMetrics(this.registry, this.prefix, () => this.collectQueueDepths());
    // Without leader election every replica sends; leader election sets 0 while it waits.
    this.m.leader.set(1);
    this.m.buildInfo.set({ version: packageVersion(), nodejs: process.version }, 1);
    for (const result of ['success', 'failure'] as const) this.m.reloads.labels(result).inc(0);
    if (options.processMetrics !== false) {
      collectDefaultMetrics({ register: this.registry, prefix: this.prefix });
    }
  }

  /** The exposition text for `/metrics`. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  // --- Source and pipeline ---------------------------------------------------------------

  /** One item read from the source: `ADDED` / `MODIFIED` / `DELETED` from a watch, `LISTED` from a list. */
  eventReceived(changeType: string): void {
    this.m.received.inc(changeType);
  }

  /** An occurrence, counted by namespace, kind, reason and type (capped cardinality). */
  eventCounted(event: CountableEvent, occurrences = 1): void {
    this.eventCounter.count(event, occurrences);
  }

  /** The route tree chose `receivers` (non-empty) for an event. */
  eventRouted(receivers: readonly string[]): void {
    this.m.routed.inc();
    for (const name of receivers) this.m.routedTo.inc(name);
  }

  eventDropped(reason: DropReason, n = 1): void {
    this.m.dropped.inc(reason, n);
  }

  eventMalformed(reason: string): void {
    this.m.malformed.inc(malformedReasonLabel(reason));
  }

  // --- Receivers -------------------------------------------------------------------------

  /** Creates a receiver's series at 0 so rates and absence alerts work before its first event. */
  receiverConfigured(name: string): void {
    this.m.sent.labels(name).inc(0);
    this.m.routedTo.inc(name, 0);
    if (!this.queueDepthReaders.has(name)) this.m.queueDepth.set({ receiver: name }, 0);
  }

  /** A batch of `n` events was accepted; `latencyMs` is the attempt's duration. */
  receiverSent(name: string, n: number, latencyMs: number): void {
    this.m.sent.labels(name).inc(n);
    this.m.latency.labels(name).observe(latencyMs / 1000);
  }

  /** An attempt carrying `n` events failed; pass `latencyMs` when the attempt reached the wire. */
  receiverFailed(name: string, reason: FailureReason, n = 1, latencyMs?: number): void {
    this.m.failed.labels(name, reason).inc(n);
    if (latencyMs !== undefined) this.m.latency.labels(name).observe(latencyMs / 1000);
  }

  receiverRetried(name: string, reason: FailureReason): void {
    this.m.retries.labels(name, reason).inc();
  }

  receiverDeadLettered(name: string, reason: DeadLetterReason, n = 1): void {
    this.m.deadLettered.labels(name, labelValue(reason)).inc(n);
  }

  /** `n` events held back by the receiver's `throttle`. */
  receiverThrottled(name: string, n = 1): void {
    this.m.throttled.labels(name).inc(n);
  }

  receiverDropped(name: string, reason: Open<'queueFull'>, n = 1): void {
    this.m.receiverDrops.labels(name, labelValue(reason)).inc(n);
  }

  /** The queue's current depth, or a function read at every scrape (no cost per event). */
  receiverQueueDepth(name: string, depth: number | (() => number)): void {
    if (typeof depth === 'function') this.queueDepthReaders.set(name, depth);
    else this.m.queueDepth.set({ receiver: name }, depth);
  }

  receiverBatch(name: string, events: number, bytes?: number): void {
    this.m.batchEvents.labels(name).observe(events);
    if (bytes !== undefined) this.m.batchBytes.labels(name).observe(bytes);
  }

  // --- Watch -----------------------------------------------------------------------------

  watchRestarted(reason: WatchRestartReason): void {
    this.m.watchRestarts.inc(reason);
  }

  listCompleted(): void {
    this.m.listCompletions.inc();
  }

  bookmarkReceived(): void {
    this.m.bookmarks.inc();
  }

  // --- Object cache ----------------------------------------------------------------------

  cacheHit(): void {
    this.m.cacheHits.inc();
  }

  cacheMiss(): void {
    this.m.cacheMisses.inc();
  }

  cacheError(reason: LookupErrorReason): void {
    this.m.cacheErrors.inc(reason);
  }

  cacheSize(entries: number): void {
    this.m.cacheEntries.set(entries);
  }

  lookupSkipped(): void {
    this.m.lookupsSkipped.inc();
  }

  // --- Config and leadership -------------------------------------------------------------

  configReloaded(result: ReloadResult): void {
    this.m.reloads.labels(result).inc();
  }

  /** The config now running (at start and after each successful reload). */
  configLoaded(hash: string): void {
    this.m.configInfo.reset();
    this.m.configInfo.set({ hash: labelValue(hash) }, 1);
  }

  leadership(isLeader: boolean): void {
    this.m.leader.set(isLeader ? 1 : 0);
  }

  private collectQueueDepths(): void {
    for (const [name, read] of this.queueDepthReaders) this.m.queueDepth.set({ receiver: name }, read());
  }
}

/**
 * The `reason` label of malformed_events_total: the field or the kind of problem, never the
 * offending value, so hostile input cannot grow the series (or the label cache) without bound.
 * `count: expected an integer, got "5"` → `count`; `unknown watch event type "X"` → `unknown watch event type`.
 */
export function malformedReasonLabel(reason: string): string {
  const field = /^([A-Za-z][\w. ]{0,63}?): /.exec(reason);
  if (field !== null) return field[1] as string;
  // What follows is the offending value, JSON-encoded.
  return reason.replace(/[,:]?\s*(?:got\b|["{[\d-]|null\b|true\b|false\b|undefined\b).*$/s, '').slice(0, 64);
}
