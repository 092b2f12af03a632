// opsgenie: Opsgenie's REST Alert API called directly (docs/dependencies.md says why not
// opsgenie-sdk). The exporter's options (apiKey, URL, priority, message, alias, description,
// tags, details), every text templated, plus responders, entity, source, note and an `action`
// (create | close | acknowledge) so one route opens an alert and another closes it by alias.
import { z } from 'zod';
import { formatPath } from '../config/problem.ts';
import { goString, options } from '../config/zod-helpers.ts';
import { sendEach, truncateChars } from './api-client.ts';
import { typeOptions } from './common-options.ts';
import { HttpClient } from './http.ts';
import type { BuildContext, Payload, Receiver, ReceiverSpec, SendResult, TemplatedOption } from './types.ts';
import { SendError } from './types.ts';
import { tlsSchema } from './webhook.ts';

export const OPSGENIE_ACTIONS = ['create', 'close', 'acknowledge'] as const;
export const OPSGENIE_URLS = { us: 'https://api.opsgenie.com', eu: 'https://api.eu.opsgenie.com' } as const;

/** Field limits of the Alert API (characters); longer values are cut with a marker. */
export const OPSGENIE_LIMITS = {
  message: 130,
  alias: 512,
  description: 15_000,
  entity: 512,
  source: 100,
  user: 100,
  note: 25_000,
  tags: 20,
  tagChars: 50,
  /** Keys and values of `details` together. */
  detailsChars: 8_000,
  responders: 50,
} as const;

const PRIORITIES: ReadonlySet<string> = new Set(['P1', 'P2', 'P3', 'P4', 'P5']);

// The exporter's URL is the Go SDK's ApiUrl, a bare host ("api.eu.opsgenie.com"): accept both.
export function opsgenieBaseUrl(value: string): string | undefined {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return undefined;
  }
}

const responderSchema = options({
  type: z.enum(['team', 'user', 'escalation', 'schedule']),
  id: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  username: z.string().min(1).optional(),
}).superRefine((r, ctx) => {
  const given = [r.id, r.name, r.username].filter((v) => v !== undefined).length;
  if (given !== 1) ctx.addIssue({ code: 'custom', message: 'needs exactly one of id, name, username' });
  else if (r.username !== undefined && r.type !== 'user')
    ctx.addIssue({ code: 'custom', path: ['username'], message: 'only for type user' });
  else if (r.name !== undefined && r.type === 'user')
    ctx.addIssue({ code: 'custom', path: ['name'], message: 'a user is named by username' });
});

export const opsgenieSchema = typeOptions({
  apiKey: goString.pipe(z.string().min(1)),
  URL: z
    .string()
    .default(OPSGENIE_URLS.us)
    .refine((v) => opsgenieBaseUrl(v) !== undefined, { message: 'must be a host or an http(s) URL' }),
  action: z.enum(OPSGENIE_ACTIONS).default('create'),
  priority: goString.default('P3'),
  message: goString.optional(),
  alias: goString.optional(),
  description: goString.optional(),
  tags: z.array(goString).default([]),
  details: z.record(z.string(), goString).default({}),
  responders: z.array(responderSchema).max(OPSGENIE_LIMITS.responders).default([]),
  entity: goString.optional(),
  source: goString.optional(),
  note: goString.optional(),
  user: goString.optional(),
  /**
   * Exporter option, accepted so its configs load; repeats are the route's business here
   * (`repeats: first`), since an occurrence count cannot tell a watch update from a re-list.
   */
  sentUpdateEvent: z.boolean().optional(),
  tls: tlsSchema,
  timeoutMs: z.int().min(1).default(10_000),
}).superRefine((o, ctx) => {
  if (o.action === 'create' && (o.message === undefined || o.message === '')) {
    ctx.addIssue({ code: 'custom', path: ['message'], message: 'is required to create an alert' });
  }
  if (o.action !== 'create' && (o.alias === undefined || o.alias === '')) {
    ctx.addIssue({
      code: 'custom',
      path: ['alias'],
      message: `is required to ${o.action} an alert (the alias the create route used)`,
    });
  }
});
export type OpsgenieOptions = z.output<typeof opsgenieSchema>;

const SINGLE_TEXT = [
  'priority',
  'message',
  'alias',
  'description',
  'entity',
  'source',
  'note',
  'user',
] as const;
type SingleText = (typeof SINGLE_TEXT)[number];

function templatedOptions(o: OpsgenieOptions): TemplatedOption[] {
  const out: TemplatedOption[] = [];
  for (const key of SINGLE_TEXT) {
    const source = o[key];
    if (source !== undefined && source !== '') out.push({ path: [key], source });
  }
  o.tags.forEach((source, i) => out.push({ path: ['tags', i], source }));
  for (const [key, source] of Object.entries(o.details)) out.push({ path: ['details', key], source });
  return out;
}

