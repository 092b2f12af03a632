// kinesis: PutRecords batches (exporter's KinesisConfig: streamName, region, layout; ours: deDot,
// partitionKey, endpoint, timeoutMs) within the API caps; records the service reports as failed
// are retried alone, a record above the per-record cap is dead-lettered with the reason.
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { z } from 'zod';
import { goString } from '../config/zod-helpers.ts';
import {
  AwsRedactor,
  awsClientConfig,
  awsOptionShape,
  classifyAwsError,
  learnCredentials,
  putInChunks,
  recordAction,
} from './aws.ts';
import { uidOf } from './aws-entries.ts';
import { typeOptions } from './common-options.ts';
import { SendOutcome } from './outcome.ts';
import type { BuildContext, Payload, Receiver, ReceiverSpec, SendResult } from './types.ts';
import { SendError } from './types.ts';

/** The PutRecords caps (AWS Kinesis Data Streams API reference). */
export const KINESIS_LIMITS = {
  maxRecords: 500,
  /** Per request, data and partition keys together. */
  maxRequestBytes: 5 * 1024 * 1024,
  /** Per record, data and partition key together. */
  maxRecordBytes: 1024 * 1024,
  maxPartitionKeyChars: 256,
} as const;

export const kinesisSchema = typeOptions({
  streamName: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]{1,128}$/, { message: 'must be 1-128 characters of a-z, A-Z, 0-9, _ . -' }),
  ...awsOptionShape,
  /** Template; unset (or rendered empty) = the event uid, so one Event's occurrences stay on one shard, in order. */
  partitionKey: goString.optional(),
  deDot: z.boolean().default(false),
  /** The exporter's; accepted so its configs load. Every new occurrence is sent (DESIGN §1 deduper). */
  sentUpdateEvent: z.boolean().optional(),
});
export type KinesisOptions = z.output<typeof kinesisSchema>;

export { uidOf } from './aws-entries.ts';

/** The partition key of a payload: the rendered template or the uid, cut to the API's 256 characters. */
export function partitionKeyOf(payload: Payload, templated: boolean): string {
  const rendered = templated ? (payload.templated['partitionKey'] ?? '') : '';
  const key = rendered === '' ? uidOf(payload) : rendered;
  const chars = [...key];
  return chars.length > KINESIS_LIMITS.maxPartitionKeyChars
    ? chars.slice(0, KINESIS_LIMITS.maxPartitionKeyChars).join('')
    : key;
}

interface PreparedRecord {
  readonly index: number;
  readonly data: Uint8Array;
  readonly key: string;
  readonly bytes: number;
}

class KinesisReceiver implements Receiver {
  private readonly client: KinesisClient;
  private readonly redactor: AwsRedactor;
  private readonly templatedKey: boolean;

  constructor(
    readonly name: string,
    private readonly options: KinesisOptions,
    private readonly ctx: BuildContext,
  ) {
    this.client = new KinesisClient(awsClientConfig(options));
    this.redactor = new AwsRedactor(options.endpoint);
    this.templatedKey = options.partitionKey !== undefined;
  }

  async send(batch: readonly Payload[], signal: AbortSignal): Promise<SendResult> {
    const outcome = new SendOutcome(batch.length);
    const records = this.prepare(batch, outcome);
    await putInChunks(records, KINESIS_LIMITS, outcome, (chunk) => this.put(chunk, outcome, signal));
    return outcome.result();
  }

  private prepare(batch: readonly Payload[], outcome: SendOutcome): PreparedRecord[] {
    const records: PreparedRecord[] = [];
    batch.forEach((payload, index) => {
      const key = partitionKeyOf(payload, this.templatedKey);
      const bytes = payload.bytes + Buffer.byteLength(key, 'utf8');
      if (bytes > KINESIS_LIMITS.maxRecordBytes) {
        const message = `record is ${bytes} bytes (data and partition key), above the Kinesis limit of ${KINESIS_LIMITS.maxRecordBytes} per record`;
        outcome.drop(index, 'clientError', new SendError(message));
        return;
      }
      records.push({ index, data: Buffer.from(payload.body, 'utf8'), key, bytes });
    });
    return records;
  }

  /** One PutRecords call; per-record failures go into `outcome`, a failed call is returned. */
  private async put(
    records: readonly PreparedRecord[],
    outcome: SendOutcome,
    signal: AbortSignal,
  ): Promise<SendResult | undefined> {
    const command = new PutRecordsCommand({
      StreamName: this.options.streamName,
      Records: records.map((r) => ({ Data: r.data, PartitionKey: r.key })),
    });
    try {
      const answer = await this.client.send(command, { abortSignal: signal });
      if ((answer.FailedRecordCount ?? 0) > 0) this.recordFailures(records, answer.Records ?? [], outcome);
      return undefined;
    } catch (err) {
      await learnCredentials(() => this.client.config.credentials(), this.redactor);
      return classifyAwsError(err, 'Kinesis PutRecords', this.redactor);
    }
  }

  private recordFailures(
    records: readonly PreparedRecord[],
    entries: readonly PutRecordsResultEntry[],
    outcome: SendOutcome,
  ): void {
    const codes: Record<string, number> = {};
    records.forEach((record, i) => {
      const entry = entries[i];
      // An entry without a sequence number was not stored, whatever the answer says of it.
      const code = entry?.ErrorCode ?? (entry?.SequenceNumber === undefined ? 'InternalFailure' : undefined);
      if (code === undefined) return;
      codes[code] = (codes[code] ?? 0) + 1;
      const action = recordAction(code);
      if (action.retry) outcome.retry([record.index], action.reason, code);
      else
        outcome.drop(
          record.index,
          action.reason,
          new SendError(this.redactor.redact(`Kinesis record failed: ${code}: ${entry?.ErrorMessage ?? ''}`)),
        );
    });
    this.ctx.logger.debug(
      { receiver: this.name, codes },
      'Kinesis refused some records of a PutRecords call.',
    );
  }

  close(): Promise<void> {
    this.client.destroy();
    return Promise.resolve();
  }
}

export const kinesisSpec: ReceiverSpec<KinesisOptions> = {
  type: 'kinesis',
  schema: kinesisSchema,
  batchDefaults: {
    maxEvents: KINESIS_LIMITS.maxRecords,
    maxBytes: KINESIS_LIMITS.maxRequestBytes,
    flushIntervalMs: 1000,
  },
  limits: { maxEvents: KINESIS_LIMITS.maxRecords, maxBytes: KINESIS_LIMITS.maxRequestBytes },
  templatedOptions: (opts) =>
    opts.partitionKey === undefined ? [] : [{ path: ['partitionKey'], source: opts.partitionKey }],
  deDot: (opts) => opts.deDot,
  create: (name, opts, ctx) => new KinesisReceiver(name, opts, ctx),
};
