// HTTP for receivers whose service answers in the body (DingTalk and WeChat say 200 with an
// `errcode`; token endpoints return data): the same Agent, timeout and redaction as http.ts,
// but the caller reads the answer. Also: per-item sending for one-message-per-request APIs and
// limit-respecting truncation.
import { Agent, request } from 'undici';
import { classifyError, createAgent, redactSecrets } from './http.ts';
import type { TlsOptions } from './http.ts';
import type { Payload, SendResult } from './types.ts';

export interface ApiRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** What came back: a status line and (up to `MAX_ANSWER_BYTES` of) the body. */
export interface ApiAnswer {
  readonly kind: 'answer';
  readonly status: number;
  readonly retryAfter: string | undefined;
  readonly text: string;
}

/** No answer (refused, reset, timed out): already classified as a retry. */
export interface ApiFailure {
  readonly kind: 'failed';
  readonly result: SendResult;
}

const MAX_ANSWER_BYTES = 64 * 1024;
const EXCERPT_CHARS = 200;

async function readText(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_ANSWER_BYTES) break;
  }
  body.destroy();
  return Buffer.concat(chunks).toString('utf8');
}

/** Secrets as given and as they travel in a query string (a base64 signature's `+/=` are escaped). */
export function withEncoded(secrets: readonly string[]): string[] {
  const out = new Set<string>();
  for (const secret of secrets) {
    out.add(secret);
    out.add(encodeURIComponent(secret));
    out.add(new URLSearchParams({ v: secret }).toString().slice(2));
  }
  return [...out];
}

/** A short one-line excerpt of an answer body, with every secret hidden. */
export function excerpt(text: string, secrets: readonly string[]): string {
  const flat = redactSecrets(text, secrets).replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}

/** One client per receiver; `secrets` may grow (a fetched access token joins it). */
export class ApiClient {
  private readonly agent: Agent;
  readonly secrets: string[];

  constructor(
    tls: TlsOptions | undefined,
    private readonly timeoutMs: number,
    secrets: readonly string[],
  ) {
    this.agent = createAgent(tls, timeoutMs);
    this.secrets = [...secrets];
  }

  /** Performs one request; never throws. */
  async exchange(req: ApiRequest, signal: AbortSignal): Promise<ApiAnswer | ApiFailure> {
    // One controller per request, unlinked afterwards (see http.ts for why not AbortSignal.any).
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    // Real time on purpose: a hung socket is a wall-clock matter, not the router's clock.
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('timeout'));
    }, this.timeoutMs);
    timer.unref();
    try {
      if (signal.aborted) controller.abort(signal.reason);
      const res = await request(req.url, {
        dispatcher: this.agent,
        method: req.method,
        headers: req.headers ?? {},
        ...(req.body === undefined ? {} : { body: req.body }),
        signal: controller.signal,
      });
      const text = await readText(res.body);
      const retryAfter = res.headers['retry-after'];
      return {
        kind: 'answer',
        status: res.statusCode,
        retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
        text,
      };
    } catch (err) {
      return { kind: 'failed', result: classifyError(err, timedOut && !signal.aborted, this.secrets) };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
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
  const drop: { index: number; error: Error; reason?: Extract<SendResult, { kind: 'drop' }>['reason'] }[] =
    [];
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

export const TRUNCATION_MARKER = '…';

/** `text` cut to at most `maxChars` UTF-16 code units (API limits count characters), marker included. */
export function truncateChars(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let cut = Math.max(0, maxChars - TRUNCATION_MARKER.length);
  // Never split a surrogate pair.
  const code = text.charCodeAt(cut - 1);
  if (cut > 0 && code >= 0xd800 && code <= 0xdbff) cut--;
  return text.slice(0, cut) + TRUNCATION_MARKER;
}

/** `text` cut to at most `maxBytes` UTF-8 bytes, marker included, never inside a character. */
export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const budget = maxBytes - Buffer.byteLength(TRUNCATION_MARKER, 'utf8');
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > budget) break;
    bytes += size;
    end += ch.length;
  }
  return text.slice(0, end) + TRUNCATION_MARKER;
}
