// The metric definitions (names, help, labels, buckets) behind metrics.ts, one place to read
// what /metrics serves. docs/operations.md lists the same set for operators.
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import {
  BATCH_BYTES_BUCKETS,
  BATCH_EVENTS_BUCKETS,
  LATENCY_BUCKETS_SECONDS,
  Labelled,
} from './metric-kinds.ts';

// prettier-ignore
export function defineMetrics(registry: Registry, p: string, collectQueueDepths: () => void) {
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name: p + name, help, labelNames, registers });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name: p + name, help, labelNames, registers });
  const histogram = (name: string, help: string, buckets: number[]) =>
    new Histogram<'receiver'>({ name: p + name, help, labelNames: ['receiver'], buckets, registers });
  const R = ['receiver'] as const;
  const RR = ['receiver', 'reason'] as const;

  return {
    received: new Labelled(counter('events_received_total', 'Events read from the source, by watch change type (ADDED, MODIFIED, DELETED) or LISTED.', ['change_type'])),
    routed: counter('events_routed_total', 'Events the route tree sent to at least one receiver.'),
    routedTo: new Labelled(counter('receiver_events_routed_total', 'Events routed to each receiver.', R)),
    dropped: new Labelled(counter('events_dropped_total', 'Events that went to no receiver, by reason (duplicate, tooOld, checkpoint, repeat, noReceiver, ...).', ['reason'])),
    malformed: new Labelled(counter('malformed_events_total', 'Source items that were not valid Events, by reason.', ['reason'])),

    sent: counter('receiver_events_sent_total', 'Events a receiver accepted.', R),
    failed: counter('receiver_events_failed_total', 'Events in a send attempt that failed, by reason (each attempt counts).', RR),
    retries: counter('receiver_retries_total', 'Send attempts scheduled again after a failure, by the failure reason.', RR),
    deadLettered: counter('receiver_events_dead_lettered_total', 'Events given up on and dead-lettered (to the dead-letter file, or stderr when no file can be written), by reason.', RR),
    throttled: counter('receiver_events_throttled_total', "Events a receiver's throttle held back; the next message that passes for the key carries the count as .Suppressed.", R),
    receiverDrops: counter('receiver_events_dropped_total', 'Events an output discarded without dead-lettering (queue policy dropOldest), by reason.', RR),
    queueDepth: new Gauge({ name: `${p}receiver_queue_depth`, help: 'Events waiting in the output queue.', labelNames: R, registers, collect: collectQueueDepths }),
    batchEvents: histogram('receiver_batch_size_events', 'Events per batch handed to a receiver.', BATCH_EVENTS_BUCKETS),
    batchBytes: histogram('receiver_batch_size_bytes', 'Rendered bytes per batch handed to a receiver.', BATCH_BYTES_BUCKETS),
    latency: histogram('receiver_send_latency_seconds', 'Duration of one send attempt (a batch), successful or not.', LATENCY_BUCKETS_SECONDS),

    watchRestarts: new Labelled(counter('watch_restarts_total', 'Watch streams restarted, by reason (gone = 410 re-list, error, closed, timeout).', ['reason'])),
    listCompletions: counter('watch_list_completions_total', 'Full lists of Events completed (start-up and re-lists).'),
    bookmarks: counter('watch_bookmarks_total', 'Watch bookmarks received.'),

    cacheHits: counter('cache_hits_total', 'Object cache lookups answered from the cache (including cached NotFound / Forbidden).'),
    cacheMisses: counter('cache_misses_total', 'Object cache lookups that needed an API call.'),
    cacheErrors: new Labelled(counter('cache_errors_total', 'Object lookups that failed; the event went on un-enriched.', ['reason'])),
    cacheEntries: gauge('cache_entries', 'Objects held in the object cache.'),
    lookupsSkipped: counter('lookups_skipped_total', 'Object lookups skipped because no receiver was reachable whatever the labels (cheap drops) or omitLookup.'),

    reloads: counter('config_reload_total', 'Config reloads, by result (success, failure: the old config stays).', ['result']),
    configInfo: gauge('config_info', 'The running config: always 1, labelled with its sha256.', ['hash']),
    leader: gauge('leader', '1 while this replica sends: it holds the leader Lease, or leader election is off.'),
    buildInfo: gauge('build_info', 'Always 1, labelled with the version and Node.js version.', ['version', 'nodejs']),
  };
}

export type MetricSet = ReturnType<typeof defineMetrics>;
