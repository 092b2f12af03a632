// `render` and `run --dry-run`: the receiver's own code builds each request, and this capture
// takes the place of the network where the request would leave (the common HTTP client, the
// Slack client's fetch). It records the request with its secrets masked and answers the
// success shape every capturing receiver accepts, so the receiver goes on as if delivered.
import { isSecretKey, redactUrl, REDACTED } from '../../telemetry/redact.ts';
import { redactSecrets, withEncoded } from './secrets.ts';

export interface CapturedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The answer a capture gives: a 200 whose JSON satisfies Slack (`ok`), DingTalk/WeChat (`errcode`) and WeChat's token fetch. */
export const CAPTURE_ANSWER = {
  status: 200,
  text: JSON.stringify({ ok: true, errcode: 0, errmsg: 'ok', access_token: 'dry-run', expires_in: 7200 }),
} as const;

/** Receives each request a receiver would make, already masked. */
export type CaptureSink = (request: CapturedRequest) => void;

export class RequestCapture {
  constructor(private readonly sink: CaptureSink) {}

  /** Records one request; `secrets` are the values the receiver keeps out of its errors. */
  record(
    request: { method: string; url: string; headers?: Readonly<Record<string, string>>; body?: string },
    secrets: readonly string[],
  ): void {
    this.sink(maskRequest(request, secrets));
  }
}

/**
 * The request as it may be shown: the receiver's own secrets hidden wherever they appear, then
 * the project's redaction of URLs (userinfo, token-like query values, webhook paths) and of
 * headers whose names say they hold secrets.
 */
export function maskRequest(
  request: { method: string; url: string; headers?: Readonly<Record<string, string>>; body?: string },
  secrets: readonly string[],
): CapturedRequest {
  const hidden = withEncoded(secrets);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    headers[name.toLowerCase()] = isSecretKey(name) ? REDACTED : redactSecrets(value, hidden);
  }
  return {
    method: request.method.toUpperCase(),
    // Redaction first, so a secret that is the whole URL or path (Slack's) leaves the host visible.
    url: redactSecrets(redactUrl(request.url), hidden),
    headers,
    body: redactSecrets(request.body ?? '', hidden),
  };
}
