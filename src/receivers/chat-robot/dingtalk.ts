// dingtalk — send: the robot message of one event (text or markdown, label lines, @mentions),
// signed per request when a secret is set; classify.ts reads the errcode answer.
import { createHmac } from 'node:crypto';
import { chatContent, chatText } from '../common/chat-text.ts';
import { HttpClient } from '../common/http.ts';
import type { HttpAnswer } from '../common/http.ts';
import { sendEach } from '../common/outcome.ts';
import { urlSecrets, withEncoded } from '../common/secrets.ts';
import type { BuildContext, Payload, Receiver, ReceiverFactory, SendResult } from '../common/types.ts';
import { classifyRobotAnswer } from './classify.ts';
import { DINGTALK_ERRCODES } from './options.ts';
import type { DingtalkOptions } from './options.ts';

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

/** DingTalk's answer → action (no errcode is DingTalk's own business: `own` never comes back). */
function classifyDingtalk(answer: HttpAnswer, secrets: readonly string[], nowMs: number): SendResult {
  const verdict = classifyRobotAnswer(answer, DINGTALK_ERRCODES, secrets, nowMs);
  return verdict.kind === 'own' ? { kind: 'drop', reason: 'clientError', error: verdict.error } : verdict;
}

class DingtalkReceiver implements Receiver {
  private readonly api: HttpClient;

  constructor(
    readonly name: string,
    private readonly o: DingtalkOptions,
    private readonly ctx: BuildContext,
  ) {
    this.api = new HttpClient({
      tls: o.tls,
      timeoutMs: o.timeoutMs,
      clock: ctx.clock,
      secrets: withEncoded([...urlSecrets(o.webhookUrl), ...(o.secret ? [o.secret] : [])]),
      capture: ctx.capture,
    });
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

export const create: ReceiverFactory<DingtalkOptions> = (name, opts, ctx) =>
  new DingtalkReceiver(name, opts, ctx);
