// sqs options (exporter's SQSConfig: queueName, region, layout; ours: queueUrl, deDot,
// messageGroupId, messageDeduplicationId, endpoint, timeoutMs). No SDK import: the config
// loader reads this file alone.
import { z } from 'zod';
import { goString } from '../../config/zod-helpers.ts';
import { awsOptionShape, fifoIdTemplates } from '../aws/options.ts';
import { typeOptions } from '../common/options.ts';
import type { ReceiverSpec } from '../common/types.ts';

/** The SendMessageBatch caps (Amazon SQS API reference, quotas). */
export const SQS_LIMITS = {
  maxEntries: 10,
  /**
   * Per call, the bodies together (and so per message). SQS accepts up to 1 MiB since 2025 where
   * the queue's MaximumMessageSize allows it; 256 KiB is what every queue takes.
   */
  maxRequestBytes: 256 * 1024,
  /** MessageGroupId and MessageDeduplicationId. */
  maxIdChars: 128,
} as const;

const QUEUE_NAME = /^[a-zA-Z0-9_-]{1,80}$/;

export const sqsSchema = typeOptions({
  /** Resolved to its URL with GetQueueUrl (in the background, retried until it answers). */
  queueName: z
    .string()
    .refine((name) => QUEUE_NAME.test(name.replace(/\.fifo$/, '')), {
      message: 'must be 1-80 characters of a-z, A-Z, 0-9, _ and - (FIFO queues end in .fifo)',
    })
    .optional(),
  /** Skips the lookup: the queue's URL as SQS gives it. */
  queueUrl: z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }).optional(),
  ...awsOptionShape,
  deDot: z.boolean().default(false),
  /** Template; FIFO queues: unset (or rendered empty) = the event uid, so one Event's occurrences stay in order. */
  messageGroupId: goString.optional(),
  /** Template, FIFO queues only; unset (or rendered empty) = the occurrence id, so a retry is not delivered twice. */
  messageDeduplicationId: goString.optional(),
}).superRefine((opts, ctx) => {
  if ((opts.queueName === undefined) === (opts.queueUrl === undefined))
    ctx.addIssue({
      code: 'custom',
      path: ['queueName'],
      message: 'is required (or queueUrl instead, not both)',
    });
  if (opts.messageDeduplicationId !== undefined && !isFifo(opts))
    ctx.addIssue({
      code: 'custom',
      path: ['messageDeduplicationId'],
      message: 'only FIFO queues (names ending in .fifo) take a deduplication id',
    });
});
export type SqsOptions = z.output<typeof sqsSchema>;

/** FIFO queue names end in `.fifo` (SQS requires it). */
export function isFifo(opts: {
  readonly queueName?: string | undefined;
  readonly queueUrl?: string | undefined;
}): boolean {
  return (opts.queueName ?? opts.queueUrl ?? '').endsWith('.fifo');
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
  templatedOptions: fifoIdTemplates,
  deDot: (opts) => opts.deDot,
  docs: 'docs/receivers/sqs.md',
  load: () => import('./send.ts').then((m) => m.create),
};
