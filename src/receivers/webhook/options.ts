// webhook — options and description. One HTTP request per event (exporter's WebhookConfig),
// headers templated; with `batch.maxEvents > 1` (ours) one request per batch whose body is a
// JSON array of payloads. Send: ./send.ts. Classifier: the shared HTTP status classifier
// (../common/http-status.ts). Doc: docs/configuration.md#webhook.
import { z } from 'zod';
import { goString } from '../../config/zod-helpers.ts';
import { headerTemplates, httpUrl, timeoutMs, tlsSchema, typeOptions } from '../common/options.ts';
import type { ReceiverSpec } from '../common/types.ts';

export const WEBHOOK_METHODS = ['POST', 'PUT', 'PATCH'] as const;

export const webhookSchema = typeOptions({
  endpoint: httpUrl,
  method: z.enum(WEBHOOK_METHODS).default('POST'),
  /** Values are event templates (exporter: GetString per request). */
  headers: z.record(z.string(), goString).default({}),
  tls: tlsSchema,
  timeoutMs: timeoutMs(10_000),
});
export type WebhookOptions = z.output<typeof webhookSchema>;

export const webhookSpec: ReceiverSpec<WebhookOptions> = {
  type: 'webhook',
  schema: webhookSchema,
  // One rendered event per request, as in the exporter; `batch.maxEvents > 1` opts into arrays.
  batchDefaults: { maxEvents: 1, maxBytes: 5_242_880, flushIntervalMs: 0 },
  templatedOptions: (opts) => headerTemplates(opts.headers),
  docs: 'docs/configuration.md#webhook',
  load: () => import('./send.ts').then((m) => m.create),
};
