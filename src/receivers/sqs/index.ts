// sqs: events as messages of an SQS queue (see docs/receivers/sqs.md).
import { fifoIdTemplates } from '../aws-options.ts';
import type { ReceiverSpec } from '../types.ts';
import { SQS_LIMITS, sqsSchema } from './options.ts';
import type { SqsOptions } from './options.ts';
import { SqsReceiver } from './send.ts';

export const sqsSpec: ReceiverSpec<SqsOptions> = {
  type: 'sqs',
  schema: sqsSchema,
  batchDefaults: {
    maxEvents: SQS_LIMITS.maxEntries,
    maxBytes: SQS_LIMITS.maxRequestBytes,
    flushIntervalMs: 500,
  },
  limits: { maxEvents: SQS_LIMITS.maxEntries, maxBytes: SQS_LIMITS.maxRequestBytes },
  templatedOptions: fifoIdTemplates,
  deDot: (opts) => opts.deDot,
  create: (name, opts, ctx) => new SqsReceiver(name, opts, ctx),
};
