// webhook — send: the request of a batch (body, headers, Idempotency-Key); the shared HTTP
// client classifies the answer by its status.
import { createHash } from 'node:crypto';
import { TemplatedHeaders } from '../common/headers.ts';
import { HttpClient } from '../common/http.ts';
import { urlSecrets } from '../common/secrets.ts';
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
    this.http = new HttpClient({
      tls: options.tls,
      timeoutMs: options.timeoutMs,
      clock: ctx.clock,
      secrets: urlSecrets(options.endpoint),
    });
    this.headers = new TemplatedHeaders(options.headers);
    this.asArray = ctx.batch.maxEvents > 1;
  }

  send(batch: readonly Payload[], signal: AbortSignal): Promise<SendResult> {
    const first = batch[0];
    if (first === undefined) return Promise.resolve({ kind: 'ok' });
    // Header values are rendered per event; a batch carries those of its first event.
    const headers = this.headers.render(first, { 'content-type': 'application/json' });
    headers['idempotency-key'] = idempotencyKey(batch);
    const body = webhookBody(batch, this.asArray);
    return this.http.send({ url: this.options.endpoint, method: this.options.method, headers, body }, signal);
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

export const create: ReceiverFactory<WebhookOptions> = (name, opts, ctx) =>
  new WebhookReceiver(name, opts, ctx);
