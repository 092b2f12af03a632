// Slack's answers as SendResults. The Web API answers HTTP 200 with `{"ok":false,"error":...}`
// for almost everything, 429 + Retry-After when rate limited; incoming webhooks answer with a
// status and a plain-text error (`invalid_payload`, `channel_not_found`, ...).
import {
  ErrorCode,
  type WebAPIHTTPError,
  type WebAPIPlatformError,
  type WebAPIRateLimitedError,
  type WebAPIRequestError,
} from '@slack/web-api';
import { classifyError, classifyStatus } from '../common/http-status.ts';
import { redactSecrets } from '../common/secrets.ts';
import type { SendResult } from '../common/types.ts';
import { SendError } from '../common/types.ts';

/** `error` codes that mean the token itself is unusable: every message will fail the same way. */
export const SLACK_AUTH_ERRORS: ReadonlySet<string> = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'not_allowed_token_type',
  'org_login_required',
  'ekm_access_denied',
  'team_access_not_granted',
  'two_factor_setup_required',
  'access_denied',
  'invalid_token',
]);

/** `error` codes Slack documents as transient. */
const TRANSIENT_ERRORS: ReadonlySet<string> = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

const EXCERPT_CHARS = 200;

function excerpt(body: unknown): string {
  const text = (typeof body === 'string' ? body : JSON.stringify(body ?? '')).replace(/\s+/g, ' ').trim();
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

/** An `ok:false` answer by its `error` code. */
export function classifyPlatformError(code: string, retryAfterSeconds: number | undefined): SendResult {
  const error = new SendError(`Slack chat.postMessage: ${code}`);
  if (code === 'ratelimited' || code === 'rate_limited') {
    return retryAfterSeconds === undefined
      ? { kind: 'retry', reason: 'rateLimited', error }
      : { kind: 'retry', reason: 'rateLimited', error, retryAfterMs: retryAfterSeconds * 1000 };
  }
  if (TRANSIENT_ERRORS.has(code)) return { kind: 'retry', reason: 'serverError', error };
  return { kind: 'drop', reason: 'clientError', error };
}

type Coded = Error & { code?: unknown };

/** Whatever WebClient threw, classified; `secrets` are scrubbed from every message. */
export function classifyWebClientError(
  err: unknown,
  timedOut: boolean,
  nowMs: number,
  secrets: readonly string[],
): SendResult {
  const e = err as Coded;
  switch (e.code) {
    case ErrorCode.PlatformError: {
      const data = (err as WebAPIPlatformError).data;
      return classifyPlatformError(
        redactSecrets(String(data.error), secrets),
        data.response_metadata?.retryAfter,
      );
    }
    case ErrorCode.RateLimitedError: {
      const seconds = (err as WebAPIRateLimitedError).retryAfter;
      return {
        kind: 'retry',
        reason: 'rateLimited',
        error: new SendError('Slack: HTTP 429 rate limited', 429),
        retryAfterMs: seconds * 1000,
      };
    }
    case ErrorCode.HTTPError: {
      const h = err as WebAPIHTTPError;
      const result = classifyStatus(
        h.statusCode,
        h.headers['retry-after'],
        redactSecrets(excerpt(h.body), secrets),
        nowMs,
      );
      return prefixed(result);
    }
    case ErrorCode.RequestError:
      return prefixed(classifyError((err as WebAPIRequestError).original, timedOut, secrets));
    default:
      // A 429 without a readable Retry-After surfaces as a plain Error from the client.
      if (/rate limit|Retry header/i.test(e.message)) {
        return {
          kind: 'retry',
          reason: 'rateLimited',
          error: new SendError('Slack: HTTP 429 rate limited (no Retry-After)', 429),
        };
      }
      return prefixed(classifyError(err, timedOut, secrets));
  }
}

function prefixed(result: SendResult): SendResult {
  if (result.kind !== 'retry' && result.kind !== 'drop') return result;
  const old = result.error as SendError;
  return { ...result, error: new SendError(`Slack: ${old.message}`, old.status) };
}
