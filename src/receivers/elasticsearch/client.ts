// The two official clients behind one small interface: a `_bulk` of NDJSON lines and a PUT of
// the index template, each answering a status and body, or a classified failure. The clients'
// own retries are off (`maxRetries: 0`): the output's retry policy is the only one.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Client as EsClient } from '@elastic/elasticsearch';
import { Client as OsClient } from '@opensearch-project/opensearch';
import type { TlsOptions } from '../http.ts';
import { classifyStatus, redactSecrets } from '../http.ts';
import type { SendResult } from '../types.ts';
import { ReceiverSetupError, SendError } from '../types.ts';
import type { Flavour } from './index-template.ts';
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

function readPem(path: string | undefined, what: string): Buffer | undefined {
  if (path === undefined || path === '') return undefined;
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ReceiverSetupError(
      `cannot read tls.${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}

/** Node's TLS options from the exporter's `tls` block (reads the PEM files now). */
export function tlsConnectionOptions(tls: TlsOptions): ConnectionOptions {
  const ca = readPem(tls.caFile, 'caFile');
  const cert = readPem(tls.certFile, 'certFile');
  const key = readPem(tls.keyFile, 'keyFile');
  return {
    rejectUnauthorized: !tls.insecureSkipVerify,
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
    ...(tls.serverName ? { servername: tls.serverName } : {}),
  };
}

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

async function exchange(
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

function hostsOf(options: BulkOptions): string[] {
  return options.hosts.length > 0 ? [...options.hosts] : [];
}

function elasticsearch(options: BulkOptions, secrets: readonly string[], now: () => number): BulkTransport {
  const auth = options.apiKey
    ? { apiKey: options.apiKey }
    : options.username !== undefined
      ? { username: options.username, password: options.password ?? '' }
      : undefined;
  const client = new EsClient({
    ...(options.cloudID ? { cloud: { id: options.cloudID } } : { nodes: hostsOf(options) }),
    ...(auth === undefined ? {} : { auth }),
    tls: tlsConnectionOptions(options.tls),
    maxRetries: 0,
    requestTimeout: options.timeoutMs,
  });
  // Per request: given to the constructor, the client sends each configured header twice.
  const request = {
    requestTimeout: options.timeoutMs,
    maxRetries: 0,
    meta: true,
    headers: { ...options.headers },
  } as const;
  return {
    bulk: (lines, signal) =>
      exchange(() => client.bulk<string>({ operations: lines }, { ...request, signal }), secrets, now),
    putIndexTemplate: (name, body, signal) =>
      exchange(
        () =>
          client.transport.request(
            { method: 'PUT', path: `/_index_template/${encodeURIComponent(name)}`, body },
            { ...request, signal },
          ),
        secrets,
        now,
      ),
    close: () => client.close(),
  };
}

/** Runs an OpenSearch request (a promise with `abort`) under the output's signal. */
function abortable<T>(start: () => Promise<T> & { abort(): void }, signal: AbortSignal): Promise<T> {
  const pending = start();
  const onAbort = (): void => pending.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) pending.abort();
  return pending.finally(() => signal.removeEventListener('abort', onAbort));
}

function opensearch(options: BulkOptions, secrets: readonly string[], now: () => number): BulkTransport {
  const client = new OsClient({
    nodes: hostsOf(options),
    ...(options.username !== undefined
      ? { auth: { username: options.username, password: options.password ?? '' } }
      : {}),
    ssl: tlsConnectionOptions(options.tls),
    maxRetries: 0,
    requestTimeout: options.timeoutMs,
  });
  const request = { requestTimeout: options.timeoutMs, maxRetries: 0, headers: { ...options.headers } };
  return {
    // Through the transport: the typed `bulk` wants objects, and the lines are JSON already.
    bulk: (lines, signal) =>
      exchange(
        () =>
          abortable(
            () => client.transport.request({ method: 'POST', path: '/_bulk', bulkBody: lines }, request),
            signal,
          ),
        secrets,
        now,
      ),
    putIndexTemplate: (name, body, signal) =>
      exchange(
        () =>
          abortable(
            () =>
              client.transport.request(
                { method: 'PUT', path: `/_index_template/${encodeURIComponent(name)}`, body },
                request,
              ),
            signal,
          ),
        secrets,
        now,
      ),
    close: () => client.close(),
  };
}

export function createTransport(
  flavour: Flavour,
  options: BulkOptions,
  secrets: readonly string[],
  now: () => number,
): BulkTransport {
  return flavour === 'elasticsearch'
    ? elasticsearch(options, secrets, now)
    : opensearch(options, secrets, now);
}
