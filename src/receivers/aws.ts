// Shared by the AWS receivers: the SDK client configuration (default credential chain, SDK
// retries off so the output's policy is the only one, HTTP/1.1 handler), the classification of
// a failed call, per-record error codes, and splitting a batch into requests within the caps.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { redactSecrets, urlSecrets } from './http.ts';
import { SendError } from './types.ts';
import type { SendOutcome } from './outcome.ts';
import type { FailureReason, SendResult } from './types.ts';
import type { AwsOptions } from './aws-options.ts';

export { awsOptionShape } from './aws-options.ts';
export type { AwsOptions } from './aws-options.ts';

/** What the SDK client constructors share; credentials come from the default provider chain. */
export function awsClientConfig(opts: AwsOptions) {
  // The Kinesis client defaults to an HTTP/2 handler (for SubscribeToShard), which fails
  // against local endpoints; PutRecords and PutRecordBatch are plain HTTP/1.1 calls.
  const requestHandler = new NodeHttpHandler({
    connectionTimeout: opts.timeoutMs,
    requestTimeout: opts.timeoutMs,
    throwOnRequestTimeout: true,
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 50 }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 50 }),
  });
  return {
    maxAttempts: 1,
    requestHandler,
    ...(opts.region === undefined ? {} : { region: opts.region }),
    ...(opts.endpoint === undefined ? {} : { endpoint: opts.endpoint }),
  };
}

// Long-term and temporary access key ids: never worth showing, whatever the service echoes.
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/g;
const SIGNATURE = /\b(Signature|Credential|X-Amz-Security-Token)=[^,\s&]+/gi;

/** Keeps credentials out of a message: known values, key ids and signature fragments. */
export class AwsRedactor {
  private readonly secrets: string[];

  constructor(endpoint: string | undefined) {
    this.secrets = endpoint === undefined ? [] : urlSecrets(endpoint);
  }

  /** Remembers the resolved credentials so an echo of them is hidden too. */
  learn(
    credentials: { accessKeyId?: string; secretAccessKey?: string; sessionToken?: string } | undefined,
  ): void {
    for (const value of [credentials?.accessKeyId, credentials?.secretAccessKey, credentials?.sessionToken]) {
      if (value !== undefined && value !== '' && !this.secrets.includes(value)) this.secrets.push(value);
    }
  }

  redact(text: string): string {
    return redactSecrets(text, this.secrets)
      .replace(ACCESS_KEY_ID, '[Redacted]')
      .replace(SIGNATURE, '$1=[Redacted]');
  }
}

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

/**
 * Splits records (by their byte sizes) into consecutive requests of at most `maxRecords` and
 * `maxBytes`. Every size must already be within `maxBytes`.
 */
export function chunkRecords(sizes: readonly number[], maxRecords: number, maxBytes: number): number[][] {
  const chunks: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  sizes.forEach((size, index) => {
    if (current.length > 0 && (current.length >= maxRecords || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(index);
    bytes += size;
  });
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Sends `records` in requests within the caps through `put` (which reports per-record failures
 * into `outcome` and returns a failed call). After a failed call the rest is not sent: the
 * service or the network that refused it would fare no better a moment later.
 */
export async function putInChunks<R extends { readonly index: number; readonly bytes: number }>(
  records: readonly R[],
  caps: { readonly maxRecords: number; readonly maxRequestBytes: number },
  outcome: SendOutcome,
  put: (chunk: readonly R[]) => Promise<SendResult | undefined>,
): Promise<void> {
  const chunks = chunkRecords(
    records.map((r) => r.bytes),
    caps.maxRecords,
    caps.maxRequestBytes,
  );
  for (const [i, chunk] of chunks.entries()) {
    const failure = await put(chunk.map((j) => records[j] as R));
    if (failure === undefined) continue;
    outcome.request(
      chunks
        .slice(i)
        .flat()
        .map((j) => (records[j] as R).index),
      failure,
    );
    return;
  }
}

/** Resolves the client's credentials after a failure so an echo of them can be hidden. */
export async function learnCredentials(
  credentials: () => Promise<{ accessKeyId?: string; secretAccessKey?: string; sessionToken?: string }>,
  redactor: AwsRedactor,
): Promise<void> {
  try {
    redactor.learn(await credentials());
  } catch {
    // No credentials at all: nothing to hide.
  }
}
