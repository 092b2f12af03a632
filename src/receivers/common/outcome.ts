// The fate of each payload of one send, over one or more requests and per-item answers,
// folded into the one SendResult the output expects (kinesis, firehose, loki; sendEach for
// services that take one message per request).
import { SendError } from './types.ts';
import type { FailureReason, Payload, SendResult } from './types.ts';

/** Collects the fate of each payload of one send (over one or more requests) into one SendResult. */
export class SendOutcome {
  private readonly retries: number[] = [];
  private readonly drops: { index: number; error: Error; reason: FailureReason }[] = [];
  private readonly wholeFailures: SendResult[] = [];
  private readonly retryCodes = new Map<string, number>();
  private wholeRecords = 0;
  private retryReason: FailureReason | undefined;

  constructor(private readonly size: number) {}

  /** Items to send again; `code` names why (a per-record error code), for the message. */
  retry(indexes: readonly number[], reason: FailureReason, code?: string): void {
    this.retries.push(...indexes);
    if (code !== undefined) this.retryCodes.set(code, (this.retryCodes.get(code) ?? 0) + indexes.length);
    // Rate limiting wins: it is what the backoff should answer to.
    if (this.retryReason !== 'rateLimited') this.retryReason = reason;
  }

  drop(index: number, reason: FailureReason, error: Error): void {
    this.drops.push({ index, error, reason });
  }

  /** A whole request failed: its records share the call's classification. */
  request(indexes: readonly number[], result: SendResult): void {
    if (result.kind === 'retry') this.retry(indexes, result.reason);
    else if (result.kind === 'drop')
      for (const index of indexes) this.drop(index, result.reason, result.error);
    else return;
    this.wholeFailures.push(result);
    this.wholeRecords += indexes.length;
  }

  result(): SendResult {
    if (this.retries.length === 0 && this.drops.length === 0) return { kind: 'ok' };
    // One failed call covering the whole batch keeps its own error (and its message in the logs).
    const only =
      this.wholeFailures.length === 1 && this.wholeRecords === this.size ? this.wholeFailures[0] : undefined;
    if (only !== undefined) return only;
    // Every item failed the same way: one retry or one drop, as for a failed call.
    if (this.retries.length === this.size) {
      const codes = [...this.retryCodes].map(([code, n]) => `${code} ×${n}`).join(', ');
      const error = new SendError(`every record was refused${codes === '' ? '' : ` (${codes})`}`);
      return { kind: 'retry', reason: this.retryReason ?? 'serverError', error };
    }
    const first = this.drops[0];
    if (
      first !== undefined &&
      this.drops.length === this.size &&
      this.drops.every((d) => d.reason === first.reason && d.error.message === first.error.message)
    ) {
      return { kind: 'drop', reason: first.reason, error: first.error };
    }
    return {
      kind: 'partial',
      retry: this.retries,
      drop: this.drops,
      reason: this.retryReason ?? 'serverError',
    };
  }
}

/**
 * Sends a batch one item at a time (services taking one message per request) and folds the
 * answers into one result: all ok, all the same failure, or partial. Stops at the first retry
 * so a rate-limited service is not hammered with the rest of the batch.
 */
export async function sendEach(
  batch: readonly Payload[],
  sendOne: (p: Payload) => Promise<SendResult>,
): Promise<SendResult> {
  if (batch.length === 1) return sendOne(batch[0] as Payload);
  const retry: number[] = [];
  const drop: { index: number; error: Error; reason?: FailureReason }[] = [];
  let firstRetry: Extract<SendResult, { kind: 'retry' }> | undefined;
  for (const [index, payload] of batch.entries()) {
    if (firstRetry !== undefined) {
      retry.push(index);
      continue;
    }
    const result = await sendOne(payload);
    if (result.kind === 'retry') {
      firstRetry = result;
      retry.push(index);
    } else if (result.kind === 'drop') drop.push({ index, error: result.error, reason: result.reason });
  }
  if (retry.length === 0 && drop.length === 0) return { kind: 'ok' };
  return {
    kind: 'partial',
    retry,
    drop,
    ...(firstRetry ? { reason: firstRetry.reason } : {}),
    ...(firstRetry?.retryAfterMs === undefined ? {} : { retryAfterMs: firstRetry.retryAfterMs }),
  };
}
