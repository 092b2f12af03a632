// teams — send: the card message of one event (the default card or the layout) and its request;
// the shared HTTP client classifies the answer by its status.
import { endpointClient } from '../common/http.ts';
import type { HttpClient } from '../common/http.ts';
import { TemplatedHeaders } from '../common/headers.ts';
import type { BuildContext, Payload, Receiver, ReceiverFactory, SendResult } from '../common/types.ts';
import { SendError } from '../common/types.ts';
import type { TeamsOptions } from './options.ts';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

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
  private readonly headers: TemplatedHeaders;
  private readonly hasLayout: boolean;

  constructor(
    readonly name: string,
    private readonly options: TeamsOptions,
    ctx: BuildContext,
  ) {
    this.http = endpointClient(options, ctx);
    this.headers = new TemplatedHeaders(options.headers);
    this.hasLayout = ctx.hasLayout ?? false;
  }

  async send(batch: readonly Payload[], signal: AbortSignal): Promise<SendResult> {
    const payload = batch[0];
    if (payload === undefined) return { kind: 'ok' };
    const headers = this.headers.render(payload, { 'content-type': 'application/json' });
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

export const create: ReceiverFactory<TeamsOptions> = (name, opts, ctx) => new TeamsReceiver(name, opts, ctx);
