// AWS record streams — options and descriptions of kinesis (PutRecords; exporter's KinesisConfig:
// streamName, region, layout; ours: deDot, partitionKey, endpoint, timeoutMs) and firehose
// (PutRecordBatch; exporter's FirehoseConfig: deliveryStreamName, region, layout, deDot; ours:
// appendNewline, endpoint, timeoutMs). Send: ./stream.ts with the front ends ./kinesis.ts and
// ./firehose.ts. Classifier: ../aws/classify.ts (shared by every AWS receiver). Docs: docs/receivers/kinesis.md, firehose.md.
import { z } from 'zod';
import { goString } from '../../config/zod-helpers.ts';
import { awsOptionShape } from '../aws/options.ts';
import { typeOptions } from '../common/options.ts';
import type { BatchPolicy, ReceiverSpec } from '../common/types.ts';

/** The caps of one put call. */
export interface RecordLimits {
  readonly maxRecords: number;
  /** Per request. */
  readonly maxRequestBytes: number;
  /** Per record. */
  readonly maxRecordBytes: number;
}

/** The PutRecords caps (AWS Kinesis Data Streams API reference). */
export const KINESIS_LIMITS = {
  maxRecords: 500,
  /** Per request, data and partition keys together. */
  maxRequestBytes: 5 * 1024 * 1024,
  /** Per record, data and partition key together. */
  maxRecordBytes: 1024 * 1024,
  maxPartitionKeyChars: 256,
} as const;

/** The PutRecordBatch caps (Amazon Data Firehose API reference, quotas). */
export const FIREHOSE_LIMITS = {
  maxRecords: 500,
  /** Per call, the records' data together. */
  maxRequestBytes: 4 * 1024 * 1024,
  /** Per record, before base64: 1,000 KiB. */
  maxRecordBytes: 1000 * 1024,
} as const;

export const kinesisSchema = typeOptions({
  streamName: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]{1,128}$/, { message: 'must be 1-128 characters of a-z, A-Z, 0-9, _ . -' }),
  ...awsOptionShape,
  /** Template; unset (or rendered empty) = the event uid, so one Event's occurrences stay on one shard, in order. */
  partitionKey: goString.optional(),
  deDot: z.boolean().default(false),
  /** The exporter's; accepted so its configs load. Every new occurrence is sent (see the deduper). */
  sentUpdateEvent: z.boolean().optional(),
});
export type KinesisOptions = z.output<typeof kinesisSchema>;

export const firehoseSchema = typeOptions({
  deliveryStreamName: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]{1,64}$/, { message: 'must be 1-64 characters of a-z, A-Z, 0-9, _ . -' }),
  ...awsOptionShape,
  /** A newline after each record, so the objects Firehose writes to S3 are NDJSON. */
  appendNewline: z.boolean().default(true),
  deDot: z.boolean().default(false),
});
export type FirehoseOptions = z.output<typeof firehoseSchema>;

/** A whole request per flush: as many records as the call takes, a second at most to gather them. */
function streamBatch(limits: RecordLimits): { batchDefaults: BatchPolicy; limits: Partial<BatchPolicy> } {
  return {
    batchDefaults: { maxEvents: limits.maxRecords, maxBytes: limits.maxRequestBytes, flushIntervalMs: 1000 },
    limits: { maxEvents: limits.maxRecords, maxBytes: limits.maxRequestBytes },
  };
}

export const kinesisSpec: ReceiverSpec<KinesisOptions> = {
  type: 'kinesis',
  schema: kinesisSchema,
  ...streamBatch(KINESIS_LIMITS),
  templatedOptions: (opts) =>
    opts.partitionKey === undefined ? [] : [{ path: ['partitionKey'], source: opts.partitionKey }],
  deDot: (opts) => opts.deDot,
  docs: 'docs/receivers/kinesis.md',
  load: () => import('./kinesis.ts').then((m) => m.create),
};

export const firehoseSpec: ReceiverSpec<FirehoseOptions> = {
  type: 'firehose',
  schema: firehoseSchema,
  ...streamBatch(FIREHOSE_LIMITS),
  deDot: (opts) => opts.deDot,
  docs: 'docs/receivers/firehose.md',
  load: () => import('./firehose.ts').then((m) => m.create),
};
