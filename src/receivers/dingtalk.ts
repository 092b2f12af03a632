// dingtalk: a DingTalk group robot, as kube-eventer's DingTalk sink (webhook URL with the
// access_token, optional signing secret, text or markdown, label lines, @mentions). DingTalk
// answers HTTP 200 with `errcode` in the body: 0 delivered, 130101 (send too fast) and -1
// (busy) retried, anything else dead-lettered.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { goString } from '../config/zod-helpers.ts';
import { ApiClient, excerpt, parseJsonObject, sendEach, withEncoded } from './api-client.ts';
import type { ApiAnswer } from './api-client.ts';
import { chatContent, chatText } from './chat-text.ts';
import { typeOptions } from './common-options.ts';
import { classifyStatus, urlSecrets } from './http.ts';
import type { BuildContext, Payload, Receiver, ReceiverSpec, SendResult } from './types.ts';
import { SendError } from './types.ts';
import { tlsSchema } from './webhook.ts';

export const DINGTALK_MSG_TYPES = ['text', 'markdown'] as const;
/** errcode "send too fast": over 20 messages a minute; DingTalk then throttles the robot. */
export const DINGTALK_RATE_LIMITED = 130101;
/** errcode -1: the service is busy. */
export const DINGTALK_BUSY = -1;
// DingTalk throttles a robot that sent too fast for minutes; a minute apart is the least to wait.
const RATE_LIMIT_WAIT_MS = 60_000;

function hasAccessToken(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      (url.searchParams.get('access_token') ?? '') !== ''
    );
  } catch {
    return false;
  }
}

export const dingtalkSchema = typeOptions({
  // The message never repeats the value: the URL carries the access token.
  webhookUrl: z
    .string()
    .refine(hasAccessToken, { message: 'must be an http(s) URL with an access_token parameter' }),
  secret: goString.optional(),
  msgType: z.enum(DINGTALK_MSG_TYPES).default('text'),
  labels: z.array(goString).default([]),
  atMobiles: z.array(goString).default([]),
  atAll: z.boolean().default(false),
  title: z.string().min(1).default('Kubernetes Event'),
  tls: tlsSchema,
  timeoutMs: z.int().min(1).default(10_000),
});
export type DingtalkOptions = z.output<typeof dingtalkSchema>;

/** DingTalk's signature: base64 HMAC-SHA256, keyed by the secret, over "timestamp\nsecret". */
export function dingtalkSign(timestampMs: number, secret: string): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/** The webhook URL with `&timestamp=…&sign=…` when a secret is set. */
export function signedUrl(webhookUrl: string, secret: string | undefined, nowMs: number): string {
  if (secret === undefined || secret === '') return webhookUrl;
  const url = new URL(webhookUrl);
  url.searchParams.set('timestamp', String(nowMs));
  url.searchParams.set('sign', dingtalkSign(nowMs, secret));
  return url.toString();
}

/** The message body for one payload (a layout map with `msgtype` is sent as it is). */
export function dingtalkMessage(payload: Payload, o: DingtalkOptions): Record<string, unknown> {
  const content = chatContent(payload.body);
  if (content.kind === 'message') return content.message;
  // DingTalk only pings the mobiles whose "@number" appears in the text.
  const mentions = o.atMobiles.map((m) => `@${m}`).join(' ');
  const at = { atMobiles: o.atMobiles, isAtAll: o.atAll };
  if (o.msgType === 'markdown') {
    const text = chatText(content, o.labels, 'dingtalk', { title: o.title });
    return {
      msgtype: 'markdown',
      markdown: { title: o.title, text: mentions === '' ? text : `${text}\n\n${mentions}` },
      at,
    };
  }
  const text = chatText(content, o.labels, 'dingtalk', undefined);
  return { msgtype: 'text', text: { content: mentions === '' ? text : `${text}\n${mentions}` }, at };
}

/** DingTalk's answer → action: HTTP status first, then the errcode in a 2xx body. */
export function classifyDingtalk(answer: ApiAnswer, secrets: readonly string[], nowMs: number): SendResult {
  const body = excerpt(answer.text, secrets);
  if (answer.status < 200 || answer.status >= 300)
    return classifyStatus(answer.status, answer.retryAfter, body, nowMs);
  const parsed = parseJsonObject(answer.text);
  const errcode = parsed?.errcode;
  if (typeof errcode !== 'number') {
    return {
      kind: 'retry',
      reason: 'serverError',
      error: new SendError(`unexpected DingTalk answer: ${body}`, answer.status),
    };
  }
  if (errcode === 0) return { kind: 'ok' };
  const errmsg = typeof parsed?.errmsg === 'string' ? excerpt(parsed.errmsg, secrets) : '';
  const error = new SendError(
    `DingTalk errcode ${errcode}${errmsg === '' ? '' : `: ${errmsg}`}`,
    answer.status,
  );
  if (errcode === DINGTALK_RATE_LIMITED)
    return { kind: 'retry', reason: 'rateLimited', error, retryAfterMs: RATE_LIMIT_WAIT_MS };
  if (errcode === DINGTALK_BUSY) return { kind: 'retry', reason: 'serverError', error };
  return { kind: 'drop', reason: 'clientError', error };
}

class DingtalkReceiver implements Receiver {
  private readonly api: ApiClient;

  constructor(
    readonly name: string,
    private readonly o: DingtalkOptions,
    private readonly ctx: BuildContext,
  ) {
    this.api = new ApiClient(
      o.tls,
      o.timeoutMs,
      withEncoded([...urlSecrets(o.webhookUrl), ...(o.secret ? [o.secret] : [])]),
    );
  }

  send(batch: readonly Payload[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, (payload) => this.sendOne(payload, signal));
  }

  private async sendOne(payload: Payload, signal: AbortSignal): Promise<SendResult> {
    // Signed per request: DingTalk refuses a timestamp more than an hour off.
    const url = signedUrl(this.o.webhookUrl, this.o.secret, this.ctx.clock.now());
    const secrets = [...this.api.secrets, ...withEncoded(urlSecrets(url))];
    const answer = await this.api.exchange(
      {
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(dingtalkMessage(payload, this.o)),
      },
      signal,
    );
    if (answer.kind === 'failed') return answer.result;
    return classifyDingtalk(answer, secrets, this.ctx.clock.now());
  }

  close(): Promise<void> {
    return this.api.close();
  }
}

export const dingtalkSpec: ReceiverSpec<DingtalkOptions> = {
  type: 'dingtalk',
  schema: dingtalkSchema,
  // One message per event, as kube-eventer sends.
  batchDefaults: { maxEvents: 1, maxBytes: 1_048_576, flushIntervalMs: 0 },
  limits: { maxEvents: 1 },
  create: (name, opts, ctx) => new DingtalkReceiver(name, opts, ctx),
};
