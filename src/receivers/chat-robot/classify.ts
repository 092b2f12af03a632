// Chat robots (dingtalk, wechat) — the answer classifier both share. These services answer
// HTTP 200 with an `errcode` in the body: the status is classified first (as every HTTP
// receiver), then the errcode: 0 delivered, the service's busy / too-fast codes retried,
// anything else dead-lettered.
import type { HttpAnswer } from '../common/http.ts';
import { parseJsonObject } from '../common/http.ts';
import { classifyStatus } from '../common/http-status.ts';
import { excerpt } from '../common/secrets.ts';
import { SendError } from '../common/types.ts';
import type { FailureReason, SendResult } from '../common/types.ts';

export interface RetryRule {
  readonly reason: Extract<FailureReason, 'rateLimited' | 'serverError'>;
  readonly retryAfterMs?: number;
}

export interface ErrcodeTable {
  /** `DingTalk`, `WeChat`, `WeChat gettoken`: in messages. */
  readonly service: string;
  /** errcodes worth another attempt. */
  readonly retry: ReadonlyMap<number, RetryRule>;
  /** errcodes the caller handles itself (WeChat: a token to fetch again). */
  readonly own?: ReadonlySet<number>;
}

export type ErrcodeVerdict = SendResult | { kind: 'own'; errcode: number; error: SendError };

/** The action for the errcode of a 2xx answer's parsed body. */
export function errcodeVerdict(
  parsed: Record<string, unknown> | undefined,
  body: string,
  status: number,
  table: ErrcodeTable,
  secrets: readonly string[],
): ErrcodeVerdict {
  const errcode = parsed?.errcode;
  if (typeof errcode !== 'number') {
    const error = new SendError(`unexpected ${table.service} answer: ${body}`, status);
    return { kind: 'retry', reason: 'serverError', error };
  }
  if (errcode === 0) return { kind: 'ok' };
  const errmsg = typeof parsed?.errmsg === 'string' ? excerpt(parsed.errmsg, secrets) : '';
  const error = new SendError(
    `${table.service} errcode ${errcode}${errmsg === '' ? '' : `: ${errmsg}`}`,
    status,
  );
  if (table.own?.has(errcode) === true) return { kind: 'own', errcode, error };
  const retry = table.retry.get(errcode);
  if (retry === undefined) return { kind: 'drop', reason: 'clientError', error };
  return retry.retryAfterMs === undefined
    ? { kind: 'retry', reason: retry.reason, error }
    : { kind: 'retry', reason: retry.reason, error, retryAfterMs: retry.retryAfterMs };
}

/** A robot's answer → action: HTTP status first, then the errcode in a 2xx body. */
export function classifyRobotAnswer(
  answer: HttpAnswer,
  table: ErrcodeTable,
  secrets: readonly string[],
  nowMs: number,
): ErrcodeVerdict {
  const body = excerpt(answer.text, secrets);
  if (answer.status < 200 || answer.status >= 300)
    return classifyStatus(answer.status, answer.retryAfter, body, nowMs);
  return errcodeVerdict(parseJsonObject(answer.text), body, answer.status, table, secrets);
}
