// sqs: events as messages of an SQS queue (see docs/receivers/sqs.md).
import type { TemplatedOption, ReceiverSpec } from '../types.ts';
import { SQS_LIMITS, sqsSchema } from './options.ts';
import type { SqsOptions } from './options.ts';
import { SqsReceiver } from './send.ts';

function templatedOptions(opts: SqsOptions): TemplatedOption[] {
  const out: TemplatedOption[] = [];
  if (opts.messageGroupId !== undefined) out.push({ path: ['messageGroupId'], source: opts.messageGroupId });
  if (opts.messageDeduplicationId !== undefined)
    out.push({ path: ['messageDeduplicationId'], source: opts.messageDeduplicationId });
  return out;
}

export const sqsSpec: ReceiverSpec<SqsOptions> = {
  type: 'sqs',
  schema: sqsSchema,
  batchDefaults: {
    maxEvents: SQS_LIMITS.maxEntries,
    maxBytes: SQS_LIMITS.maxRequestBytes,
    flushIntervalMs: 500,
  },
  limits: { maxEvents: SQS_LIMITS.maxEntries, maxBytes: SQS_LIMITS.maxRequestBytes },
  templatedOptions,
  deDot: (opts) => opts.deDot,
  create: (name, opts, ctx) => new SqsReceiver(name, opts, ctx),
};
