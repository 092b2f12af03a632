// The fate of each payload of one send, over one or more requests and per-item answers,
// folded into the one SendResult the output expects (kinesis, firehose, loki).
import type { FailureReason, SendResult } from './types.ts';

/** Collects the fate of each payload of one send (over one or more requests) into one SendResult. */
export class SendOutcome {
  private readonly retries: number[] = [];
  private readonly drops: { index: number; error: Error; reason: FailureReason }[] = [];
  private readonly wholeFailures: SendResult[] = [];
  private wholeRecords = 0;
  private retryReason: FailureReason | undefined;

  constructor(private readonly size: number) {}

  retry(indexes: readonly number[], reason: FailureReason): void {
    this.retries.push(...indexes);
    // Rate limiting wins: it is what the backoff should answer to.
    if (this.retryReason !== 'rateLimited') this.retryReason = reason;
  }

  drop(index: number, reason: FailureReason, error: Error): void {
    this.drops.push({ index, error, reason });
  }

  /** A whole request failed: its records share the call's classification. */
  request(indexes: readonly number[], result: SendResult): void {
    if (result.kind === 'retry') this.retry(indexes, result.reason);
    else if (result.kind === 'drop') for (const index of indexes) this.drop(index, result.reason, result.error);
    else return;
    this.wholeFailures.push(result);
    this.wholeRecords += indexes.length;
  }

  result(): SendResult {
    if (this.retries.length === 0 && this.drops.length === 0) return { kind: 'ok' };
    // One failed call covering the whole batch keeps its own error (and its message in the logs).
    const only = this.wholeFailures.length === 1 && this.wholeRecords === this.size ? this.wholeFailures[0] : undefined;
    if (only !== undefined) return only;
    return { kind: 'partial', retry: this.retries, drop: this.drops, reason: this.retryReason ?? 'serverError' };
  }
}
