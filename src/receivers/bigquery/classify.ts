// What BigQuery's answers mean for the rows of an insertAll: the HTTP status of a failed request
// (with the reason of its first error), and the per-row `insertErrors` reasons of a 200 answer,
// as Google's "Error messages" table documents them. No SDK import.
import type { FailureReason } from '../common/types.ts';

export type RowAction =
  | { readonly kind: 'retry'; readonly reason: FailureReason }
  | { readonly kind: 'drop' }
  /** `stopped`: the row was fine; another row of the request was invalid. Send it again now. */
  | { readonly kind: 'resend' };

const ROW_RETRY: Readonly<Record<string, FailureReason>> = {
  backendError: 'serverError',
  internalError: 'serverError',
  tableUnavailable: 'serverError',
  timeout: 'timeout',
  rateLimitExceeded: 'rateLimited',
  quotaExceeded: 'rateLimited',
};

const ROW_DROP = new Set([
  'invalid',
  'accessDenied',
  'notFound',
  'duplicate',
  'billingNotEnabled',
  'blocked',
]);

/** The action for one row from its insertErrors reasons (the first reason that decides wins). */
export function classifyRowErrors(reasons: readonly string[]): RowAction {
  if (reasons.some((r) => ROW_DROP.has(r))) return { kind: 'drop' };
  for (const r of reasons) {
    const retry = ROW_RETRY[r];
    if (retry !== undefined) return { kind: 'retry', reason: retry };
  }
  if (reasons.length > 0 && reasons.every((r) => r === 'stopped')) return { kind: 'resend' };
  // An undocumented reason: retry (bounded by the retry policy), the row then goes to dead letter.
  return { kind: 'retry', reason: 'serverError' };
}

export type RequestAction =
  | { readonly kind: 'retry'; readonly reason: FailureReason }
  | {
      readonly kind: 'drop';
      /** The refusal may be about one row (size, a malformed value): worth isolating it. */
      readonly perRow: boolean;
      readonly hint: string;
    };

/** The action for a failed request: HTTP status and the first error's reason. */
export function classifyRequest(status: number, reason: string | undefined): RequestAction {
  if (status === 429 || reason === 'rateLimitExceeded' || reason === 'quotaExceeded') {
    return { kind: 'retry', reason: 'rateLimited' };
  }
  if (status === 408) return { kind: 'retry', reason: 'timeout' };
  if (status >= 500) return { kind: 'retry', reason: 'serverError' };
  if (status === 401) return { kind: 'drop', perRow: false, hint: ' (check the Google credentials)' };
  if (status === 403) {
    return {
      kind: 'drop',
      perRow: false,
      hint: ' (the service account needs roles/bigquery.dataEditor on the table)',
    };
  }
  if (status === 404)
    return { kind: 'drop', perRow: false, hint: ' (create the dataset and the table first)' };
  if (status === 400 || status === 413) return { kind: 'drop', perRow: true, hint: '' };
  return { kind: 'drop', perRow: false, hint: '' };
}
