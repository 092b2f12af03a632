// AWS Systems Manager's CreateOpsItem on its JSON 1.1 protocol (`AmazonSSM.CreateOpsItem`), as
// the API reference documents it: `{ OpsItemId, OpsItemArn }`, or a `__type` error. One OpsItem
// per call, so a refusal is the call's error answer.
import { randomBytes } from 'node:crypto';
import { awsError } from '../aws-servers.ts';
import type { AwsAnswer, AwsRequest } from '../aws-servers.ts';
import { BatchService } from './batch-service.ts';
import type { EntryResult } from './batch-service.ts';

export type OpsItemSeen = Record<string, unknown>;

export class SsmService extends BatchService<OpsItemSeen> {
  /** Open OpsItems by dedup string, as OpsCenter keeps them. */
  private readonly byDedup = new Map<string, string>();

  protected entriesOf(req: AwsRequest): OpsItemSeen[] | undefined {
    return req.target === 'AmazonSSM.CreateOpsItem' ? [req.body] : undefined;
  }

  protected batchAnswer(_req: AwsRequest, results: readonly EntryResult<OpsItemSeen>[]): AwsAnswer {
    const [result] = results;
    if (result === undefined) return awsError(400, 'ValidationException', 'no OpsItem');
    if ('refused' in result) return awsError(400, result.refused.code, result.refused.message);
    const id = `oi-${randomBytes(6).toString('hex')}`;
    return {
      status: 200,
      body: { OpsItemId: id, OpsItemArn: `arn:aws:ssm:us-east-1:111122223333:opsitem/${id}` },
    };
  }

  /** OpsCenter's deduplication: an open OpsItem with the same dedup string is not created again. */
  override handle(req: AwsRequest): AwsAnswer | undefined {
    const dedup = dedupOf(req.body);
    const existing = dedup === undefined ? undefined : this.byDedup.get(dedup);
    if (existing !== undefined && this.answer === 'stored')
      return awsError(400, 'OpsItemAlreadyExistsException', `The OpsItem already exists: ${existing}`);
    const answer = super.handle(req);
    const id = (answer?.body as { OpsItemId?: string } | undefined)?.OpsItemId;
    if (dedup !== undefined && id !== undefined) this.byDedup.set(dedup, id);
    return answer;
  }

  protected otherCall(req: AwsRequest): AwsAnswer {
    return awsError(400, 'InvalidAction', `no operation ${req.target}`);
  }

  golden(item: OpsItemSeen): unknown {
    return item;
  }
}

function dedupOf(body: Record<string, unknown>): string | undefined {
  const data = body['OperationalData'] as Record<string, { Value?: string }> | undefined;
  return data?.['/aws/dedup']?.Value;
}
