// elasticsearch: the exporter's ElasticsearchConfig over the official client (8.x, speaks to
// Elasticsearch 8 and 9), with `_bulk` batches and per-item classification (receiver.ts).
import type { ReceiverSpec, TemplatedOption } from '../types.ts';
import { EVENT_TIME_KEY } from './index-name.ts';
import { elasticsearchSchema } from './options.ts';
import type { BulkOptions, ElasticsearchOptions } from './options.ts';
import { BulkReceiver } from './receiver.ts';

/** 500 events / 5 MB / 1 s: Elastic's own advice for bulk sizes, and the defaults. */
export const BULK_BATCH_DEFAULTS = { maxEvents: 500, maxBytes: 5_242_880, flushIntervalMs: 1_000 } as const;

/** documentId (when set) and the event time (when the index or `@timestamp` needs it). */
export function bulkTemplatedOptions(opts: BulkOptions): readonly TemplatedOption[] {
  const out: TemplatedOption[] = [];
  if (opts.documentId !== undefined && opts.documentId !== '')
    out.push({ path: ['documentId'], source: opts.documentId });
  if (opts.indexTimeSource === 'event' || opts.opType === 'create')
    out.push({ path: [EVENT_TIME_KEY], source: opts.eventTimeTemplate });
  return out;
}

export const elasticsearchSpec: ReceiverSpec<ElasticsearchOptions> = {
  type: 'elasticsearch',
  schema: elasticsearchSchema,
  batchDefaults: BULK_BATCH_DEFAULTS,
  templatedOptions: bulkTemplatedOptions,
  deDot: (opts) => opts.deDot,
  create: (name, opts, ctx) => new BulkReceiver(name, 'elasticsearch', opts, ctx),
};
