// loki: one push per batch (`POST /loki/api/v1/push`, JSON), entries grouped by stream. The
// exporter's options (url, streamLabels, headers, tls, layout) with stream labels templated,
// plus basic auth, the tenant header and the entry time taken from the event.
import { z } from 'zod';
import { formatPath } from '../config/problem.ts';
import { goString } from '../config/zod-helpers.ts';
import { typeOptions } from './common-options.ts';
import { HttpClient, urlSecrets } from './http.ts';
import { SendOutcome } from './outcome.ts';
import type { BuildContext, Payload, Receiver, ReceiverSpec, SendResult, TemplatedOption } from './types.ts';
import { SendError } from './types.ts';
import { tlsSchema } from './webhook.ts';

export const LOKI_PUSH_PATH = '/loki/api/v1/push';
export const TIMESTAMP_SOURCES = ['event', 'now'] as const;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

// Prometheus label names; `__`-prefixed ones are Loki's own.
const LABEL_NAME = /^(?!__)[a-zA-Z_][a-zA-Z0-9_]*$/;

export const lokiSchema = typeOptions({
  /** The push URL; a URL without a path gets /loki/api/v1/push. */
  url: z.string().refine(isHttpUrl, { message: 'must be an http:// or https:// URL' }),
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
  timeoutMs: z.int().min(1).default(10_000),
  /** The exporter's; accepted so its configs load. Every new occurrence is sent (DESIGN §1 deduper). */
  sentUpdateEvent: z.boolean().optional(),
}).superRefine((opts, ctx) => {
  if (opts.password !== undefined && opts.username === undefined) {
    ctx.addIssue({ code: 'custom', path: ['username'], message: 'is required when password is set' });
  }
});
export type LokiOptions = z.output<typeof lokiSchema>;

const TIME_KEY = 'timestampSource';

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

const GO_TIME = /(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? ([+-])(\d\d)(\d\d)/g;

/** Unix nanoseconds of the first non-zero Go time printed in `text`; undefined when none. */
export function firstTimeNs(text: string): bigint | undefined {
  for (const m of text.matchAll(GO_TIME)) {
    const [, y, mo, d, h, mi, s, frac = '', sign, oh, om] = m as unknown as string[];
    if (y === '0001') continue; // Go's zero time: the field is unset
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    const offsetMs = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
    return BigInt(ms - offsetMs) * 1_000_000n + BigInt(frac.padEnd(9, '0'));
  }
  return undefined;
}

/** The push URL: the configured one, or its origin plus the push path when it has no path. */
export function pushUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.pathname === '' || parsed.pathname === '/') parsed.pathname = LOKI_PUSH_PATH;
  return parsed.toString();
}

interface Entry {
  readonly ns: bigint;
  readonly line: string;
}

interface Stream {
  readonly labels: Record<string, string>;
  readonly entries: Entry[];
}

/** The push body: one stream per label set, entries in time order within each (older Lokis need it). */
export function pushBody(streams: Iterable<Stream>): string {
  const out = [...streams].map((s) => ({
    stream: s.labels,
    values: [...s.entries]
      .sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0))
      .map((e) => [e.ns.toString(), e.line]),
  }));
  return JSON.stringify({ streams: out });
}

class LokiReceiver implements Receiver {
  private readonly http: HttpClient;
  private readonly url: string;
  private readonly labelKeys: readonly (readonly [string, string])[];
  private readonly headerKeys: readonly (readonly [string, string])[];
  private readonly fixedHeaders: Readonly<Record<string, string>>;

  constructor(
    readonly name: string,
    private readonly options: LokiOptions,
    private readonly ctx: BuildContext,
  ) {
    this.url = pushUrl(options.url);
    const secrets = [...urlSecrets(options.url), ...(options.password ? [options.password] : [])];
    this.http = new HttpClient(options.tls, options.timeoutMs, ctx.clock, secrets);
    this.labelKeys = Object.keys(options.streamLabels).map(
      (label) => [label, formatPath(['streamLabels', label])] as const,
    );
    this.headerKeys = Object.keys(options.headers).map(
      (header) => [header.toLowerCase(), formatPath(['headers', header])] as const,
    );
    const fixed: Record<string, string> = { 'content-type': 'application/json' };
    if (options.tenantID !== undefined) fixed['x-scope-orgid'] = options.tenantID;
    if (options.username !== undefined) {
      fixed['authorization'] =
        `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;
    }
    this.fixedHeaders = fixed;
  }

  async send(batch: readonly Payload[], signal: AbortSignal): Promise<SendResult> {
    const first = batch[0];
    if (first === undefined) return { kind: 'ok' };
    const outcome = new SendOutcome(batch.length);
    const { streams, sent } = this.group(batch, outcome);
    if (sent.length > 0) {
      const body = pushBody(streams.values());
      const result = await this.http.send(
        { url: this.url, method: 'POST', headers: this.headers(first), body },
        signal,
      );
      outcome.request(sent, result);
    }
    return outcome.result();
  }

  private group(
    batch: readonly Payload[],
    outcome: SendOutcome,
  ): { streams: Map<string, Stream>; sent: number[] } {
    const streams = new Map<string, Stream>();
    const sent: number[] = [];
    const nowNs = BigInt(this.ctx.clock.now()) * 1_000_000n;
    batch.forEach((payload, index) => {
      const labels = this.labels(payload);
      if (labels === undefined) {
        outcome.drop(
          index,
          'clientError',
          new SendError('every stream label rendered empty; Loki needs at least one label per stream'),
        );
        return;
      }
      const key = JSON.stringify(Object.entries(labels));
      let stream = streams.get(key);
      if (stream === undefined) streams.set(key, (stream = { labels, entries: [] }));
      const eventNs =
        this.options.timestampSource === 'event' ? firstTimeNs(payload.templated[TIME_KEY] ?? '') : undefined;
      stream.entries.push({ ns: eventNs ?? nowNs, line: payload.body });
      sent.push(index);
    });
    return { streams, sent };
  }

  /** The rendered labels, empty values left out (Loki treats them as absent); undefined when none is left. */
  private labels(payload: Payload): Record<string, string> | undefined {
    const labels: Record<string, string> = {};
    for (const [label, key] of this.labelKeys) {
      const value = payload.templated[key] ?? '';
      if (value !== '') labels[label] = value;
    }
    return Object.keys(labels).length === 0 ? undefined : labels;
  }

  // Header values are rendered per event; a push carries those of its first event (as webhook).
  private headers(first: Payload): Record<string, string> {
    const headers: Record<string, string> = { ...this.fixedHeaders };
    for (const [header, key] of this.headerKeys) headers[header] = first.templated[key] ?? '';
    return headers;
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

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
  create: (name, opts, ctx) => new LokiReceiver(name, opts, ctx),
};
