// wechat — send: the app message (with an access token, ./wechat-token.ts) or the group-robot
// message of one event; classify.ts reads the errcode answer, and an expired or invalid token
// is fetched again once.
import { chatContent, chatText } from '../common/chat-text.ts';
import { HttpClient } from '../common/http.ts';
import { sendEach } from '../common/outcome.ts';
import { urlSecrets, withEncoded } from '../common/secrets.ts';
import { truncateBytes } from '../common/truncate.ts';
import type { BuildContext, Payload, Receiver, ReceiverFactory, SendResult } from '../common/types.ts';
import { classifyRobotAnswer } from './classify.ts';
import type { ErrcodeVerdict } from './classify.ts';
import { WECHAT_ERRCODES, WECHAT_MAX_BYTES } from './options.ts';
import type { WechatOptions } from './options.ts';
import { WechatTokenCache } from './wechat-token.ts';

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
  return { text: truncateBytes(text, WECHAT_MAX_BYTES[o.msgType]) };
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

class WechatReceiver implements Receiver {
  private readonly api: HttpClient;
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
    this.api = new HttpClient({
      tls: o.tls,
      timeoutMs: o.timeoutMs,
      clock: ctx.clock,
      secrets: withEncoded(secrets),
      capture: ctx.capture,
    });
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
  ): Promise<ErrcodeVerdict> {
    const body = JSON.stringify(message);
    const answer = await this.api.exchange(
      { url, method: 'POST', headers: { 'content-type': 'application/json' }, body },
      signal,
    );
    if (answer.kind === 'failed') return answer.result;
    return classifyRobotAnswer(answer, WECHAT_ERRCODES, this.api.secrets, this.ctx.clock.now());
  }

  private async sendRobot(payload: Payload, signal: AbortSignal): Promise<SendResult> {
    const verdict = await this.post(this.o.webhookUrl ?? '', robotMessage(payload, this.o), signal);
    // A robot has no token: an "invalid token" errcode means a wrong key, for good.
    return verdict.kind === 'own' ? { kind: 'drop', reason: 'clientError', error: verdict.error } : verdict;
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
      if (verdict.kind !== 'own') return verdict;
      tokens.invalidate(token.value);
      // Once: a token refused twice in a row is retried later rather than spun on.
      if (attempt === 1) return { kind: 'retry', reason: 'clientError', error: verdict.error };
    }
  }

  close(): Promise<void> {
    return this.api.close();
  }
}

export const create: ReceiverFactory<WechatOptions> = (name, opts, ctx) =>
  new WechatReceiver(name, opts, ctx);
