// The answer classifier every HTTP receiver shares (docs/receivers/README.md "Outcomes"):
// 2xx ok; 408 / 429 / 5xx / network / timeout retry (Retry-After honoured); other 4xx dropped.
import { redactSecrets } from './secrets.ts';
import { SendError } from './types.ts';
import type { SendResult } from './types.ts';

/** Retry-After as milliseconds from `nowMs`: delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
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
