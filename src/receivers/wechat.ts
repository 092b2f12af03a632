// wechat: WeChat Work (企业微信), as kube-eventer's WeChat sink. App-message mode (corpId,
// corpSecret, agentId: an access token from /cgi-bin/gettoken, cached until it expires and
// fetched again once when WeChat calls it expired or invalid) or group-robot mode (webhookUrl
// with its key). WeChat answers HTTP 200 with `errcode`: 0 delivered, 45009 / 45033 / -1
// retried, anything else dead-lettered.
import { z } from 'zod';
import { goString } from '../config/zod-helpers.ts';
import { ApiClient, excerpt, parseJsonObject, sendEach, truncateBytes, withEncoded } from './api-client.ts';
import type { ApiAnswer } from './api-client.ts';
import { chatContent, chatText } from './chat-text.ts';
import { typeOptions } from './common-options.ts';
import { classifyStatus, urlSecrets } from './http.ts';
import type { BuildContext, Payload, Receiver, ReceiverSpec, SendResult } from './types.ts';
import { SendError } from './types.ts';
import { tlsSchema } from './webhook.ts';
import { WechatTokenCache } from './wechat-token.ts';

export const WECHAT_MSG_TYPES = ['text', 'markdown'] as const;
export const WECHAT_API_URL = 'https://qyapi.weixin.qq.com';
/** errcodes that mean "fetch a new access token": 40014 invalid, 42001 expired. */
export const WECHAT_TOKEN_ERRCODES: ReadonlySet<number> = new Set([40014, 42001]);
/** 45009 API frequency limit, 45033 too many concurrent calls, -1 busy. */
const RETRY_ERRCODES: ReadonlyMap<number, 'rateLimited' | 'serverError'> = new Map([
  [45009, 'rateLimited'],
  [45033, 'rateLimited'],
  [-1, 'serverError'],
]);
// WeChat caps text at 2,048 bytes and markdown at 4,096 (robots reject longer ones).
const MAX_BYTES = { text: 2048, markdown: 4096 } as const;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

const hasKey = (value: string): boolean =>
  isHttpUrl(value) && (new URL(value).searchParams.get('key') ?? '') !== '';

export const wechatSchema = typeOptions({
  corpId: goString.optional(),
  corpSecret: goString.optional(),
  agentId: z
    .preprocess((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v), z.int().min(0))
    .optional(),
  toUser: goString.default('@all'),
  toParty: goString.optional(),
  toTag: goString.optional(),
  apiUrl: z
    .string()
    .refine(isHttpUrl, { message: 'must be an http:// or https:// URL' })
    .default(WECHAT_API_URL),
  // The message never repeats the value: the URL carries the robot's key.
  webhookUrl: z
    .string()
    .refine(hasKey, { message: 'must be an http(s) URL with a key parameter' })
    .optional(),
  msgType: z.enum(WECHAT_MSG_TYPES).default('text'),
  labels: z.array(goString).default([]),
  /** Robot mode: user ids to mention (`@all` for everyone) and mobiles to mention. */
  mentionedList: z.array(goString).default([]),
  mentionedMobileList: z.array(goString).default([]),
  tls: tlsSchema,
  timeoutMs: z.int().min(1).default(10_000),
}).superRefine((o, ctx) => {
  const app = o.corpId !== undefined || o.corpSecret !== undefined || o.agentId !== undefined;
  if (o.webhookUrl !== undefined && app) {
    ctx.addIssue({
      code: 'custom',
      path: ['webhookUrl'],
      message: 'use either webhookUrl (group robot) or corpId/corpSecret/agentId (app), not both',
    });
    return;
  }
  if (o.webhookUrl !== undefined) return;
  for (const key of ['corpId', 'corpSecret', 'agentId'] as const) {
    if (o[key] === undefined || o[key] === '')
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: 'is required (or set webhookUrl for a group robot)',
      });
  }
});
export type WechatOptions = z.output<typeof wechatSchema>;

/** The message content for one payload: kube-eventer's text, a layout's text, or a whole message. */
function content(
  payload: Payload,
  o: WechatOptions,
): { text: string } | { message: Record<string, unknown> } {
  const c = chatContent(payload.body);
  if (c.kind === 'message') return { message: c.message };
  const text = chatText(
    c,
    o.labels,
    'wechat',
    o.msgType === 'markdown' ? { title: 'Kubernetes Event' } : undefined,
  );
  return { text: truncateBytes(text, MAX_BYTES[o.msgType]) };
}

/** The app-message body (`/cgi-bin/message/send`). */
export function appMessage(payload: Payload, o: WechatOptions): Record<string, unknown> {
  const c = content(payload, o);
  const target = {
    touser: o.toUser,
    toparty: o.toParty ?? '',
    totag: o.toTag ?? '',
    agentid: o.agentId ?? 0,
  };
  if ('message' in c) return { ...target, ...c.message };
  const body = o.msgType === 'markdown' ? { markdown: { content: c.text } } : { text: { content: c.text } };
  return { ...target, msgtype: o.msgType, ...body, safe: 0 };
}

