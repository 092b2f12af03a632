// Shared HTTP for receivers: one undici Agent per receiver (its TLS options applied), one request
// per send, and the status classification every HTTP receiver shares (DESIGN §3):
// 2xx ok; 408 / 429 / 5xx / network / timeout retry (Retry-After honoured); other 4xx dropped.
import { Agent, request } from 'undici';
import type { Clock } from '../util/clock.ts';
import { SendError } from './types.ts';
import type { SendResult } from './types.ts';
import { readPem } from './pem.ts';

export interface TlsOptions {
  readonly insecureSkipVerify: boolean;
  readonly serverName?: string;
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
}

export interface HttpRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const EXCERPT_CHARS = 200;

/** An Agent whose connections use the receiver's TLS options; reads the PEM files now. */
export function createAgent(tls: TlsOptions | undefined, timeoutMs: number): Agent {
  const ca = readPem(tls?.caFile, 'caFile');
  const cert = readPem(tls?.certFile, 'certFile');
  const key = readPem(tls?.keyFile, 'keyFile');
  return new Agent({
    connect: {
      timeout: timeoutMs,
      rejectUnauthorized: tls?.insecureSkipVerify !== true,
      ...(ca === undefined ? {} : { ca }),
      ...(cert === undefined ? {} : { cert }),
      ...(key === undefined ? {} : { key }),
      ...(tls?.serverName ? { servername: tls.serverName } : {}),
    },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
}

/** Retry-After as milliseconds from `nowMs`: delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Hides every known secret (header values, URL credentials) inside text that may reach a log. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    // Short values (`1`, `true`) are not secrets worth hiding and would mangle the text.
    if (secret.length >= 4) out = out.split(secret).join('[Redacted]');
  }
  return out;
}

/** Secrets an endpoint URL carries: its userinfo and query values. */
export function urlSecrets(url: string): string[] {
  try {
    const parsed = new URL(url);
    const out = [parsed.username, parsed.password, decodeURIComponent(parsed.password)];
    for (const value of parsed.searchParams.values()) out.push(value);
    return out.filter((s) => s !== '');
  } catch {
    return [];
  }
}

/** The classification of a status line; `excerpt` is a short, already redacted body excerpt. */
export function classifyStatus(
  status: number,
  retryAfter: string | undefined,
  excerpt: string,
  nowMs: number,
): SendResult {
  if (status >= 200 && status < 300) return { kind: 'ok' };
  const error = new SendError(`HTTP ${status}${excerpt === '' ? '' : `: ${excerpt}`}`, status);
  if (status === 429 || status === 503) {
    const retryAfterMs = parseRetryAfter(retryAfter, nowMs);
    const reason = status === 429 ? 'rateLimited' : 'serverError';
    return retryAfterMs === undefined
      ? { kind: 'retry', reason, error }
      : { kind: 'retry', reason, error, retryAfterMs };
  }
  if (status === 408) return { kind: 'retry', reason: 'timeout', error };
  if (status >= 500) return { kind: 'retry', reason: 'serverError', error };
  return { kind: 'drop', reason: 'clientError', error };
}

const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

/** A thrown request error as a retry (timeouts apart, everything else is the network), or a drop when the request was invalid. */
export function classifyError(err: unknown, timedOut: boolean, secrets: readonly string[]): SendResult {
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = e.code ?? e.cause?.code;
  if (timedOut || (code !== undefined && TIMEOUT_CODES.has(code))) {
    return {
      kind: 'retry',
      reason: 'timeout',
      error: new SendError(`request timed out${code ? ` (${code})` : ''}`),
    };
  }
  const detail = e.cause?.message ?? e.message ?? String(err);
  const message = redactSecrets(`${code ? `${code}: ` : ''}${detail}`, secrets);
  // The request itself is invalid (a templated header holding a newline or NUL from event
  // text): it can never be sent, so retrying only delays the dead letter.
  if (code === 'UND_ERR_INVALID_ARG')
    return { kind: 'drop', reason: 'renderError', error: new SendError(message) };
  return { kind: 'retry', reason: 'network', error: new SendError(message) };
}

async function readExcerpt(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= EXCERPT_CHARS * 4) break;
  }
  body.destroy();
  const text = Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim();
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

/** One HTTP client per receiver: its Agent, its total timeout and the secrets to keep out of errors. */
export class HttpClient {
  private readonly agent: Agent;

  constructor(
    tls: TlsOptions | undefined,
    private readonly timeoutMs: number,
    private readonly clock: Clock,
    private readonly secrets: readonly string[] = [],
  ) {
    this.agent = createAgent(tls, timeoutMs);
  }

  /** Sends one request and classifies the outcome; never throws. */
  async send(req: HttpRequest, signal: AbortSignal): Promise<SendResult> {
    const secrets = [...this.secrets, ...Object.values(req.headers)];
    // One controller per request, unlinked afterwards: the output's signal lives as long as
    // the output, and AbortSignal.any would hang a listener on it per request.
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    // Real time on purpose: a socket that hangs is a wall-clock matter, not the router's clock.
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('timeout'));
    }, this.timeoutMs);
    timer.unref();
    try {
      if (signal.aborted) controller.abort(signal.reason);
      return await this.exchange(req, controller.signal, secrets);
    } catch (err) {
      return classifyError(err, timedOut && !signal.aborted, secrets);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  private async exchange(
    req: HttpRequest,
    signal: AbortSignal,
    secrets: readonly string[],
  ): Promise<SendResult> {
    const res = await request(req.url, {
      dispatcher: this.agent,
      method: req.method as 'POST',
      headers: req.headers,
      body: req.body,
      signal,
    });
    if (res.statusCode >= 200 && res.statusCode < 300) {
      await res.body.dump();
      return { kind: 'ok' };
    }
    const excerpt = redactSecrets(await readExcerpt(res.body), secrets);
    const retryAfter = res.headers['retry-after'];
    return classifyStatus(
      res.statusCode,
      Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      excerpt,
      this.clock.now(),
    );
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
