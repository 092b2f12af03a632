// A local stand-in for Slack on 127.0.0.1, answering as its Web API documents: POST
// /api/chat.postMessage (form-encoded, Bearer token), HTTP 200 with `{"ok":true,...}` or
// `{"ok":false,"error":"<code>"}`, 429 with Retry-After when rate limited; and incoming
// webhooks (POST /services/T/B/X with a JSON body; `ok` or a status with a plain-text error).
import { startHttpConformanceServer } from './conformance/harness.ts';
import type {
  HttpAnswer,
  HttpAnswerSpec,
  HttpConformanceServer,
  HttpRequestSeen,
} from './conformance/harness.ts';

export const SLACK_TOKEN = 'xoxb-1111-2222-conformanceSecret';
export const SLACK_HOOK_PATH = '/services/T0001/B0002/hookSecretXyz123';

/** What Slack got, decoded: the method or webhook, and the message's fields (attachments and blocks parsed). */
export function slackMessage(req: HttpRequestSeen): Record<string, unknown> {
  const path = req.url.split('?')[0] ?? '';
  if (path.startsWith('/services/'))
    return { webhook: true, ...(JSON.parse(req.body) as Record<string, unknown>) };
  const form = new URLSearchParams(req.body);
  const out: Record<string, unknown> = { method: path.replace(/^.*\/api\//, '') };
  for (const [key, value] of form)
    out[key] = key === 'attachments' || key === 'blocks' ? (JSON.parse(value) as unknown) : value;
  return out;
}

/** Slack's success answer for chat.postMessage (the channel id and ts are fixed). */
export function slackOk(req: HttpRequestSeen): HttpAnswer {
  if (req.url.startsWith('/services/'))
    return { status: 200, headers: { 'content-type': 'text/html' }, body: 'ok' };
  if (req.headers.authorization !== `Bearer ${SLACK_TOKEN}`) return slackError('invalid_auth');
  const form = new URLSearchParams(req.body);
  const text = form.get('text') ?? '';
  return {
    status: 200,
    body: JSON.stringify({
      ok: true,
      channel: 'C0123456789',
      ts: '1767225600.000100',
      message: { type: 'message', text, bot_id: 'B0123' },
    }),
  };
}

/** `{"ok":false,"error":code}` with HTTP 200, as the Web API answers nearly every error. */
export function slackError(code: string, headers: Record<string, string> = {}, status = 200): HttpAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify({ ok: false, error: code }),
  };
}

/** A rate-limited answer: HTTP 429, Retry-After, `{"ok":false,"error":"ratelimited"}`. */
export function slackRateLimited(retryAfterSeconds?: number): HttpAnswer {
  return slackError(
    'ratelimited',
    retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
    429,
  );
}

/** An incoming-webhook error: a status and a plain-text error code. */
export function hookError(status: number, code: string): HttpAnswer {
  return { status, headers: { 'content-type': 'text/html' }, body: code };
}

export function startSlackServer(answer: HttpAnswerSpec = slackOk): Promise<HttpConformanceServer> {
  return startHttpConformanceServer((req) => [slackMessage(req)], answer);
}
