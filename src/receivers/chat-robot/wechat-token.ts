// The WeChat Work access token of one app: fetched from /cgi-bin/gettoken, kept until shortly
// before `expires_in` runs out, shared by concurrent sends (one fetch at a time), dropped when
// WeChat calls it invalid or expired. The token joins the client's secrets so it never reaches
// an error, and leaves them when replaced.
import type { Clock } from '../../util/clock.ts';
import type { HttpClient } from '../common/http.ts';
import { parseJsonObject } from '../common/http.ts';
import { classifyStatus } from '../common/http-status.ts';
import { excerpt, withEncoded } from '../common/secrets.ts';
import type { SendResult } from '../common/types.ts';
import { SendError } from '../common/types.ts';
import { errcodeVerdict } from './classify.ts';
import { WECHAT_GETTOKEN_ERRCODES } from './options.ts';

export type TokenResult = { kind: 'token'; value: string } | { kind: 'failed'; result: SendResult };

// Refreshed this long before WeChat's expiry (at most a tenth of the lifetime), so a token
// is never used in its last seconds while a request is in flight.
const EARLY_REFRESH_MS = 300_000;
const KEPT_TOKENS = 4;

export class WechatTokenCache {
  private cached: { value: string; expiresAtMs: number } | undefined;
  private inflight: Promise<TokenResult> | undefined;
  private readonly history: string[] = [];
  /** How many times a token was fetched successfully (tests and debugging). */
  fetches = 0;

  constructor(
    private readonly api: HttpClient,
    private readonly apiUrl: string,
    private readonly corpId: string,
    private readonly corpSecret: string,
    private readonly clock: Clock,
  ) {}

  get(signal: AbortSignal): Promise<TokenResult> {
    const cached = this.cached;
    if (cached !== undefined && this.clock.now() < cached.expiresAtMs)
      return Promise.resolve({ kind: 'token', value: cached.value });
    this.inflight ??= this.fetch(signal).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** Forgets `value` if it is still the cached token (another send may have replaced it already). */
  invalidate(value: string): void {
    if (this.cached?.value === value) this.cached = undefined;
  }

  private async fetch(signal: AbortSignal): Promise<TokenResult> {
    const query = new URLSearchParams({ corpid: this.corpId, corpsecret: this.corpSecret });
    const url = `${this.apiUrl.replace(/\/+$/, '')}/cgi-bin/gettoken?${query.toString()}`;
    const answer = await this.api.exchange({ url, method: 'GET' }, signal);
    if (answer.kind === 'failed') return answer;
    const now = this.clock.now();
    const body = excerpt(answer.text, this.api.secrets);
    if (answer.status < 200 || answer.status >= 300)
      return { kind: 'failed', result: classifyStatus(answer.status, answer.retryAfter, body, now) };
    const parsed = parseJsonObject(answer.text);
    const token = parsed?.access_token;
    const expiresIn = parsed?.expires_in;
    if (parsed?.errcode === 0 && typeof token === 'string' && token !== '' && typeof expiresIn === 'number') {
      this.remember(token, now + expiresIn * 1000 - Math.min(EARLY_REFRESH_MS, (expiresIn * 1000) / 10));
      this.fetches++;
      return { kind: 'token', value: token };
    }
    return { kind: 'failed', result: this.failure(parsed, body, answer.status) };
  }

  private remember(value: string, expiresAtMs: number): void {
    // The last few tokens stay secrets: a send still in flight may carry the previous one.
    this.history.push(value);
    for (const form of withEncoded([value]))
      if (!this.api.secrets.includes(form)) this.api.secrets.push(form);
    const retired = this.history.length > KEPT_TOKENS ? this.history.shift() : undefined;
    if (retired !== undefined && !this.history.includes(retired)) {
      for (const form of withEncoded([retired])) {
        const i = this.api.secrets.indexOf(form);
        if (i >= 0) this.api.secrets.splice(i, 1);
      }
    }
    this.cached = { value, expiresAtMs };
  }

  private failure(parsed: Record<string, unknown> | undefined, body: string, status: number): SendResult {
    const verdict = errcodeVerdict(parsed, body, status, WECHAT_GETTOKEN_ERRCODES, this.api.secrets);
    if (verdict.kind !== 'ok' && verdict.kind !== 'own') return verdict;
    // errcode 0 without a token: an answer that cannot be used.
    const errmsg = typeof parsed?.errmsg === 'string' ? excerpt(parsed.errmsg, this.api.secrets) : '';
    const error = new SendError(`WeChat gettoken errcode 0${errmsg === '' ? '' : `: ${errmsg}`}`, status);
    return { kind: 'drop', reason: 'clientError', error };
  }
}
