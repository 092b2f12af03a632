// webhook: one HTTP request per event (exporter's WebhookConfig), headers templated.
import { z } from 'zod';
import { goString, options } from '../config/zod-helpers.ts';
import { typeOptions } from './common-options.ts';
import type { ReceiverSpec } from './types.ts';

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

export const webhookSpec: ReceiverSpec<WebhookOptions> = {
  type: 'webhook',
  schema: webhookSchema,
  // The body is one rendered event, as in the exporter: batching would change the wire format.
  batchDefaults: { maxEvents: 1, maxBytes: 5_242_880, flushIntervalMs: 0 },
  limits: { maxEvents: 1 },
  templatedOptions: (opts) =>
    Object.entries(opts.headers).map(([name, source]) => ({ path: ['headers', name], source })),
};
