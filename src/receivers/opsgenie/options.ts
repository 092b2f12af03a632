// opsgenie — options and description: Opsgenie's REST Alert API called directly (docs/dependencies.md says why not
// opsgenie-sdk). The exporter's options (apiKey, URL, priority, message, alias, description,
// tags, details), every text templated, plus responders, entity, source, note and an `action`
// (create | close | acknowledge) so one route opens an alert and another closes it by alias.
// Send: ./send.ts. Classifier: the shared HTTP status classifier (../common/http-status.ts).
// Doc: docs/receivers/opsgenie.md.
import { z } from 'zod';
import { goString, options } from '../../config/zod-helpers.ts';
import { timeoutMs, tlsSchema, typeOptions } from '../common/options.ts';
import type { ReceiverSpec, TemplatedOption } from '../common/types.ts';

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

export const PRIORITIES: ReadonlySet<string> = new Set(['P1', 'P2', 'P3', 'P4', 'P5']);

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
  timeoutMs: timeoutMs(10_000),
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

export const SINGLE_TEXT = [
  'priority',
  'message',
  'alias',
  'description',
  'entity',
  'source',
  'note',
  'user',
] as const;
export type SingleText = (typeof SINGLE_TEXT)[number];

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

export const opsgenieSpec: ReceiverSpec<OpsgenieOptions> = {
  type: 'opsgenie',
  schema: opsgenieSchema,
  // The Alert API takes one alert (or one close) per request.
  batchDefaults: { maxEvents: 1, maxBytes: 1_048_576, flushIntervalMs: 0 },
  limits: { maxEvents: 1 },
  templatedOptions,
  docs: 'docs/receivers/opsgenie.md',
  load: () => import('./send.ts').then((m) => m.create),
};
