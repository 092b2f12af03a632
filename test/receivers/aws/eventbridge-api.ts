// EventBridge's PutEvents on its JSON 1.1 protocol (`AWSEvents.PutEvents`), as the API
// reference documents it: `FailedEntryCount` and, per entry in order, `EventId` or
// `ErrorCode` / `ErrorMessage`.
import { randomUUID } from 'node:crypto';
import { awsError } from '../aws-servers.ts';
import type { AwsAnswer, AwsRequest } from '../aws-servers.ts';
import { BatchService } from './batch-service.ts';
import type { EntryResult } from './batch-service.ts';

export interface PutEntry {
  readonly source: string;
  readonly detailType: string;
  readonly detail: string;
  readonly eventBusName?: string;
  /** Epoch seconds, as the JSON protocol sends a timestamp. */
  readonly time?: number;
}

function toEntry(raw: Record<string, unknown>): PutEntry {
  return {
    source: String(raw['Source'] ?? ''),
    detailType: String(raw['DetailType'] ?? ''),
    detail: String(raw['Detail'] ?? ''),
    ...(typeof raw['EventBusName'] === 'string' ? { eventBusName: raw['EventBusName'] } : {}),
    ...(typeof raw['Time'] === 'number' ? { time: raw['Time'] } : {}),
  };
}

export class EventbridgeService extends BatchService<PutEntry> {
  protected entriesOf(req: AwsRequest): PutEntry[] | undefined {
    if (req.target !== 'AWSEvents.PutEvents') return undefined;
    const entries = req.body['Entries'];
    return Array.isArray(entries) ? (entries as Record<string, unknown>[]).map(toEntry) : [];
  }

  protected batchAnswer(_req: AwsRequest, results: readonly EntryResult<PutEntry>[]): AwsAnswer {
    const entries = results.map((r) =>
      'stored' in r
        ? { EventId: randomUUID() }
        : { ErrorCode: r.refused.code, ErrorMessage: r.refused.message },
    );
    const failed = results.filter((r) => 'refused' in r).length;
    return { status: 200, body: { FailedEntryCount: failed, Entries: entries } };
  }

  protected otherCall(req: AwsRequest): AwsAnswer {
    return awsError(400, 'UnknownOperationException', `no operation ${req.target}`);
  }

  golden(entry: PutEntry): unknown {
    return { ...entry, detail: JSON.parse(entry.detail) as unknown };
  }
}
