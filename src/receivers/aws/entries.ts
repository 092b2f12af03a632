// Per-entry answers of the AWS batch APIs (EventBridge PutEvents, SQS SendMessageBatch, SNS
// PublishBatch): a 200 answer can still refuse some entries; each refused entry is retried alone
// or dead-lettered with its code, the others are done.
import type { SendOutcome } from '../common/outcome.ts';
import type { FailureReason, Payload } from '../common/types.ts';
import { SendError } from '../common/types.ts';
import type { AwsRedactor } from './client.ts';

export interface EntryFailure {
  readonly code: string;
  readonly message?: string | undefined;
  /** SQS and SNS: whether the request's content caused it (the same entry would fail again). */
  readonly senderFault?: boolean | undefined;
}

export interface EntryAction {
  readonly retry: boolean;
  readonly reason: FailureReason;
}

const THROTTLED = /throttl|toomanyrequests|limitexceeded|ratelimit/i;

/** SQS and SNS result entries: a sender fault is final unless it is throttling; the rest heals. */
export function senderFaultAction(failure: EntryFailure): EntryAction {
  if (THROTTLED.test(failure.code)) return { retry: true, reason: 'rateLimited' };
  if (failure.senderFault === true) return { retry: false, reason: 'clientError' };
  return { retry: true, reason: 'serverError' };
}

/** What one `settleEntries` call saw: refused entries by code, for one debug line. */
export type EntryCodes = Record<string, number>;

/**
 * Records the fate of each entry of one successful call: `failureOf(i)` is entry i's failure
 * (undefined = accepted). Returns the codes seen, empty when every entry was accepted.
 */
export function settleEntries(
  indexes: readonly number[],
  failureOf: (position: number) => EntryFailure | undefined,
  action: (failure: EntryFailure) => EntryAction,
  outcome: SendOutcome,
  describe: { readonly what: string; readonly redactor: AwsRedactor },
): EntryCodes {
  const codes: EntryCodes = {};
  indexes.forEach((index, position) => {
    const failure = failureOf(position);
    if (failure === undefined) return;
    codes[failure.code] = (codes[failure.code] ?? 0) + 1;
    const { retry, reason } = action(failure);
    if (retry) outcome.retry([index], reason, failure.code);
    else {
      const text = `${describe.what} entry failed: ${failure.code}: ${failure.message ?? ''}`;
      outcome.drop(index, reason, new SendError(describe.redactor.redact(text.trim()).slice(0, 500)));
    }
  });
  return codes;
}

/** The event uid inside an occurrence id `<uid>-<occurrence>`. */
export function uidOf(payload: Payload): string {
  return payload.id.replace(/-\d+$/, '');
}

/** A templated option's rendered value, or `fallback` when unset or rendered empty; cut to `maxChars`. */
export function renderedOr(payload: Payload, key: string, fallback: string, maxChars: number): string {
  const rendered = payload.templated[key] ?? '';
  const value = rendered === '' ? fallback : rendered;
  const chars = [...value];
  return chars.length > maxChars ? chars.slice(0, maxChars).join('') : value;
}

/** The Successful / Failed lists of an SQS SendMessageBatch or SNS PublishBatch answer. */
export interface BatchResultLists {
  readonly Successful?: readonly { readonly Id?: string | undefined }[] | undefined;
  readonly Failed?:
    | readonly {
        readonly Id?: string | undefined;
        readonly Code?: string | undefined;
        readonly Message?: string | undefined;
        readonly SenderFault?: boolean | undefined;
      }[]
    | undefined;
}

/**
 * Settles the entries of a call answered with Successful / Failed lists, each entry's Id being
 * its position in the call. An entry in neither list is not known to be done, so it is sent
 * again. Returns the refused codes, or undefined when every entry succeeded.
 */
export function settleBatchResult(
  answer: BatchResultLists,
  indexes: readonly number[],
  action: (failure: EntryFailure) => EntryAction,
  outcome: SendOutcome,
  describe: { readonly what: string; readonly redactor: AwsRedactor },
): EntryCodes | undefined {
  const done = new Set((answer.Successful ?? []).map((s) => s.Id));
  if (done.size === indexes.length) return undefined;
  const failed = new Map((answer.Failed ?? []).map((f) => [f.Id, f]));
  const failureOf = (position: number): EntryFailure | undefined => {
    const f = failed.get(String(position));
    if (f !== undefined)
      return { code: f.Code ?? 'InternalError', message: f.Message, senderFault: f.SenderFault };
    return done.has(String(position))
      ? undefined
      : { code: 'InternalError', message: 'no result for the message' };
  };
  return settleEntries(indexes, failureOf, action, outcome, describe);
}
