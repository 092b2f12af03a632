// The one HTTP client of the receivers (undici): one Agent per receiver with its TLS options,
// a total timeout per request, and secrets kept out of every error. `send` classifies the
// answer by its status (http-status.ts); `exchange` hands the answer to receivers whose
// service answers in the body (DingTalk and WeChat say 200 with an `errcode`).
import { Agent, request } from 'undici';
import type { Clock } from '../../util/clock.ts';
import { CAPTURE_ANSWER } from './capture.ts';
import type { RequestCapture } from './capture.ts';
import { classifyError, classifyStatus } from './http-status.ts';
import { excerpt, urlSecrets } from './secrets.ts';
import { tlsConnectionOptions } from './tls.ts';
import type { TlsOptions } from './tls.ts';
import type { SendResult } from './types.ts';

export interface HttpRequest {
  readonly url: string;
  readonly method: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** What came back: a status line and (up to the asked number of bytes of) the body. */
export interface HttpAnswer {
  readonly kind: 'answer';
  readonly status: number;
  readonly retryAfter: string | undefined;
  readonly text: string;
}

/** No answer (refused, reset, timed out): already classified. */
export interface HttpFailure {
  readonly kind: 'failed';
  readonly result: SendResult;
}

export interface HttpClientOptions {
  readonly tls?: TlsOptions | undefined;
  readonly timeoutMs: number;
  readonly clock: Clock;
  /** Values to hide from errors; the array may grow (a fetched access token joins it). */
  readonly secrets?: readonly string[];
  /** `render` and `--dry-run`: requests are recorded here instead of sent (capture.ts). */
  readonly capture?: RequestCapture | undefined;
}

/** A service's answer body is read this far at most. */
const MAX_ANSWER_BYTES = 64 * 1024;
/** Enough of an error body for its excerpt. */
const EXCERPT_BYTES = 800;

async function readText(
  body: AsyncIterable<Buffer> & { destroy(): void },
  maxBytes: number,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= maxBytes) break;
  }
  body.destroy();
  return Buffer.concat(chunks).toString('utf8');
}

/** One HTTP client per receiver: its Agent, its total timeout and the secrets to keep out of errors. */
export class HttpClient {
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly clock: Clock;
  private readonly capture: RequestCapture | undefined;
  readonly secrets: string[];

  /** Reads the TLS PEM files now (throws ReceiverSetupError when one is unreadable). */
  constructor(options: HttpClientOptions) {
    this.timeoutMs = options.timeoutMs;
    this.clock = options.clock;
    this.secrets = [...(options.secrets ?? [])];
    this.capture = options.capture;
    this.agent = new Agent({
      // A capture never connects, so `render` works on a machine without the TLS files.
      connect: {
        timeout: options.timeoutMs,
        ...(options.capture === undefined ? tlsConnectionOptions(options.tls) : {}),
      },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  /** Sends one request and classifies the answer by its status; never throws. */
  async send(req: HttpRequest, signal: AbortSignal): Promise<SendResult> {
    // Header values join the secrets of an error excerpt; a capture masks headers by name instead.
    const secrets =
      this.capture === undefined ? [...this.secrets, ...Object.values(req.headers ?? {})] : this.secrets;
    const answer = await this.exchange(req, signal, { okBody: false, maxBytes: EXCERPT_BYTES, secrets });
    if (answer.kind === 'failed') return answer.result;
    const text = excerpt(answer.text, secrets);
    return classifyStatus(answer.status, answer.retryAfter, text, this.clock.now());
  }

  /**
   * Performs one request and returns the answer for the caller to read; never throws.
   * `okBody: false` skips reading a 2xx body; `secrets` defaults to the client's.
   */
  async exchange(
    req: HttpRequest,
    signal: AbortSignal,
    read: { okBody?: boolean; maxBytes?: number; secrets?: readonly string[] } = {},
  ): Promise<HttpAnswer | HttpFailure> {
    if (this.capture !== undefined) {
      this.capture.record(req, read.secrets ?? this.secrets);
      return { kind: 'answer', retryAfter: undefined, ...CAPTURE_ANSWER };
    }
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
      const res = await request(req.url, {
        dispatcher: this.agent,
        method: req.method as 'POST',
        headers: req.headers ?? {},
        ...(req.body === undefined ? {} : { body: req.body }),
        signal: controller.signal,
      });
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      let text = '';
      if (ok && read.okBody === false) await res.body.dump();
      else text = await readText(res.body, read.maxBytes ?? MAX_ANSWER_BYTES);
      const retryAfter = res.headers['retry-after'];
      return {
        kind: 'answer',
        status: res.statusCode,
        retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
        text,
      };
    } catch (err) {
      const secrets = read.secrets ?? this.secrets;
      return { kind: 'failed', result: classifyError(err, timedOut && !signal.aborted, secrets) };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** The client of one configured endpoint (webhook, teams): its TLS and timeout, the URL's credentials kept out of errors. */
export function endpointClient(
  options: { readonly endpoint: string; readonly tls?: TlsOptions | undefined; readonly timeoutMs: number },
  ctx: { readonly clock: Clock; readonly capture?: RequestCapture | undefined },
): HttpClient {
  return new HttpClient({
    tls: options.tls,
    timeoutMs: options.timeoutMs,
    clock: ctx.clock,
    secrets: urlSecrets(options.endpoint),
    capture: ctx.capture,
  });
}

/** A JSON object body, or undefined when the text is not one. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
