// When to try a failed send again: exponential backoff with full jitter (a random delay in
// [0, min(maxDelay, initial·2^(n-1)))), never sooner than the receiver's Retry-After, and never
// past retry.maxElapsedMs since the oldest event of the batch was queued (nor retry.maxAttempts
// attempts, when set).
// Time, not attempts, is the default bound: an outage lasts minutes whatever the backoff.
import type { RetryOptions } from './policy.ts';

export type RetryDecision =
  | { readonly kind: 'wait'; readonly delayMs: number }
  | { readonly kind: 'giveUp'; readonly why: 'maxAttempts' | 'maxElapsedMs' };

/** The jittered backoff before retry number `retry` (1 = the first retry). */
export function backoffMs(retry: number, policy: RetryOptions, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(retry - 1, 52));
  return Math.floor(random() * ceiling);
}

export interface RetryState {
  /** Attempts made so far (≥ 1). */
  readonly attempts: number;
  /** Since the oldest item of the batch was queued. */
  readonly elapsedMs: number;
  readonly retryAfterMs?: number;
}

export function decideRetry(state: RetryState, policy: RetryOptions, random: () => number): RetryDecision {
  if (policy.maxAttempts !== undefined && state.attempts >= policy.maxAttempts)
    return { kind: 'giveUp', why: 'maxAttempts' };
  const delayMs = Math.max(state.retryAfterMs ?? 0, backoffMs(state.attempts, policy, random));
  // Waiting past the budget only to give up then would hold the batch for nothing.
  if (state.elapsedMs + delayMs > policy.maxElapsedMs) return { kind: 'giveUp', why: 'maxElapsedMs' };
  return { kind: 'wait', delayMs };
}
