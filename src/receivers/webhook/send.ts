// webhook — send: the requests of a batch (one per set of rendered headers: body, headers,
// Idempotency-Key); the shared HTTP client classifies each answer by its status.
import { createHash } from 'node:crypto';
import { TemplatedHeaders } from '../common/headers.ts';
import { endpointClient } from '../common/http.ts';
import type { HttpClient } from '../common/http.ts';
import { SendOutcome } from '../common/outcome.ts';
import type { BuildContext, Payload, Receiver, ReceiverFactory, SendResult } from '../common/types.ts';
import type { WebhookOptions } from './options.ts';

/** The Idempotency-Key of a request: the occurrence id, or a digest of the batch's ids. */
export function idempotencyKey(batch: readonly Payload[]): string {
  if (batch.length === 1) return (batch[0] as Payload).id;
  const digest = createHash('sha256');
  for (const payload of batch) digest.update(payload.id).update('\n');
  return `batch-${digest.digest('hex').slice(0, 32)}`;
}

/** The request body: the payload itself, or (batching on) a JSON array of payloads. */
export function webhookBody(batch: readonly Payload[], asArray: boolean): string {
  if (!asArray && batch.length === 1) return (batch[0] as Payload).body;
  return `[${batch.map((p) => p.body).join(',')}]`;
}

class WebhookReceiver implements Receiver {
  private readonly http: HttpClient;
  private readonly headers: TemplatedHeaders;
  private readonly asArray: boolean;

  constructor(
    readonly name: string,
    private readonly options: WebhookOptions,
    ctx: BuildContext,
  ) {
    this.http = endpointClient(options, ctx);
    this.headers = new TemplatedHeaders(options.headers);
    this.asArray = ctx.batch.maxEvents > 1;
  }

  /**
   * Header values are rendered per event, so a batch goes out as one request per set of
   * rendered headers (in the order each set first appears): every event travels with its own
   * headers. After a request to retry, the rest is not sent (the endpoint would fare no better a
   * moment later) and shares the retry; after a refused one, the other sets are still sent.
   */
  async send(batch: readonly Payload[], signal: AbortSignal): Promise<SendResult> {
    const groups = this.headers.group(batch);
    if (groups.length === 1) return this.post(batch, signal);
    const outcome = new SendOutcome(batch.length);
    for (const [i, indexes] of groups.entries()) {
      const result = await this.post(
        indexes.map((index) => batch[index] as Payload),
        signal,
      );
      if (result.kind === 'retry') {
        outcome.request(groups.slice(i).flat(), result);
        break;
      }
      outcome.request(indexes, result);
    }
    return outcome.result();
  }

  private post(payloads: readonly Payload[], signal: AbortSignal): Promise<SendResult> {
    const first = payloads[0];
    if (first === undefined) return Promise.resolve({ kind: 'ok' });
    const headers = this.headers.render(first, { 'content-type': 'application/json' });
    headers['idempotency-key'] = idempotencyKey(payloads);
    const body = webhookBody(payloads, this.asArray);
    return this.http.send({ url: this.options.endpoint, method: this.options.method, headers, body }, signal);
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

export const create: ReceiverFactory<WebhookOptions> = (name, opts, ctx) =>
  new WebhookReceiver(name, opts, ctx);
