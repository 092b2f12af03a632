// teams: a Microsoft Teams Workflows webhook ("Post to a channel when a webhook request is
// received"), which takes a message with one Adaptive Card attachment. Office 365 connector
// webhooks (MessageCard) are retired. Exporter's options: `endpoint`, `headers` (templated),
// `layout`. Without a layout the card shows a title, facts (namespace, object, reason, count,
// cluster) and the message; a layout is the card's content (or, when it renders a whole
// `{"type":"message",...}`, the message itself). The exporter sent fixed text; users asked for cards.
import { z } from 'zod';
import { formatPath } from '../config/problem.ts';
import { goString } from '../config/zod-helpers.ts';
import { typeOptions } from './common-options.ts';
import { HttpClient, urlSecrets } from './http.ts';
import type { BuildContext, Payload, Receiver, ReceiverSpec, SendResult } from './types.ts';
import { SendError } from './types.ts';
import { tlsSchema } from './webhook.ts';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export const teamsSchema = typeOptions({
  // The message never repeats the value: the URL carries the workflow's signature.
  endpoint: z.string().refine(isHttpUrl, { message: 'must be an http:// or https:// URL' }),
  headers: z.record(z.string(), goString).default({}),
  // Ours.
  tls: tlsSchema,
  timeoutMs: z.int().min(1).default(10_000),
});
export type TeamsOptions = z.output<typeof teamsSchema>;

interface EventJson {
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  clusterName?: string;
  involvedObject?: { kind?: string; namespace?: string; name?: string };
}

/** The default card of one event, from its enhanced event JSON. */
export function defaultCard(event: EventJson): Record<string, unknown> {
  const o = event.involvedObject ?? {};
  const warning = event.type === 'Warning';
  const fact = (title: string, value: string | undefined) => ({
    title,
    value: value === undefined || value === '' ? '-' : value,
  });
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body: [
      {
        type: 'TextBlock',
        text: `${event.type ?? 'Event'}: ${event.reason ?? ''} on ${o.kind ?? ''} ${o.name ?? ''}`.trim(),
        weight: 'Bolder',
        size: 'Medium',
        color: warning ? 'Attention' : 'Default',
        wrap: true,
      },
      {
        type: 'FactSet',
        facts: [
          fact('Namespace', o.namespace),
          fact('Object', `${o.kind ?? ''}/${o.name ?? ''}`),
          fact('Reason', event.reason),
          fact('Count', String(event.count ?? 1)),
          fact('Cluster', event.clusterName),
        ],
      },
      { type: 'TextBlock', text: event.message ?? '', wrap: true },
    ],
  };
}

/** The Workflows message carrying one card. */
export function cardMessage(content: unknown): Record<string, unknown> {
  return {
    type: 'message',
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, contentUrl: null, content }],
  };
}

/** The request body for one payload: the default card, the layout as card content, or the layout as the whole message. */
export function teamsBody(payload: Payload, hasLayout: boolean): string {
  const parsed = JSON.parse(payload.body) as unknown;
  if (!hasLayout) return JSON.stringify(cardMessage(defaultCard(parsed as EventJson)));
  const isMessage =
    typeof parsed === 'object' && parsed !== null && (parsed as { type?: unknown }).type === 'message';
  return isMessage ? payload.body : JSON.stringify(cardMessage(parsed));
}

class TeamsReceiver implements Receiver {
  private readonly http: HttpClient;
  private readonly headerKeys: readonly (readonly [string, string])[];
  private readonly hasLayout: boolean;

  constructor(
    readonly name: string,
    private readonly options: TeamsOptions,
    ctx: BuildContext,
  ) {
    this.http = new HttpClient(options.tls, options.timeoutMs, ctx.clock, urlSecrets(options.endpoint));
    this.headerKeys = Object.keys(options.headers).map(
      (h) => [h.toLowerCase(), formatPath(['headers', h])] as const,
    );
    this.hasLayout = ctx.hasLayout ?? false;
  }

  async send(batch: readonly Payload[], signal: AbortSignal): Promise<SendResult> {
    const payload = batch[0];
    if (payload === undefined) return { kind: 'ok' };
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    for (const [header, key] of this.headerKeys) headers[header] = payload.templated[key] ?? '';
    const result = await this.http.send(
      { url: this.options.endpoint, method: 'POST', headers, body: teamsBody(payload, this.hasLayout) },
      signal,
    );
    if (result.kind !== 'retry' && result.kind !== 'drop') return result;
    return {
      ...result,
      error: new SendError(`Teams: ${result.error.message}`, (result.error as SendError).status),
    };
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

export const teamsSpec: ReceiverSpec<TeamsOptions> = {
  type: 'teams',
  schema: teamsSchema,
  // One card per request: a Workflows webhook posts one message per call.
  batchDefaults: { maxEvents: 1, maxBytes: 1_048_576, flushIntervalMs: 0 },
  limits: { maxEvents: 1 },
  templatedOptions: (opts) =>
    Object.entries(opts.headers).map(([name, source]) => ({ path: ['headers', name], source })),
  create: (name, opts, ctx) => new TeamsReceiver(name, opts, ctx),
};
