// The router's Prometheus metrics (DESIGN §6) on a registry of its own, so tests and embedders
// never share the process-global one. Every method is cheap enough for the per-event path:
// labelled children are looked up once and kept. Label values come from the config (receiver
// names) or from our own reason constants, never from secrets; event labels are capped (see
// event-counter.ts).
import { createRequire } from 'node:module';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FailureReason } from '../receivers/types.ts';
import { EventCounter, labelValue } from './event-counter.ts';
import type { CountableEvent } from './event-counter.ts';

export type { CountableEvent } from './event-counter.ts';
export { DEFAULT_MAX_EVENT_LABEL_SETS, OTHER_LABEL } from './event-counter.ts';

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

export interface MetricsOptions {
  /** The config's `metricsNamePrefix`; "" = none. Default `kube_event_router_`. */
  readonly prefix?: string;
  /** Cap on distinct namespace/kind/reason/type label sets of `events_total`. Default 10,000. */
  readonly maxEventLabelSets?: number;
  /** Process metrics (CPU, memory, event loop lag, GC); default true. */
  readonly processMetrics?: boolean;
}

const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const BATCH_EVENTS_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000];
const BATCH_BYTES_BUCKETS = [1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216];

function packageVersion(): string {
  try {
    const pkg = createRequire(import.meta.url)('../../package.json') as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** A counter with one label whose children are created once per value. */
class Labelled<L extends string> {
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

export class Metrics {
  readonly registry = new Registry();
  readonly prefix: string;
  private readonly queueDepthReaders = new Map<string, () => number>();
  private readonly eventCounter: EventCounter;

  private readonly received: Labelled<'change_type'>;
  private readonly routed: Counter;
  private readonly routedTo: Labelled<'receiver'>;
  private readonly dropped: Labelled<'reason'>;
  private readonly malformed: Labelled<'reason'>;
  private readonly sent: Counter<'receiver'>;
  private readonly failed: Counter<'receiver' | 'reason'>;
  private readonly retries: Counter<'receiver' | 'reason'>;
  private readonly deadLettered: Counter<'receiver' | 'reason'>;
  private readonly receiverDrops: Counter<'receiver' | 'reason'>;
  private readonly queueDepth: Gauge<'receiver'>;
  private readonly batchEvents: Histogram<'receiver'>;
  private readonly batchBytes: Histogram<'receiver'>;
  private readonly latency: Histogram<'receiver'>;
  private readonly watchRestarts: Labelled<'reason'>;
  private readonly listCompletions: Counter;
  private readonly bookmarks: Counter;
  private readonly cacheHits: Counter;
  private readonly cacheMisses: Counter;
  private readonly cacheErrors: Labelled<'reason'>;
  private readonly cacheEntries: Gauge;
  private readonly lookupsSkipped: Counter;
  private readonly reloads: Counter<'result'>;
  private readonly configInfo: Gauge<'hash'>;
  private readonly leader: Gauge;

  constructor(options: MetricsOptions = {}) {
    const p = (this.prefix = options.prefix ?? DEFAULT_METRICS_PREFIX);
    const registers = [this.registry];
    const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
      new Counter<L>({ name: p + name, help, labelNames, registers });
    const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
      new Gauge<L>({ name: p + name, help, labelNames, registers });
    const histogram = (name: string, help: string, buckets: number[]) =>
      new Histogram<'receiver'>({ name: p + name, help, labelNames: ['receiver'], buckets, registers });

    this.eventCounter = new EventCounter(this.registry, p, options.maxEventLabelSets);
    this.received = new Labelled(
      counter(
        'events_received_total',
        'Events read from the source, by watch change type (ADDED, MODIFIED, DELETED) or LISTED.',
        ['change_type'],
      ),
    );
    this.routed = counter('events_routed_total', 'Events the route tree sent to at least one receiver.');
    this.routedTo = new Labelled(
      counter('receiver_events_routed_total', 'Events routed to each receiver.', ['receiver']),
    );
    this.dropped = new Labelled(
      counter(
        'events_dropped_total',
        'Events that went to no receiver, by reason (duplicate, tooOld, checkpoint, repeat, noReceiver, ...).',
        ['reason'],
      ),
    );
    this.malformed = new Labelled(
      counter('malformed_events_total', 'Source items that were not valid Events, by reason.', ['reason']),
    );
    this.sent = counter('receiver_events_sent_total', 'Events a receiver accepted.', ['receiver']);
    this.failed = counter(
      'receiver_events_failed_total',
      'Events in a send attempt that failed, by reason (each attempt counts).',
      ['receiver', 'reason'],
    );
    this.retries = counter(
      'receiver_retries_total',
      'Send attempts scheduled again after a failure, by the failure reason.',
      ['receiver', 'reason'],
    );
    this.deadLettered = counter(
      'receiver_events_dead_lettered_total',
      'Events given up on and written to the dead-letter file (or only logged without one), by reason.',
      ['receiver', 'reason'],
    );
    this.receiverDrops = counter(
      'receiver_events_dropped_total',
      'Events an output discarded without dead-lettering (queue policy dropOldest), by reason.',
      ['receiver', 'reason'],
    );
    this.queueDepth = new Gauge({
      name: `${p}receiver_queue_depth`,
      help: 'Events waiting in the output queue.',
      labelNames: ['receiver'],
      registers,
      collect: () => this.collectQueueDepths(),
    });
    this.batchEvents = histogram(
      'receiver_batch_size_events',
      'Events per batch handed to a receiver.',
      BATCH_EVENTS_BUCKETS,
    );
    this.batchBytes = histogram(
      'receiver_batch_size_bytes',
      'Rendered bytes per batch handed to a receiver.',
      BATCH_BYTES_BUCKETS,
    );
    this.latency = histogram(
      'receiver_send_latency_seconds',
      'Duration of one send attempt (a batch), successful or not.',
      LATENCY_BUCKETS_SECONDS,
    );
    this.watchRestarts = new Labelled(
      counter(
        'watch_restarts_total',
        'Watch streams restarted, by reason (gone = 410 re-list, error, closed, timeout).',
        ['reason'],
      ),
    );
    this.listCompletions = counter(
      'watch_list_completions_total',
      'Full lists of Events completed (start-up and re-lists).',
    );
    this.bookmarks = counter('watch_bookmarks_total', 'Watch bookmarks received.');
    this.cacheHits = counter(
      'cache_hits_total',
      'Object cache lookups answered from the cache (including cached NotFound / Forbidden).',
    );
    this.cacheMisses = counter('cache_misses_total', 'Object cache lookups that needed an API call.');
    this.cacheErrors = new Labelled(
      counter('cache_errors_total', 'Object lookups that failed; the event went on un-enriched.', ['reason']),
    );
    this.cacheEntries = gauge('cache_entries', 'Objects held in the object cache.');
    this.lookupsSkipped = counter(
      'lookups_skipped_total',
      'Object lookups skipped because no receiver was reachable whatever the labels (cheap drops) or omitLookup.',
    );
    this.reloads = counter(
      'config_reloads_total',
      'Config reloads, by result (success, failure: the old config stays).',
      ['result'],
    );
    this.configInfo = gauge('config_info', 'The running config: always 1, labelled with its sha256.', [
      'hash',
    ]);
    this.leader = gauge(
      'leader',
      '1 while this replica sends: it holds the leader Lease, or leader election is off.',
    );
    // Without leader election every replica sends; leader election sets 0 while it waits.
    this.leader.set(1);
    gauge('build_info', 'Always 1, labelled with the version and Node.js version.', [
      'version',
      'nodejs',
    ]).set({ version: packageVersion(), nodejs: process.version }, 1);
    for (const result of ['success', 'failure'] as const) this.reloads.labels(result).inc(0);
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: p });
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
    this.received.inc(changeType);
  }

  /** An occurrence, counted by namespace, kind, reason and type (capped cardinality). */
  eventCounted(event: CountableEvent, occurrences = 1): void {
    this.eventCounter.count(event, occurrences);
  }

  /** The route tree chose `receivers` (non-empty) for an event. */
  eventRouted(receivers: readonly string[]): void {
    this.routed.inc();
    for (const name of receivers) this.routedTo.inc(name);
  }

  eventDropped(reason: DropReason, n = 1): void {
    this.dropped.inc(reason, n);
  }

  eventMalformed(reason: string): void {
    this.malformed.inc(reason);
  }

  // --- Receivers -------------------------------------------------------------------------

  /** Creates a receiver's series at 0 so rates and absence alerts work before its first event. */
  receiverConfigured(name: string): void {
    this.sent.labels(name).inc(0);
    this.routedTo.inc(name, 0);
    if (!this.queueDepthReaders.has(name)) this.queueDepth.set({ receiver: name }, 0);
  }

  /** A batch of `n` events was accepted; `latencyMs` is the attempt's duration. */
  receiverSent(name: string, n: number, latencyMs: number): void {
    this.sent.labels(name).inc(n);
    this.latency.labels(name).observe(latencyMs / 1000);
  }

  /** An attempt carrying `n` events failed; pass `latencyMs` when the attempt reached the wire. */
  receiverFailed(name: string, reason: FailureReason, n = 1, latencyMs?: number): void {
    this.failed.labels(name, reason).inc(n);
    if (latencyMs !== undefined) this.latency.labels(name).observe(latencyMs / 1000);
  }

  receiverRetried(name: string, reason: FailureReason): void {
    this.retries.labels(name, reason).inc();
  }

  receiverDeadLettered(name: string, reason: DeadLetterReason, n = 1): void {
    this.deadLettered.labels(name, labelValue(reason)).inc(n);
  }

  receiverDropped(name: string, reason: Open<'queueFull'>, n = 1): void {
    this.receiverDrops.labels(name, labelValue(reason)).inc(n);
  }

  /** The queue's current depth, or a function read at every scrape (no cost per event). */
  receiverQueueDepth(name: string, depth: number | (() => number)): void {
    if (typeof depth === 'function') this.queueDepthReaders.set(name, depth);
    else this.queueDepth.set({ receiver: name }, depth);
  }

  receiverBatch(name: string, events: number, bytes?: number): void {
    this.batchEvents.labels(name).observe(events);
    if (bytes !== undefined) this.batchBytes.labels(name).observe(bytes);
  }

  // --- Watch -----------------------------------------------------------------------------

  watchRestarted(reason: WatchRestartReason): void {
    this.watchRestarts.inc(reason);
  }

  listCompleted(): void {
    this.listCompletions.inc();
  }

  bookmarkReceived(): void {
    this.bookmarks.inc();
  }

  // --- Object cache ----------------------------------------------------------------------

  cacheHit(): void {
    this.cacheHits.inc();
  }

  cacheMiss(): void {
    this.cacheMisses.inc();
  }

  cacheError(reason: LookupErrorReason): void {
    this.cacheErrors.inc(reason);
  }

  cacheSize(entries: number): void {
    this.cacheEntries.set(entries);
  }

  lookupSkipped(): void {
    this.lookupsSkipped.inc();
  }

  // --- Config and leadership -------------------------------------------------------------

  configReloaded(result: ReloadResult): void {
    this.reloads.labels(result).inc();
  }

  /** The config now running (at start and after each successful reload). */
  configLoaded(hash: string): void {
    this.configInfo.reset();
    this.configInfo.set({ hash: labelValue(hash) }, 1);
  }

  leadership(isLeader: boolean): void {
    this.leader.set(isLeader ? 1 : 0);
  }

  private collectQueueDepths(): void {
    for (const [name, read] of this.queueDepthReaders) this.queueDepth.set({ receiver: name }, read());
  }
}
