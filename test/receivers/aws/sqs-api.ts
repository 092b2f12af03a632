// SQS on its JSON 1.0 protocol with query compatibility (`AmazonSQS.GetQueueUrl`,
// `AmazonSQS.SendMessageBatch`), as the API reference documents it: `Successful[]` with the
// MD5 of each body (which the SDK checks), `Failed[]` with `SenderFault`, and errors with
// `__type` plus the `x-amzn-query-error` header.
import { createHash, randomUUID } from 'node:crypto';
import type { AwsAnswer, AwsRequest } from '../aws-servers.ts';
import { BatchService } from './batch-service.ts';
import type { EntryResult } from './batch-service.ts';

export interface SqsMessage {
  readonly queueUrl: string;
  readonly body: string;
  readonly groupId?: string;
  readonly deduplicationId?: string;
}

/** An SQS error: `type` is the JSON name, `queryCode` the query protocol's code. */
export function sqsError(status: number, type: string, queryCode: string, message: string): AwsAnswer {
  const fault = status >= 500 ? 'Receiver' : 'Sender';
  return {
    status,
    headers: { 'x-amzn-query-error': `${queryCode};${fault}` },
    body: { __type: `com.amazonaws.sqs#${type}`, message },
  };
}

export class SqsService extends BatchService<SqsMessage & { readonly id: string }> {
  /** Queue names this account has, and their URLs on `origin`. */
  readonly queues = new Set<string>(['kube-events', 'kube-events.fifo']);
  /** Set to make GetQueueUrl answer this instead (then `undefined` again for the normal answer). */
  lookupAnswer: AwsAnswer | undefined;
  /** Set to corrupt the MD5 of stored bodies (a body changed on the way). */
  wrongMd5 = false;

  protected entriesOf(req: AwsRequest): (SqsMessage & { id: string })[] | undefined {
    if (req.target !== 'AmazonSQS.SendMessageBatch') return undefined;
    const queueUrl = String(req.body['QueueUrl'] ?? '');
    const entries = Array.isArray(req.body['Entries'])
      ? (req.body['Entries'] as Record<string, unknown>[])
      : [];
    return entries.map((e) => ({
      id: String(e['Id']),
      queueUrl,
      body: String(e['MessageBody'] ?? ''),
      ...(typeof e['MessageGroupId'] === 'string' ? { groupId: e['MessageGroupId'] } : {}),
      ...(typeof e['MessageDeduplicationId'] === 'string'
        ? { deduplicationId: e['MessageDeduplicationId'] }
        : {}),
    }));
  }

  protected batchAnswer(
    _req: AwsRequest,
    results: readonly EntryResult<SqsMessage & { id: string }>[],
  ): AwsAnswer {
    const successful = results.flatMap((r) =>
      'stored' in r
        ? [
            {
              Id: r.stored.id,
              MessageId: randomUUID(),
              MD5OfMessageBody: createHash('md5')
                .update(this.wrongMd5 ? `${r.stored.body} ` : r.stored.body, 'utf8')
                .digest('hex'),
            },
          ]
        : [],
    );
    const failed = results.flatMap((r) =>
      'refused' in r
        ? [
            {
              Id: r.entry.id,
              SenderFault: r.refused.senderFault ?? false,
              Code: r.refused.code,
              Message: r.refused.message,
            },
          ]
        : [],
    );
    return { status: 200, body: { Successful: successful, Failed: failed } };
  }

  protected otherCall(req: AwsRequest): AwsAnswer {
    if (req.target !== 'AmazonSQS.GetQueueUrl')
      return sqsError(
        400,
        'InvalidAction',
        'InvalidAction',
        `The action ${req.target} is not valid for this endpoint.`,
      );
    if (this.lookupAnswer !== undefined) return this.lookupAnswer;
    const name = String(req.body['QueueName'] ?? '');
    if (!this.queues.has(name))
      return sqsError(
        400,
        'QueueDoesNotExist',
        'AWS.SimpleQueueService.NonExistentQueue',
        'The specified queue does not exist.',
      );
    return { status: 200, body: { QueueUrl: `${this.origin}/111122223333/${name}` } };
  }

  golden(m: SqsMessage): unknown {
    return {
      queueUrl: m.queueUrl.replace(/^http:\/\/127\.0\.0\.1:\d+/, ''),
      ...(m.groupId === undefined ? {} : { groupId: m.groupId }),
      ...(m.deduplicationId === undefined ? {} : { deduplicationId: m.deduplicationId }),
      body: JSON.parse(m.body) as unknown,
    };
  }
}
