// AWS record streams — send: the receiver kinesis and firehose share. A batch becomes records
// (one too large for the service is dead-lettered with the reason), the records go out in calls
// within the caps, and the records the service reports as failed are retried alone. A front end
// (kinesis.ts, firehose.ts) says how to shape a record and how to make one call with its SDK.
import type { Logger } from 'pino';
import { SendOutcome } from '../common/outcome.ts';
import type { Payload, Receiver, SendResult } from '../common/types.ts';
import { SendError } from '../common/types.ts';
import { putInChunks } from '../aws/chunks.ts';
import { classifyAwsError, recordAction } from '../aws/classify.ts';
import { AwsRedactor, learnCredentials } from '../aws/client.ts';
import type { Credentials } from '../aws/client.ts';
import type { RecordLimits } from './options.ts';

/** A record ready to send: `bytes` is what counts against the caps. */
export interface StreamRecord {
  readonly index: number;
  readonly bytes: number;
}

/** The service's word on one record of a call: stored, or an error code. */
export interface RecordEntry {
  readonly stored: boolean;
  readonly errorCode?: string | undefined;
  readonly errorMessage?: string | undefined;
}

/** What a front end supplies: the service's names, caps, records and one call. */
export interface RecordService<R extends StreamRecord> {
  /** `Kinesis`, `Firehose`: in messages. */
  readonly service: string;
  /** `PutRecords`, `PutRecordBatch`: in messages. */
  readonly call: string;
  readonly limits: RecordLimits;
  /** What the per-record size counts, in the size error (` (data and partition key)`). */
  readonly sizeNote?: string;
  record(payload: Payload, index: number): R;
  /** One call; undefined when every record was stored, else one entry per record. */
  put(records: readonly R[], signal: AbortSignal): Promise<readonly RecordEntry[] | undefined>;
  credentials(): Promise<Credentials>;
  destroy(): void;
}

export class RecordStreamReceiver<R extends StreamRecord> implements Receiver {
  private readonly redactor: AwsRedactor;

  constructor(
    readonly name: string,
    private readonly stream: RecordService<R>,
    endpoint: string | undefined,
    private readonly logger: Logger,
  ) {
    this.redactor = new AwsRedactor(endpoint);
  }

  async send(batch: readonly Payload[], signal: AbortSignal): Promise<SendResult> {
    const outcome = new SendOutcome(batch.length);
    const records = this.prepare(batch, outcome);
    await putInChunks(records, this.stream.limits, outcome, (chunk) => this.put(chunk, outcome, signal));
    return outcome.result();
  }

  private prepare(batch: readonly Payload[], outcome: SendOutcome): R[] {
    const { limits, service, sizeNote = '' } = this.stream;
    const records: R[] = [];
    batch.forEach((payload, index) => {
      const record = this.stream.record(payload, index);
      if (record.bytes > limits.maxRecordBytes) {
        const message = `record is ${record.bytes} bytes${sizeNote}, above the ${service} limit of ${limits.maxRecordBytes} per record`;
        outcome.drop(index, 'clientError', new SendError(message));
        return;
      }
      records.push(record);
    });
    return records;
  }

  /** One call; per-record failures go into `outcome`, a failed call is returned. */
  private async put(
    records: readonly R[],
    outcome: SendOutcome,
    signal: AbortSignal,
  ): Promise<SendResult | undefined> {
    try {
      const entries = await this.stream.put(records, signal);
      if (entries !== undefined) this.recordFailures(records, entries, outcome);
      return undefined;
    } catch (err) {
      await learnCredentials(() => this.stream.credentials(), this.redactor);
      return classifyAwsError(err, `${this.stream.service} ${this.stream.call}`, this.redactor);
    }
  }

  private recordFailures(records: readonly R[], entries: readonly RecordEntry[], outcome: SendOutcome): void {
    const codes: Record<string, number> = {};
    records.forEach((record, i) => {
      const entry = entries[i];
      // An entry the service did not mark stored was not, whatever the answer says of it.
      const code = entry?.errorCode ?? (entry?.stored === true ? undefined : 'InternalFailure');
      if (code === undefined) return;
      codes[code] = (codes[code] ?? 0) + 1;
      const action = recordAction(code);
      if (action.retry) outcome.retry([record.index], action.reason, code);
      else {
        const text = `${this.stream.service} record failed: ${code}: ${entry?.errorMessage ?? ''}`;
        outcome.drop(record.index, action.reason, new SendError(this.redactor.redact(text)));
      }
    });
    this.logger.debug(
      { receiver: this.name, codes },
      `${this.stream.service} refused some records of a ${this.stream.call} call.`,
    );
  }

  close(): Promise<void> {
    this.stream.destroy();
    return Promise.resolve();
  }
}
