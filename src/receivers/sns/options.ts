// sns options (exporter's SNSConfig: topicARN, region, layout; ours: deDot, messageGroupId,
// messageDeduplicationId, endpoint, timeoutMs). No SDK import: the config loader reads this
// file alone.
import { z } from 'zod';
import { goString } from '../../config/zod-helpers.ts';
import { awsOptionShape, fifoIdTemplates } from '../aws/options.ts';
import { typeOptions } from '../common/options.ts';
import type { ReceiverSpec } from '../common/types.ts';

/** The PublishBatch caps (Amazon SNS API reference, quotas). */
export const SNS_LIMITS = {
  maxEntries: 10,
  /** Per call, the messages together (and so per message). */
  maxRequestBytes: 256 * 1024,
  /** MessageGroupId and MessageDeduplicationId. */
  maxIdChars: 128,
} as const;

// Loose on purpose: the exporter's README example has a 16-digit account id and still loads.
const TOPIC_ARN = /^arn:[^:]+:sns:([^:]*):[^:]*:[^:]+$/;

export const snsSchema = typeOptions({
  topicARN: z
    .string()
    .regex(TOPIC_ARN, { message: 'must be a topic ARN (arn:aws:sns:<region>:<account>:<name>)' }),
  ...awsOptionShape,
  deDot: z.boolean().default(false),
  /** Template, FIFO topics only; unset (or rendered empty) = the event uid, so one Event's occurrences stay in order. */
  messageGroupId: goString.optional(),
  /** Template, FIFO topics only; unset (or rendered empty) = the occurrence id, so a retry is not delivered twice. */
  messageDeduplicationId: goString.optional(),
}).superRefine((opts, ctx) => {
  if (isFifoTopic(opts.topicARN)) return;
  for (const key of ['messageGroupId', 'messageDeduplicationId'] as const)
    if (opts[key] !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: 'only FIFO topics (names ending in .fifo) take it',
      });
});
export type SnsOptions = z.output<typeof snsSchema>;

export function isFifoTopic(topicArn: string): boolean {
  return topicArn.endsWith('.fifo');
}

/** The region inside a topic ARN, used when `region` is unset. */
export function regionOfArn(topicArn: string): string | undefined {
  const region = TOPIC_ARN.exec(topicArn)?.[1];
  return region === undefined || region === '' ? undefined : region;
}

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
  docs: 'docs/receivers/sns.md',
  load: () => import('./send.ts').then((m) => m.create),
};
