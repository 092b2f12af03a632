// AWS receivers — the answer classifier: a failed call (from the SDK's error), and each record
// a record stream (kinesis, firehose) reported as failed (from its documented error code).
import { SendError } from '../common/types.ts';
import type { FailureReason, SendResult } from '../common/types.ts';
import type { AwsRedactor } from './client.ts';

interface AwsErrorLike {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $fault?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly cause?: { readonly code?: string; readonly message?: string };
}

const THROTTLING: ReadonlySet<string> = new Set([
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'ThrottlingException',
  'Throttling',
  'KMSThrottlingException',
  'ServiceUnavailableException',
  'TooManyRequestsException',
  // SQS and SNS names for the same.
  'RequestThrottled',
  'KmsThrottled',
  'Throttled',
  'ThrottledException',
]);
// 4xx answers that heal by themselves: a token about to be refreshed, a stream mid-update.
const TRANSIENT_CLIENT: ReadonlySet<string> = new Set([
  'ExpiredTokenException',
  'RequestExpired',
  'ResourceInUseException',
]);
const LOCAL_FAILURES: ReadonlySet<string> = new Set([
  'CredentialsProviderError',
  'ProviderError',
  'TokenProviderError',
]);
const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'TimeoutError',
  'RequestTimeout',
  'ETIMEDOUT',
  'ECONNABORTED',
]);

function retry(reason: FailureReason, error: Error): SendResult {
  return { kind: 'retry', reason, error };
}

/** A thrown SDK call as the output's action; `what` names the call (`Kinesis PutRecords`). */
export function classifyAwsError(err: unknown, what: string, redactor: AwsRedactor): SendResult {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as AwsErrorLike;
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const detail = redactor.redact(`${e.message ?? ''}`.replace(/\s+/g, ' ').trim()).slice(0, 300);
  const error = new SendError(
    `${what} failed: ${name}${status === undefined ? '' : ` (HTTP ${status})`}${detail === '' ? '' : `: ${detail}`}`,
    status,
  );
  if (name === 'AbortError') return retry('shutdown', error);
  if (THROTTLING.has(name) || status === 429) return retry('rateLimited', error);
  if (TIMEOUT_CODES.has(name) || TIMEOUT_CODES.has(e.code ?? '') || TIMEOUT_CODES.has(e.cause?.code ?? ''))
    return retry('timeout', error);
  if (status === undefined) {
    // No answer: a socket error carries a system code; the rest failed here (no region, no credentials).
    const local = LOCAL_FAILURES.has(name) || (e.code === undefined && e.cause?.code === undefined);
    return retry(local ? 'internal' : 'network', error);
  }
  if (status >= 500 || e.$fault === 'server' || TRANSIENT_CLIENT.has(name))
    return retry('serverError', error);
  return { kind: 'drop', reason: 'clientError', error };
}

/** What to do with one record a service reported as failed, from its documented error code. */
export function recordAction(errorCode: string): { retry: boolean; reason: FailureReason } {
  if (THROTTLING.has(errorCode) || /throttl|throughputexceeded/i.test(errorCode))
    return { retry: true, reason: 'rateLimited' };
  // A key the stream cannot use will not work on the next attempt either.
  if (/^KMS(AccessDenied|Disabled|InvalidState|NotFound|OptInRequired)/.test(errorCode))
    return { retry: false, reason: 'clientError' };
  // InternalFailure, and codes not documented yet: another attempt is the safe side.
  return { retry: true, reason: 'serverError' };
}