/** Rendered tags: empty ones skipped, each cut to 50 characters, at most 20. */
export function limitTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const tag of tags) {
    const trimmed = tag.trim();
    if (trimmed === '' || out.includes(trimmed)) continue;
    if (out.length === OPSGENIE_LIMITS.tags) break;
    out.push(truncateChars(trimmed, OPSGENIE_LIMITS.tagChars));
  }
  return out;
}

/** Details within 8,000 characters of keys and values: values cut first, then later keys left out. */
export function limitDetails(details: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  let left: number = OPSGENIE_LIMITS.detailsChars;
  for (const [key, value] of Object.entries(details)) {
    // A key that does not fit with at least a marker for its value is left out.
    if (key.length + 1 > left) break;
    const fitted = truncateChars(value, left - key.length);
    out[key] = fitted;
    left -= key.length + fitted.length;
  }
  return out;
}

class OpsgenieReceiver implements Receiver {
  private readonly http: HttpClient;
  private readonly base: string;
  private readonly keys: { tags: string[]; details: [string, string][] };
  private readonly badPriorities = new Set<string>();

  constructor(
    readonly name: string,
    private readonly o: OpsgenieOptions,
    private readonly ctx: BuildContext,
  ) {
    this.base = opsgenieBaseUrl(o.URL) ?? OPSGENIE_URLS.us;
    this.http = new HttpClient(o.tls, o.timeoutMs, ctx.clock, [o.apiKey]);
    this.keys = {
      tags: o.tags.map((_, i) => formatPath(['tags', i])),
      details: Object.keys(o.details).map((k) => [k, formatPath(['details', k])]),
    };
  }

  send(batch: readonly Payload[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, (payload) => this.sendOne(payload, signal));
  }

  private text(payload: Payload, key: Exclude<SingleText, 'priority'>): string | undefined {
    const value = payload.templated[key];
    return value === undefined || value === '' ? undefined : truncateChars(value, OPSGENIE_LIMITS[key]);
  }

  private priority(payload: Payload): string {
    const rendered = (payload.templated.priority ?? '').trim().toUpperCase();
    if (PRIORITIES.has(rendered)) return rendered;
    // An alert with the default priority beats no alert: Opsgenie would reject the value.
    if (this.badPriorities.size < 20 && !this.badPriorities.has(rendered)) {
      this.badPriorities.add(rendered);
      this.ctx.logger.warn(
        { receiver: this.name, priority: rendered },
        'Opsgenie priority is not P1 to P5; sending P3.',
      );
    }
    return 'P3';
  }

  private createBody(payload: Payload): Record<string, unknown> {
    const t = payload.templated;
    const body: Record<string, unknown> = {
      message: this.text(payload, 'message') ?? '',
      // Without a configured alias the occurrence id makes a retried create idempotent.
      alias: this.text(payload, 'alias') ?? payload.id,
      priority: this.priority(payload),
    };
    for (const key of ['description', 'entity', 'source', 'note', 'user'] as const) {
      const value = this.text(payload, key);
      if (value !== undefined) body[key] = value;
    }
    const tags = limitTags(this.keys.tags.map((k) => t[k] ?? ''));
    if (tags.length > 0) body.tags = tags;
    if (this.keys.details.length > 0)
      body.details = limitDetails(
        Object.fromEntries(this.keys.details.map(([name, k]) => [name, t[k] ?? ''])),
      );
    if (this.o.responders.length > 0) body.responders = this.o.responders;
    return body;
  }

  private request(payload: Payload): { url: string; body: Record<string, unknown> } | SendError {
    if (this.o.action === 'create') return { url: `${this.base}/v2/alerts`, body: this.createBody(payload) };
    const alias = this.text(payload, 'alias');
    if (alias === undefined) return new SendError(`alias rendered empty: nothing to ${this.o.action}`);
    const body: Record<string, unknown> = {};
    for (const key of ['source', 'note', 'user'] as const) {
      const value = this.text(payload, key);
      if (value !== undefined) body[key] = value;
    }
    return {
      url: `${this.base}/v2/alerts/${encodeURIComponent(alias)}/${this.o.action}?identifierType=alias`,
      body,
    };
  }

  private async sendOne(payload: Payload, signal: AbortSignal): Promise<SendResult> {
    const req = this.request(payload);
    if (req instanceof SendError) return { kind: 'drop', reason: 'clientError', error: req };
    const headers = { 'content-type': 'application/json', authorization: `GenieKey ${this.o.apiKey}` };
    return this.http.send({ url: req.url, method: 'POST', headers, body: JSON.stringify(req.body) }, signal);
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

export const opsgenieSpec: ReceiverSpec<OpsgenieOptions> = {
  type: 'opsgenie',
  schema: opsgenieSchema,
  // The Alert API takes one alert (or one close) per request.
  batchDefaults: { maxEvents: 1, maxBytes: 1_048_576, flushIntervalMs: 0 },
  limits: { maxEvents: 1 },
  templatedOptions,
  create: (name, opts, ctx) => new OpsgenieReceiver(name, opts, ctx),
};