/** The group-robot body (`/cgi-bin/webhook/send?key=…`). */
export function robotMessage(payload: Payload, o: WechatOptions): Record<string, unknown> {
  const c = content(payload, o);
  if ('message' in c) return c.message;
  if (o.msgType === 'markdown') return { msgtype: 'markdown', markdown: { content: c.text } };
  const mentions = {
    ...(o.mentionedList.length > 0 ? { mentioned_list: o.mentionedList } : {}),
    ...(o.mentionedMobileList.length > 0 ? { mentioned_mobile_list: o.mentionedMobileList } : {}),
  };
  return { msgtype: 'text', text: { content: c.text, ...mentions } };
}

export type WechatVerdict = SendResult | { kind: 'tokenExpired'; error: SendError };

/** WeChat's answer → action: HTTP status first, then the errcode in a 2xx body. */
export function classifyWechat(answer: ApiAnswer, secrets: readonly string[], nowMs: number): WechatVerdict {
  const body = excerpt(answer.text, secrets);
  if (answer.status < 200 || answer.status >= 300)
    return classifyStatus(answer.status, answer.retryAfter, body, nowMs);
  const parsed = parseJsonObject(answer.text);
  const errcode = parsed?.errcode;
  if (typeof errcode !== 'number') {
    return {
      kind: 'retry',
      reason: 'serverError',
      error: new SendError(`unexpected WeChat answer: ${body}`, answer.status),
    };
  }
  if (errcode === 0) return { kind: 'ok' };
  const errmsg = typeof parsed?.errmsg === 'string' ? excerpt(parsed.errmsg, secrets) : '';
  const error = new SendError(
    `WeChat errcode ${errcode}${errmsg === '' ? '' : `: ${errmsg}`}`,
    answer.status,
  );
  if (WECHAT_TOKEN_ERRCODES.has(errcode)) return { kind: 'tokenExpired', error };
  const retry = RETRY_ERRCODES.get(errcode);
  if (retry !== undefined) return { kind: 'retry', reason: retry, error };
  return { kind: 'drop', reason: 'clientError', error };
}

class WechatReceiver implements Receiver {
  private readonly api: ApiClient;
  private readonly tokens: WechatTokenCache | undefined;

  constructor(
    readonly name: string,
    private readonly o: WechatOptions,
    private readonly ctx: BuildContext,
  ) {
    const secrets = [
      ...(o.webhookUrl ? urlSecrets(o.webhookUrl) : []),
      ...(o.corpSecret ? [o.corpSecret] : []),
    ];
    this.api = new ApiClient(o.tls, o.timeoutMs, withEncoded(secrets));
    this.tokens =
      o.webhookUrl === undefined
        ? new WechatTokenCache(this.api, o.apiUrl, o.corpId ?? '', o.corpSecret ?? '', ctx.clock)
        : undefined;
  }

  send(batch: readonly Payload[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, (payload) =>
      this.tokens ? this.sendApp(this.tokens, payload, signal) : this.sendRobot(payload, signal),
    );
  }

  private async post(
    url: string,
    message: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<WechatVerdict> {
    const body = JSON.stringify(message);
    const answer = await this.api.exchange(
      { url, method: 'POST', headers: { 'content-type': 'application/json' }, body },
      signal,
    );
    if (answer.kind === 'failed') return answer.result;
    return classifyWechat(answer, this.api.secrets, this.ctx.clock.now());
  }

  private async sendRobot(payload: Payload, signal: AbortSignal): Promise<SendResult> {
    const verdict = await this.post(this.o.webhookUrl ?? '', robotMessage(payload, this.o), signal);
    // A robot has no token: an "invalid token" errcode means a wrong key, for good.
    return verdict.kind === 'tokenExpired'
      ? { kind: 'drop', reason: 'clientError', error: verdict.error }
      : verdict;
  }

  private async sendApp(
    tokens: WechatTokenCache,
    payload: Payload,
    signal: AbortSignal,
  ): Promise<SendResult> {
    const message = appMessage(payload, this.o);
    for (let attempt = 0; ; attempt++) {
      const token = await tokens.get(signal);
      if (token.kind !== 'token') return token.result;
      const url = `${this.o.apiUrl.replace(/\/+$/, '')}/cgi-bin/message/send?access_token=${encodeURIComponent(token.value)}`;
      const verdict = await this.post(url, message, signal);
      if (verdict.kind !== 'tokenExpired') return verdict;
      tokens.invalidate(token.value);
      // Once: a token refused twice in a row is retried later rather than spun on.
      if (attempt === 1) return { kind: 'retry', reason: 'clientError', error: verdict.error };
    }
  }

  close(): Promise<void> {
    return this.api.close();
  }
}

export const wechatSpec: ReceiverSpec<WechatOptions> = {
  type: 'wechat',
  schema: wechatSchema,
  // One message per event, as kube-eventer sends.
  batchDefaults: { maxEvents: 1, maxBytes: 1_048_576, flushIntervalMs: 0 },
  limits: { maxEvents: 1 },
  create: (name, opts, ctx) => new WechatReceiver(name, opts, ctx),
};
