// sns: events published to an SNS topic (see docs/receivers/sns.md).
import { fifoIdTemplates } from '../aws-options.ts';
import type { ReceiverSpec } from '../types.ts';
import { SNS_LIMITS, snsSchema } from './options.ts';
import type { SnsOptions } from './options.ts';
import { SnsReceiver } from './send.ts';

export const snsSpec: ReceiverSpec<SnsOptions> = {
  type: 'sns',
  schema: snsSchema,
  batchDefaults: {
    maxEvents: SNS_LIMITS.maxEntries,
    maxBytes: SNS_LIMITS.maxRequestBytes,
    flushIntervalMs: 500,
  },
  limits: { maxEvents: SNS_LIMITS.maxEntries, maxBytes: SNS_LIMITS.maxRequestBytes },
  templatedOptions: fifoIdTemplates,
  deDot: (opts) => opts.deDot,
  create: (name, opts, ctx) => new SnsReceiver(name, opts, ctx),
};
