// firehose — send, the front end of the AWS record stream: a record is the payload (plus a
// newline with appendNewline); one call is PutRecordBatch.
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import type { BuildContext, ReceiverFactory } from '../common/types.ts';
import { awsClientConfig } from '../aws/client.ts';
import { FIREHOSE_LIMITS } from './options.ts';
import type { FirehoseOptions } from './options.ts';
import { RecordStreamReceiver } from './stream.ts';
import type { RecordEntry, RecordService, StreamRecord } from './stream.ts';

interface FirehoseRecord extends StreamRecord {
  readonly data: Uint8Array;
}

function firehoseService(options: FirehoseOptions): RecordService<FirehoseRecord> {
  const client = new FirehoseClient(awsClientConfig(options));
  const suffix = options.appendNewline ? '\n' : '';
  return {
    service: 'Firehose',
    call: 'PutRecordBatch',
    limits: FIREHOSE_LIMITS,
    record: (payload, index) => {
      const data = Buffer.from(payload.body + suffix, 'utf8');
      return { index, data, bytes: data.length };
    },
    put: async (records, signal) => {
      const command = new PutRecordBatchCommand({
        DeliveryStreamName: options.deliveryStreamName,
        Records: records.map((r) => ({ Data: r.data })),
      });
      const answer = await client.send(command, { abortSignal: signal });
      if ((answer.FailedPutCount ?? 0) === 0) return undefined;
      // An entry without a record id was not stored.
      return (answer.RequestResponses ?? []).map((e): RecordEntry => ({
        stored: e.RecordId !== undefined,
        errorCode: e.ErrorCode,
        errorMessage: e.ErrorMessage,
      }));
    },
    credentials: () => client.config.credentials(),
    destroy: () => client.destroy(),
  };
}

export const create: ReceiverFactory<FirehoseOptions> = (name, options, ctx: BuildContext) =>
  new RecordStreamReceiver(name, firehoseService(options), options.endpoint, ctx.logger);
