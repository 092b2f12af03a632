// kinesis — send, the front end of the AWS record stream: a record is the payload with its
// partition key (the rendered template, or the event uid so one Event's occurrences stay on one
// shard, in order); one call is PutRecords.
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { BuildContext, Payload, ReceiverFactory } from '../common/types.ts';
import { awsClientConfig } from '../aws/client.ts';
import { uidOf } from '../aws/entries.ts';
import { KINESIS_LIMITS } from './options.ts';
import type { KinesisOptions } from './options.ts';
import { RecordStreamReceiver } from './stream.ts';
import type { RecordEntry, RecordService, StreamRecord } from './stream.ts';

export { uidOf } from '../aws/entries.ts';

/** The partition key of a payload: the rendered template or the uid, cut to the API's 256 characters. */
export function partitionKeyOf(payload: Payload, templated: boolean): string {
  const rendered = templated ? (payload.templated['partitionKey'] ?? '') : '';
  const key = rendered === '' ? uidOf(payload) : rendered;
  const chars = [...key];
  return chars.length > KINESIS_LIMITS.maxPartitionKeyChars
    ? chars.slice(0, KINESIS_LIMITS.maxPartitionKeyChars).join('')
    : key;
}

interface KinesisRecord extends StreamRecord {
  readonly data: Uint8Array;
  readonly key: string;
}

function kinesisService(options: KinesisOptions): RecordService<KinesisRecord> {
  const client = new KinesisClient(awsClientConfig(options));
  const templatedKey = options.partitionKey !== undefined;
  return {
    service: 'Kinesis',
    call: 'PutRecords',
    limits: KINESIS_LIMITS,
    sizeNote: ' (data and partition key)',
    record: (payload, index) => {
      const key = partitionKeyOf(payload, templatedKey);
      const bytes = payload.bytes + Buffer.byteLength(key, 'utf8');
      return { index, data: Buffer.from(payload.body, 'utf8'), key, bytes };
    },
    put: async (records, signal) => {
      const command = new PutRecordsCommand({
        StreamName: options.streamName,
        Records: records.map((r) => ({ Data: r.data, PartitionKey: r.key })),
      });
      const answer = await client.send(command, { abortSignal: signal });
      if ((answer.FailedRecordCount ?? 0) === 0) return undefined;
      // An entry without a sequence number was not stored.
      return (answer.Records ?? []).map((e): RecordEntry => ({
        stored: e.SequenceNumber !== undefined,
        errorCode: e.ErrorCode,
        errorMessage: e.ErrorMessage,
      }));
    },
    credentials: () => client.config.credentials(),
    destroy: () => client.destroy(),
  };
}

export const create: ReceiverFactory<KinesisOptions> = (name, options, ctx: BuildContext) =>
  new RecordStreamReceiver(name, kinesisService(options), options.endpoint, ctx.logger);
