// The two official clients behind one small interface: a `_bulk` of NDJSON lines and a PUT of
// the index template, each answering a status and body, or a classified failure. The clients'
// own retries are off (`maxRetries: 0`): the output's retry policy is the only one.
import { classifyStatus } from '../common/http-status.ts';
import { redactSecrets } from '../common/secrets.ts';
import type { SendResult } from '../common/types.ts';
import { SendError } from '../common/types.ts';
import type { BulkOptions } from './options.ts';

export interface Answer {
  readonly kind: 'answer';
  readonly status: number;
  readonly body: unknown;
}
export type Failure = { readonly kind: 'failed'; readonly result: SendResult; readonly status?: number };

export interface BulkTransport {
  bulk(lines: string[], signal: AbortSignal): Promise<Answer | Failure>;
  putIndexTemplate(name: string, body: object, signal: AbortSignal): Promise<Answer | Failure>;
  close(): Promise<void>;
}

/** Builds the transport of one flavour (elasticsearch.ts, opensearch.ts). */
export type TransportFactory = (
  options: BulkOptions,
  secrets: readonly string[],
  now: () => number,
) => BulkTransport;

interface ClientError {
  readonly name?: string;
  readonly message?: string;
  readonly statusCode?: number;
  readonly meta?: {
    readonly statusCode?: number;
    readonly headers?: Record<string, unknown>;
    readonly body?: unknown;
  };
  readonly body?: unknown;
  readonly headers?: Record<string, unknown>;
}

function errorExcerpt(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body.slice(0, 200);
  const err = (body as { error?: { type?: string; reason?: string } | string }).error;
  if (typeof err === 'string') return err.slice(0, 200);
  if (err?.type !== undefined) return `${err.type}${err.reason ? `: ${err.reason}` : ''}`.slice(0, 300);
  return JSON.stringify(body).slice(0, 200);
}

/** A thrown client error as the output sees it: an HTTP status, a timeout, or the network. */
export function classifyClientError(err: unknown, secrets: readonly string[], nowMs: number): Failure {
  const e = (err ?? {}) as ClientError;
  const status = e.meta?.statusCode ?? e.statusCode;
  if (e.name === 'ResponseError' && typeof status === 'number') {
    const headers = e.meta?.headers ?? e.headers ?? {};
    const retryAfter = headers['retry-after'];
    const excerpt = redactSecrets(errorExcerpt(e.meta?.body ?? e.body), secrets);
    return {
      kind: 'failed',
      status,
      result: classifyStatus(status, typeof retryAfter === 'string' ? retryAfter : undefined, excerpt, nowMs),
    };
  }
  const message = redactSecrets(`${e.name ?? 'Error'}: ${e.message ?? String(err)}`, secrets);
  if (e.name === 'TimeoutError')
    return { kind: 'failed', result: { kind: 'retry', reason: 'timeout', error: new SendError(message) } };
  // The server is not the product the client expects: no retry fixes that.
  if (e.name === 'ProductNotSupportedError')
    return { kind: 'failed', result: { kind: 'drop', reason: 'clientError', error: new SendError(message) } };
  return { kind: 'failed', result: { kind: 'retry', reason: 'network', error: new SendError(message) } };
}

interface Raw {
  readonly statusCode: number | null;
  readonly body: unknown;
}

export async function exchange(
  call: () => Promise<Raw>,
  secrets: readonly string[],
  now: () => number,
): Promise<Answer | Failure> {
  try {
    const res = await call();
    return { kind: 'answer', status: res.statusCode ?? 0, body: res.body };
  } catch (err) {
    return classifyClientError(err, secrets, now());
  }
}

export function hostsOf(options: BulkOptions): string[] {
  return options.hosts.length > 0 ? [...options.hosts] : [];
}
