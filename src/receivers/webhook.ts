// webhook: one HTTP request per event (exporter's WebhookConfig), headers templated; with
// `batch.maxEvents > 1` (ours) one request per batch whose body is a JSON array of payloads.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { formatPath } from '../config/problem.ts';
import { goString, options } from '../config/zod-helpers.ts';
import { typeOptions } from './common-options.ts';
import { HttpClient, urlSecrets } from './http.ts';
import type { BuildContext, Payload, Receiver, ReceiverSpec, SendResult } from './types.ts';

export const WEBHOOK_METHODS = ['POST', 'PUT', 'PATCH'] as const;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

// The message never repeats the value: the endpoint often carries a token from the env.
const endpoint = z.string().refine(isHttpUrl, { message: 'must be an http:// or https:// URL' });

export const tlsSchema = options({
  insecureSkipVerify: z.boolean().default(false),
  serverName: z.string().optional(),
  caFile: z.string().optional(),
  certFile: z.string().optional(),
  keyFile: z.string().optional(),
})
  .superRefine((tls, ctx) => {
    if (Boolean(tls.certFile) !== Boolean(tls.keyFile)) {
      const missing = tls.certFile ? 'keyFile' : 'certFile';
      const given = tls.certFile ? 'certFile' : 'keyFile';
      ctx.addIssue({ code: 'custom', path: [missing], message: `is required when ${given} is set` });
    }
  })
  .prefault({});

export const webhookSchema = typeOptions({
  endpoint,
  method: z.enum(WEBHOOK_METHODS).default('POST'),
  /** Values are event templates (exporter: GetString per request). */
  headers: z.record(z.string(), goString).default({}),
  tls: tlsSchema,
  timeoutMs: z.int().min(1).default(10_000),
});
export type WebhookOptions = z.output<typeof webhookSchema>;

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
  private readonly headerKeys: readonly (readonly [string, string])[];
  private readonly asArray: boolean;

  constructor(
    readonly name: string,
    private readonly options: WebhookOptions,
    ctx: BuildContext,
  ) {
    this.http = new HttpClient(options.tls, options.timeoutMs, ctx.clock, urlSecrets(options.endpoint));
    // Lower-cased so a configured Content-Type replaces ours instead of being sent twice.
    this.headerKeys = Object.keys(options.headers).map(
      (header) => [header.toLowerCase(), formatPath(['headers', header])] as const,
    );
    this.asArray = ctx.batch.maxEvents > 1;
  }

  send(batch: readonly Payload[], signal: AbortSignal): Promise<SendResult> {
    const first = batch[0];
    if (first === undefined) return Promise.resolve({ kind: 'ok' });
    // Header values are rendered per event; a batch carries those of its first event.
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    for (const [header, key] of this.headerKeys) headers[header] = first.templated[key] ?? '';
    headers['idempotency-key'] = idempotencyKey(batch);
    const body = webhookBody(batch, this.asArray);
    return this.http.send({ url: this.options.endpoint, method: this.options.method, headers, body }, signal);
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

export const webhookSpec: ReceiverSpec<WebhookOptions> = {
  type: 'webhook',
  schema: webhookSchema,
  // One rendered event per request, as in the exporter; `batch.maxEvents > 1` opts into arrays.
  batchDefaults: { maxEvents: 1, maxBytes: 5_242_880, flushIntervalMs: 0 },
  templatedOptions: (opts) =>
    Object.entries(opts.headers).map(([name, source]) => ({ path: ['headers', name], source })),
  create: (name, opts, ctx) => new WebhookReceiver(name, opts, ctx),
};
