// SNS's PublishBatch on the AWS query protocol, as the API reference documents it: a form post
// (`Action=PublishBatch`, `PublishBatchRequestEntries.member.N.*`), an XML answer with
// `Successful` and `Failed` members (`SenderFault`), and `ErrorResponse` XML errors.
import { randomUUID } from 'node:crypto';
import type { AwsAnswer, AwsRequest } from '../aws-servers.ts';
import { AWS_TEST_CREDENTIALS } from '../aws-servers.ts';
import { BatchService } from './batch-service.ts';
import type { EntryResult } from './batch-service.ts';

const NS = 'http://sns.amazonaws.com/doc/2010-03-31/';

export interface SnsMessage {
  readonly id: string;
  readonly topicArn: string;
  readonly message: string;
  readonly groupId?: string;
  readonly deduplicationId?: string;
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An SNS error answer: `ErrorResponse` with Type, Code and Message. */
export function snsError(status: number, code: string, message: string): AwsAnswer {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return {
    status,
    body: `<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${xml(code)}</Code><Message>${xml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  };
}

/** An error whose message echoes the request's signature and the secret key. */
export function snsEchoCredentials(status: number, code: string): (req: AwsRequest) => AwsAnswer {
  return (req) =>
    snsError(
      status,
      code,
      `request ${String(req.headers.authorization)} token ${String(req.headers['x-amz-security-token'])} key ${AWS_TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY}`,
    );
}

export class SnsService extends BatchService<SnsMessage> {
  protected entriesOf(req: AwsRequest): SnsMessage[] | undefined {
    if (req.target !== 'PublishBatch') return undefined;
    const form = req.body as Record<string, string>;
    const out: SnsMessage[] = [];
    for (let n = 1; form[`PublishBatchRequestEntries.member.${n}.Id`] !== undefined; n++) {
      const field = (name: string) => form[`PublishBatchRequestEntries.member.${n}.${name}`];
      const groupId = field('MessageGroupId');
      const deduplicationId = field('MessageDeduplicationId');
      out.push({
        id: field('Id') ?? '',
        topicArn: form['TopicArn'] ?? '',
        message: field('Message') ?? '',
        ...(groupId === undefined ? {} : { groupId }),
        ...(deduplicationId === undefined ? {} : { deduplicationId }),
      });
    }
    return out;
  }

  protected batchAnswer(_req: AwsRequest, results: readonly EntryResult<SnsMessage>[]): AwsAnswer {
    const ok = results
      .flatMap((r) =>
        'stored' in r
          ? [`<member><Id>${xml(r.stored.id)}</Id><MessageId>${randomUUID()}</MessageId></member>`]
          : [],
      )
      .join('');
    const failed = results
      .flatMap((r) =>
        'refused' in r
          ? [
              `<member><Id>${xml(r.entry.id)}</Id><Code>${xml(r.refused.code)}</Code><Message>${xml(r.refused.message)}</Message><SenderFault>${String(r.refused.senderFault ?? false)}</SenderFault></member>`,
            ]
          : [],
      )
      .join('');
    return {
      status: 200,
      body: `<PublishBatchResponse xmlns="${NS}"><PublishBatchResult><Successful>${ok}</Successful><Failed>${failed}</Failed></PublishBatchResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishBatchResponse>`,
    };
  }

  protected otherCall(req: AwsRequest): AwsAnswer {
    return snsError(400, 'InvalidAction', `The action ${req.target} is not valid for this web service.`);
  }

  golden(m: SnsMessage): unknown {
    const { id: _id, message, ...rest } = m;
    return { ...rest, message: JSON.parse(message) as unknown };
  }
}
