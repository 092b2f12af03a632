// opsgenie — send: one Alert API request per event (create, close or acknowledge), texts cut to
// the API's limits; the shared HTTP client classifies the answer by its status.
import { formatPath } from '../../config/problem.ts';
import { HttpClient } from '../common/http.ts';
import { sendEach } from '../common/outcome.ts';
import { truncateChars } from '../common/truncate.ts';
import type { BuildContext, Payload, Receiver, ReceiverFactory, SendResult } from '../common/types.ts';
import { SendError } from '../common/types.ts';
import { OPSGENIE_LIMITS, OPSGENIE_URLS, PRIORITIES, opsgenieBaseUrl } from './options.ts';
import type { OpsgenieOptions, SingleText } from './options.ts';

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
    this.http = new HttpClient({
      tls: o.tls,
      timeoutMs: o.timeoutMs,
      clock: ctx.clock,
      secrets: [o.apiKey],
      capture: ctx.capture,
    });
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

export const create: ReceiverFactory<OpsgenieOptions> = (name, opts, ctx) =>
  new OpsgenieReceiver(name, opts, ctx);
