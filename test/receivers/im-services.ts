// Local stand-ins for Opsgenie's Alert API, a DingTalk robot and WeChat Work on 127.0.0.1,
// answering as their documentation describes (status codes, error bodies, errcode bodies,
// signatures, access tokens), with hooks to inject failures.
import { createHmac } from 'node:crypto';
import { startHttpServer } from './servers.ts';
import type { Answer, Received, TestServer } from './servers.ts';

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

function pathAndQuery(req: Received): { path: string; query: URLSearchParams } {
  const url = new URL(req.url, 'http://local');
  return { path: url.pathname, query: url.searchParams };
}

function parse(body: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(body) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

// --- Opsgenie --------------------------------------------------------------------------------

export interface OpsgenieAlert {
  alias: string;
  message: string;
  status: 'open' | 'closed';
  acknowledged: boolean;
  count: number;
  body: Record<string, unknown>;
}

export interface FakeOpsgenie {
  readonly server: TestServer;
  readonly url: string;
  readonly alerts: Map<string, OpsgenieAlert>;
  /** Answers to give instead of the API's own, in order (429, 503...). */
  readonly inject: Answer[];
  close(): Promise<void>;
}

/** Why the Alert API would refuse a create body (its documented limits), or undefined. */
export function opsgenieCreateProblem(body: Record<string, unknown>): string | undefined {
  const message = body.message;
  if (typeof message !== 'string' || message.trim() === '') return 'Message can not be empty.';
  if (message.length > 130) return 'Message can not be longer than 130 characters.';
  const limits: [string, number][] = [
    ['alias', 512],
    ['description', 15_000],
    ['entity', 512],
    ['source', 100],
    ['note', 25_000],
    ['user', 100],
  ];
  for (const [key, max] of limits) {
    const v = body[key];
    if (typeof v === 'string' && v.length > max) return `${key} can not be longer than ${max} characters.`;
  }
  const tags = body.tags;
  if (Array.isArray(tags) && (tags.length > 20 || tags.some((t) => typeof t !== 'string' || t.length > 50)))
    return 'Tags can be at most 20, each at most 50 characters.';
  const details = body.details as Record<string, string> | undefined;
  if (details && Object.entries(details).reduce((n, [k, v]) => n + k.length + v.length, 0) > 8000)
    return 'Details can not be longer than 8000 characters.';
  if (body.priority !== undefined && !['P1', 'P2', 'P3', 'P4', 'P5'].includes(String(body.priority)))
    return 'Priority should be one of [P1, P2, P3, P4, P5]';
  return undefined;
}

const accepted = (): Answer =>
  json(202, {
    result: 'Request will be processed',
    took: 0.012,
    requestId: 'a1b2c3d4-0000-4000-8000-000000000000',
  });
const unprocessable = (field: string, text: string): Answer =>
  json(422, {
    message: 'Request body is not processable. Please check the errors.',
    errors: { [field]: text },
    took: 0.001,
    requestId: 'r-422',
  });

function opsgenieAnswer(req: Received, apiKey: string, alerts: Map<string, OpsgenieAlert>): Answer {
  if (req.headers.authorization !== `GenieKey ${apiKey}`)
    return json(401, { message: 'Could not authenticate', took: 0, requestId: 'r-401' });
  const { path, query } = pathAndQuery(req);
  const body = parse(req.body);
  if (req.method !== 'POST' || body === undefined)
    return json(400, { message: 'Invalid request', took: 0, requestId: 'r-400' });
  if (path === '/v2/alerts') {
    const problem = opsgenieCreateProblem(body);
    if (problem !== undefined) return unprocessable('message', problem);
    const alias = typeof body.alias === 'string' ? body.alias : `generated-${alerts.size}`;
    const open = alerts.get(alias);
    if (open && open.status === 'open') open.count++;
    else
      alerts.set(alias, {
        alias,
        message: String(body.message),
        status: 'open',
        acknowledged: false,
        count: 1,
        body,
      });
    return accepted();
  }
  const action = /^\/v2\/alerts\/([^/]+)\/(close|acknowledge)$/.exec(path);
  if (action && query.get('identifierType') === 'alias') {
    // Like Opsgenie: accepted whatever the alias; the request's own status tells the rest.
    const alert = alerts.get(decodeURIComponent(action[1] ?? ''));
    if (alert && action[2] === 'close') alert.status = 'closed';
    if (alert && action[2] === 'acknowledge') alert.acknowledged = true;
    return accepted();
  }
  return json(404, { message: 'Could not find requested resource', took: 0, requestId: 'r-404' });
}

export async function startFakeOpsgenie(apiKey: string): Promise<FakeOpsgenie> {
  const alerts = new Map<string, OpsgenieAlert>();
  const inject: Answer[] = [];
  const server = await startHttpServer((req) => inject.shift() ?? opsgenieAnswer(req, apiKey, alerts));
  return { server, url: `http://127.0.0.1:${server.port}`, alerts, inject, close: () => server.close() };
}

// --- DingTalk --------------------------------------------------------------------------------

export interface FakeDingtalk {
  readonly server: TestServer;
  /** The robot URL with its access_token. */
  readonly webhookUrl: string;
  /** Messages accepted (errcode 0). */
  readonly messages: Record<string, unknown>[];
  /** errcode answers to give instead of the robot's own, in order. */
  readonly inject: Answer[];
  close(): Promise<void>;
}

export const dingtalkOk = (): Answer => json(200, { errcode: 0, errmsg: 'ok' });
export const dingtalkErr = (errcode: number, errmsg: string): Answer => json(200, { errcode, errmsg });

/** Verifies a signed robot URL as DingTalk does: timestamp within an hour, sign = base64 HMAC. */
export function dingtalkSignatureProblem(
  query: URLSearchParams,
  secret: string,
  nowMs: number,
): string | undefined {
  const timestamp = query.get('timestamp');
  const sign = query.get('sign');
  if (timestamp === null || sign === null) return 'sign not match';
  if (Math.abs(nowMs - Number(timestamp)) > 3_600_000) return 'invalid timestamp';
  const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
  return sign === expected ? undefined : 'sign not match';
}

function dingtalkAnswer(
  req: Received,
  token: string,
  secret: string | undefined,
  nowMs: () => number,
  messages: Record<string, unknown>[],
): Answer {
  const { path, query } = pathAndQuery(req);
  if (path !== '/robot/send') return json(404, { errcode: 404, errmsg: 'not found' });
  if (query.get('access_token') !== token) return dingtalkErr(300005, 'token is not exist');
  if (secret !== undefined) {
    const problem = dingtalkSignatureProblem(query, secret, nowMs());
    if (problem !== undefined)
      return dingtalkErr(310000, `${problem}, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]`);
  }
  const body = parse(req.body);
  if (body === undefined || typeof body.msgtype !== 'string')
    return dingtalkErr(40035, 'missing parameter msgtype');
  messages.push(body);
  return dingtalkOk();
}

export async function startFakeDingtalk(
  token: string,
  secret: string | undefined,
  nowMs: () => number,
): Promise<FakeDingtalk> {
  const messages: Record<string, unknown>[] = [];
  const inject: Answer[] = [];
  const server = await startHttpServer(
    (req) => inject.shift() ?? dingtalkAnswer(req, token, secret, nowMs, messages),
  );
  return {
    server,
    webhookUrl: `http://127.0.0.1:${server.port}/robot/send?access_token=${token}`,
    messages,
    inject,
    close: () => server.close(),
  };
}

// --- WeChat Work -----------------------------------------------------------------------------

export interface FakeWechat {
  readonly server: TestServer;
  readonly apiUrl: string;
  readonly robotUrl: string;
  /** Accepted app and robot messages. */
  readonly messages: Record<string, unknown>[];
  /** /cgi-bin/gettoken calls answered with a token. */
  tokensIssued: number;
  /** Makes every token issued so far expired (the next send gets 42001). */
  expireTokens(): void;
  /** Forgets every token issued so far (the next send gets 40014, as after a secret reset). */
  forgetTokens(): void;
  /** Answers to give to message sends instead of the API's own, in order. */
  readonly inject: Answer[];
  close(): Promise<void>;
}

interface WechatState {
  readonly corpId: string;
  readonly corpSecret: string;
  readonly robotKey: string;
  readonly live: Set<string>;
  readonly expired: Set<string>;
  readonly messages: Record<string, unknown>[];
  readonly inject: Answer[];
  issued: number;
}

const wxOk = (extra: Record<string, unknown> = {}): Answer =>
  json(200, { errcode: 0, errmsg: 'ok', ...extra });
export const wechatErr = (errcode: number, errmsg: string): Answer => json(200, { errcode, errmsg });

function wechatAnswer(req: Received, s: WechatState): Answer {
  const { path, query } = pathAndQuery(req);
  if (path === '/cgi-bin/gettoken') {
    if (query.get('corpid') !== s.corpId)
      return wechatErr(
        40013,
        'invalid corpid, hint: [1700000000_1], more info at https://open.work.weixin.qq.com/devtool/query?e=40013',
      );
    if (query.get('corpsecret') !== s.corpSecret)
      return wechatErr(
        40001,
        'invalid credential, hint: [1700000000_2], more info at https://open.work.weixin.qq.com/devtool/query?e=40001',
      );
    s.issued++;
    const token = `wx-token-${s.issued}-${'x'.repeat(40)}`;
    s.live.add(token);
    return wxOk({ access_token: token, expires_in: 7200 });
  }
  const body = parse(req.body);
  if (path === '/cgi-bin/message/send') {
    const token = query.get('access_token') ?? '';
    if (s.expired.has(token)) return wechatErr(42001, 'access_token expired, hint: [1700000000_3]');
    if (!s.live.has(token))
      return wechatErr(40014, `invalid access_token, hint: [1700000000_4], token ${token}`);
    const injected = s.inject.shift();
    if (injected) return injected;
    if (body === undefined || typeof body.agentid !== 'number') return wechatErr(40056, 'invalid agentid');
    s.messages.push(body);
    return wxOk({
      invaliduser: '',
      invalidparty: '',
      invalidtag: '',
      unlicenseduser: '',
      msgid: `msg-${s.messages.length}`,
    });
  }
  if (path === '/cgi-bin/webhook/send') {
    if (query.get('key') !== s.robotKey) return wechatErr(93000, 'invalid webhook url, hint: [1700000000_5]');
    const injected = s.inject.shift();
    if (injected) return injected;
    if (body === undefined || typeof body.msgtype !== 'string')
      return wechatErr(40008, 'invalid message type');
    s.messages.push(body);
    return wxOk();
  }
  return json(404, { errcode: 404, errmsg: 'not found' });
}

export async function startFakeWechat(
  corpId: string,
  corpSecret: string,
  robotKey: string,
): Promise<FakeWechat> {
  const s: WechatState = {
    corpId,
    corpSecret,
    robotKey,
    live: new Set(),
    expired: new Set(),
    messages: [],
    inject: [],
    issued: 0,
  };
  const server = await startHttpServer((req) => wechatAnswer(req, s));
  const base = `http://127.0.0.1:${server.port}`;
  return {
    server,
    apiUrl: base,
    robotUrl: `${base}/cgi-bin/webhook/send?key=${robotKey}`,
    messages: s.messages,
    get tokensIssued() {
      return s.issued;
    },
    set tokensIssued(n: number) {
      s.issued = n;
    },
    expireTokens() {
      for (const t of s.live) s.expired.add(t);
      s.live.clear();
    },
    forgetTokens() {
      s.live.clear();
    },
    inject: s.inject,
    close: () => server.close(),
  };
}
