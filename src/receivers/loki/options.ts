// loki — options and description: one push per batch (`POST /loki/api/v1/push`, JSON), entries
// grouped by stream. The exporter's options (url, streamLabels, headers, tls, layout) with stream
// labels templated, plus basic auth, the tenant header and the entry time taken from the event.
// Send: ./send.ts. Classifier: the shared HTTP status classifier (../common/http-status.ts).
// Doc: docs/receivers/loki.md.
import { z } from 'zod';
import { goString } from '../../config/zod-helpers.ts';
import { httpUrl, timeoutMs, tlsSchema, typeOptions } from '../common/options.ts';
import type { ReceiverSpec, TemplatedOption } from '../common/types.ts';

export const LOKI_PUSH_PATH = '/loki/api/v1/push';
export const TIMESTAMP_SOURCES = ['event', 'now'] as const;

// Prometheus label names; `__`-prefixed ones are Loki's own.
const LABEL_NAME = /^(?!__)[a-zA-Z_][a-zA-Z0-9_]*$/;

export const lokiSchema = typeOptions({
  /** The push URL; a URL without a path gets /loki/api/v1/push. */
  url: httpUrl,
  /** Values are event templates. Loki needs at least one label per stream. */
  streamLabels: z
    .record(z.string(), goString)
    .default({ job: 'kube-event-router' })
    .superRefine((labels, ctx) => {
      if (Object.keys(labels).length === 0)
        ctx.addIssue({ code: 'custom', message: 'needs at least one label' });
      for (const name of Object.keys(labels)) {
        if (!LABEL_NAME.test(name))
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'must be a label name: [a-zA-Z_][a-zA-Z0-9_]*, not starting with __',
          });
      }
    }),
  /** Values are event templates. */
  headers: z.record(z.string(), goString).default({}),
  tls: tlsSchema,
  username: z.string().min(1).optional(),
  password: z.string().optional(),
  /** Sent as X-Scope-OrgID (Loki multi-tenancy). */
  tenantID: z.string().min(1).optional(),
  timestampSource: z.enum(TIMESTAMP_SOURCES).default('event'),
  timeoutMs: timeoutMs(10_000),
  /** The exporter's; accepted so its configs load. Every new occurrence is sent (see the deduper). */
  sentUpdateEvent: z.boolean().optional(),
}).superRefine((opts, ctx) => {
  if (opts.password !== undefined && opts.username === undefined) {
    ctx.addIssue({ code: 'custom', path: ['username'], message: 'is required when password is set' });
  }
});
export type LokiOptions = z.output<typeof lokiSchema>;

export const TIME_KEY = 'timestampSource';

/**
 * The event's occurrence time candidates, in order (lastTimestamp, series.lastObservedTime,
 * eventTime, firstTimestamp, creationTimestamp), printed as Go prints a time.Time. A payload
 * carries no event time, and templated options compile with the receiver's templateSyntax,
 * which a spec cannot see: so this one source is valid in both dialects. Go runs the `\{{...}}`
 * actions and skips the `{{/* ... *\/}}` comment; Handlebars prints `\{{...}}` literally and
 * runs the mustaches inside what Go took for a comment. Only the time strings are read back.
 */
export const EVENT_TIME_TEMPLATE =
  '\\{{.LastTimestamp}}\\{{with .Series}}\\{{.LastObservedTime}}\\{{end}}\\{{.EventTime}}\\{{.FirstTimestamp}}\\{{.CreationTimestamp}}\\' +
  '{{/* {{LastTimestamp}}|{{Series.LastObservedTime}}|{{EventTime}}|{{FirstTimestamp}}|{{CreationTimestamp}} */}}';

function templatedOptions(opts: LokiOptions): TemplatedOption[] {
  const out: TemplatedOption[] = [];
  for (const [label, source] of Object.entries(opts.streamLabels))
    out.push({ path: ['streamLabels', label], source });
  for (const [header, source] of Object.entries(opts.headers))
    out.push({ path: ['headers', header], source });
  if (opts.timestampSource === 'event') out.push({ path: [TIME_KEY], source: EVENT_TIME_TEMPLATE });
  return out;
}

export const lokiSpec: ReceiverSpec<LokiOptions> = {
  type: 'loki',
  schema: lokiSchema,
  // Loki's caps are server settings (grpc_server_max_recv_msg_size, 4 MB by default): stay under them.
  batchDefaults: { maxEvents: 500, maxBytes: 1_048_576, flushIntervalMs: 1000 },
  templatedOptions,
  docs: 'docs/receivers/loki.md',
  load: () => import('./send.ts').then((m) => m.create),
};
