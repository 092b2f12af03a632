// elasticsearch and opensearch — options and descriptions (one bulk receiver, two clients): the exporter's ElasticsearchConfig /
// OpenSearchConfig keys, plus ours (documentId, opType, indexTimeSource, indexTemplate, timeoutMs).
// Send: ./receiver.ts with the front ends ./elasticsearch.ts and ./opensearch.ts. Classifier:
// ./bulk.ts (per item) and ./client.ts (a failed call). Docs: docs/receivers/elasticsearch.md, opensearch.md.
import { z } from 'zod';
import { goString, options } from '../../config/zod-helpers.ts';
import { httpUrl, timeoutMs, tlsSchema, typeOptions } from '../common/options.ts';
import type { ReceiverSpec, TemplatedOption } from '../common/types.ts';
import { EVENT_TIME_KEY, EVENT_TIME_TEMPLATES, parseIndexFormat } from './index-name.ts';

export const OP_TYPES = ['index', 'create'] as const;
export type OpType = (typeof OP_TYPES)[number];
export const INDEX_TIME_SOURCES = ['now', 'event'] as const;
export type IndexTimeSource = (typeof INDEX_TIME_SOURCES)[number];

export const DEFAULT_TEMPLATE_NAME = 'kube-events';

const indexTemplateSchema = options({
  install: z.boolean().default(false),
  name: z.string().min(1).default(DEFAULT_TEMPLATE_NAME),
  /** Index patterns the template applies to; default: derived from index / indexFormat. */
  indexPatterns: z.array(z.string().min(1)).min(1).optional(),
  priority: z.int().min(0).default(100),
}).prefault({});

/** The keys both receivers share (the exporter's OpenSearchConfig plus ours). */
export const bulkShape = {
  hosts: z.array(httpUrl).default([]),
  username: goString.optional(),
  password: goString.optional(),
  headers: z.record(z.string(), goString).default({}),
  index: z.string().optional(),
  /** A Go time layout in braces: `kube-events-{2006-01-02}`. */
  indexFormat: z.string().optional(),
  /** Mapping type (`_type`), for Elasticsearch 6 and older only. */
  type: z.string().optional(),
  useEventID: z.boolean().default(false),
  deDot: z.boolean().default(false),
  tls: tlsSchema,
  /** Template for `_id`; unset: the event uid with useEventID, else `<uid>-<occurrence>`; '' = server-generated. */
  documentId: z.string().optional(),
  opType: z.enum(OP_TYPES).default('index'),
  indexTimeSource: z.enum(INDEX_TIME_SOURCES).default('now'),
  indexTemplate: indexTemplateSchema,
  timeoutMs: timeoutMs(30_000),
};

/**
 * The receiver renders the event's time through a templated option; its source must be in the
 * block's template dialect, which only the whole block knows (the spec sees its own keys).
 */
function withEventTimeTemplate<T extends { templateSyntax: 'go' | 'handlebars' }>(
  opts: T,
): T & { eventTimeTemplate: string } {
  return { ...opts, eventTimeTemplate: EVENT_TIME_TEMPLATES[opts.templateSyntax] };
}

interface IndexChoice {
  readonly index?: string | undefined;
  readonly indexFormat?: string | undefined;
  readonly hosts: readonly string[];
}

/** Cross-field checks shared by both receivers. */
export function refineBulk(opts: IndexChoice, ctx: z.RefinementCtx, needsHosts: boolean): void {
  if ((opts.index ?? '') === '' && (opts.indexFormat ?? '') === '') {
    ctx.addIssue({ code: 'custom', path: ['index'], message: 'index or indexFormat is required' });
  }
  if (opts.indexFormat !== undefined && opts.indexFormat !== '') {
    const problem = parseIndexFormat(opts.indexFormat).problem;
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['indexFormat'], message: problem });
  }
  if (needsHosts && opts.hosts.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['hosts'], message: 'at least one host is required' });
  }
}

export const elasticsearchSchema = typeOptions({
  ...bulkShape,
  cloudID: z.string().optional(),
  apiKey: goString.optional(),
})
  .superRefine((opts, ctx) => refineBulk(opts, ctx, (opts.cloudID ?? '') === ''))
  .transform(withEventTimeTemplate);
export type ElasticsearchOptions = z.output<typeof elasticsearchSchema>;

export const opensearchSchema = typeOptions(bulkShape)
  .superRefine((opts, ctx) => refineBulk(opts, ctx, true))
  .transform(withEventTimeTemplate);
export type OpensearchOptions = z.output<typeof opensearchSchema>;

/** What the shared bulk receiver reads from either option set. */
export type BulkOptions = z.output<z.ZodObject<typeof bulkShape>> & {
  readonly cloudID?: string | undefined;
  readonly apiKey?: string | undefined;
  readonly eventTimeTemplate: string;
};

/** 500 events / 5 MB / 1 s: Elastic's own advice for bulk sizes, and the issue's defaults. */
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
  docs: 'docs/receivers/elasticsearch.md',
  load: () => import('./elasticsearch.ts').then((m) => m.create),
};

export const opensearchSpec: ReceiverSpec<OpensearchOptions> = {
  type: 'opensearch',
  schema: opensearchSchema,
  batchDefaults: BULK_BATCH_DEFAULTS,
  templatedOptions: bulkTemplatedOptions,
  deDot: (opts) => opts.deDot,
  docs: 'docs/receivers/opensearch.md',
  load: () => import('./opensearch.ts').then((m) => m.create),
};
