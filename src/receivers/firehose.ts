// firehose: PutRecordBatch batches (exporter's FirehoseConfig: deliveryStreamName, region, layout,
// deDot; ours: appendNewline, endpoint, timeoutMs) within the API caps; records the service reports
// as failed are retried alone, a record above the per-record cap is dead-lettered with the reason.
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import type { PutRecordBatchResponseEntry } from '@aws-sdk/client-firehose';
import { z } from 'zod';
import {
  AwsRedactor,
  awsClientConfig,
  awsOptionShape,
  classifyAwsError,
  learnCredentials,
  putInChunks,
  recordAction,
} from './aws.ts';
import { typeOptions } from './common-options.ts';
import { SendOutcome } from './outcome.ts';
import type { BuildContext, Payload, Receiver, ReceiverSpec, SendResult } from './types.ts';
import { SendError } from './types.ts';

/** The PutRecordBatch caps (Amazon Data Firehose API reference, quotas). */
export const FIREHOSE_LIMITS = {
  maxRecords: 500,
  /** Per call, the records' data together. */
  maxRequestBytes: 4 * 1024 * 1024,
  /** Per record, before base64: 1,000 KiB. */
  maxRecordBytes: 1000 * 1024,
} as const;

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

interface PreparedRecord {
  readonly index: number;
  readonly data: Uint8Array;
  readonly bytes: number;
}

class FirehoseReceiver implements Receiver {
  private readonly client: FirehoseClient;
  private readonly redactor: AwsRedactor;
  private readonly suffix: string;

  constructor(
    readonly name: string,
    private readonly options: FirehoseOptions,
    private readonly ctx: BuildContext,
  ) {
    this.client = new FirehoseClient(awsClientConfig(options));
    this.redactor = new AwsRedactor(options.endpoint);
    this.suffix = options.appendNewline ? '\n' : '';
  }

  async send(batch: readonly Payload[], signal: AbortSignal): Promise<SendResult> {
    const outcome = new SendOutcome(batch.length);
    const records = this.prepare(batch, outcome);
    await putInChunks(records, FIREHOSE_LIMITS, outcome, (chunk) => this.put(chunk, outcome, signal));
    return outcome.result();
  }

  private prepare(batch: readonly Payload[], outcome: SendOutcome): PreparedRecord[] {
    const records: PreparedRecord[] = [];
    batch.forEach((payload, index) => {
      const data = Buffer.from(payload.body + this.suffix, 'utf8');
      if (data.length > FIREHOSE_LIMITS.maxRecordBytes) {
        const message = `record is ${data.length} bytes, above the Firehose limit of ${FIREHOSE_LIMITS.maxRecordBytes} per record`;
        outcome.drop(index, 'clientError', new SendError(message));
        return;
      }
      records.push({ index, data, bytes: data.length });
    });
    return records;
  }

  /** One PutRecordBatch call; per-record failures go into `outcome`, a failed call is returned. */
  private async put(
    records: readonly PreparedRecord[],
    outcome: SendOutcome,
    signal: AbortSignal,
  ): Promise<SendResult | undefined> {
    const command = new PutRecordBatchCommand({
      DeliveryStreamName: this.options.deliveryStreamName,
      Records: records.map((r) => ({ Data: r.data })),
    });
    try {
      const answer = await this.client.send(command, { abortSignal: signal });
      if ((answer.FailedPutCount ?? 0) > 0)
        this.recordFailures(records, answer.RequestResponses ?? [], outcome);
      return undefined;
    } catch (err) {
      await learnCredentials(() => this.client.config.credentials(), this.redactor);
      return classifyAwsError(err, 'Firehose PutRecordBatch', this.redactor);
    }
  }

  private recordFailures(
    records: readonly PreparedRecord[],
    entries: readonly PutRecordBatchResponseEntry[],
    outcome: SendOutcome,
  ): void {
    const codes: Record<string, number> = {};
    records.forEach((record, i) => {
      const entry = entries[i];
      // An entry without a record id was not stored, whatever the answer says of it.
      const code = entry?.ErrorCode ?? (entry?.RecordId === undefined ? 'InternalFailure' : undefined);
      if (code === undefined) return;
      codes[code] = (codes[code] ?? 0) + 1;
      const action = recordAction(code);
      if (action.retry) outcome.retry([record.index], action.reason, code);
      else
        outcome.drop(
          record.index,
          action.reason,
          new SendError(
            this.redactor.redact(`Firehose record failed: ${code}: ${entry?.ErrorMessage ?? ''}`),
          ),
        );
    });
    this.ctx.logger.debug(
      { receiver: this.name, codes },
      'Firehose refused some records of a PutRecordBatch call.',
    );
  }

  close(): Promise<void> {
    this.client.destroy();
    return Promise.resolve();
  }
}

export const firehoseSpec: ReceiverSpec<FirehoseOptions> = {
  type: 'firehose',
  schema: firehoseSchema,
  batchDefaults: {
    maxEvents: FIREHOSE_LIMITS.maxRecords,
    maxBytes: FIREHOSE_LIMITS.maxRequestBytes,
    flushIntervalMs: 1000,
  },
  limits: { maxEvents: FIREHOSE_LIMITS.maxRecords, maxBytes: FIREHOSE_LIMITS.maxRequestBytes },
  deDot: (opts) => opts.deDot,
  create: (name, opts, ctx) => new FirehoseReceiver(name, opts, ctx),
};
