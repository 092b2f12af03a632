// wechat: WeChat Work app messages. The server issues an access token at /cgi-bin/gettoken and
// answers /cgi-bin/message/send with the row's answer: errcode 0 ok; 45009 / 45033 / -1
// retried; others dead-lettered; HTTP errors as http.ts classifies them. The token is a secret.
import { defineEntry, echoAnswer, jsonAnswer, startHttpConformanceServer } from './harness.ts';
import type { HttpAnswer, HttpAnswerSpec, HttpConformanceServer, HttpRequestSeen } from './harness.ts';

const CORP_SECRET = 'wx-corp-secret-9a8b7c6d5e';
const ACCESS_TOKEN = 'wx-conformance-access-token-41f2e0';

function toPayloads(req: HttpRequestSeen): unknown[] {
  const url = new URL(req.url, 'http://local');
  if (url.pathname === '/cgi-bin/gettoken') return [];
  return [
    {
      path: url.pathname,
      token: url.searchParams.get('access_token') === ACCESS_TOKEN,
      body: JSON.parse(req.body) as unknown,
    },
  ];
}

/** Hands out the token, answers message sends with `send`. */
function wechat(send: HttpAnswerSpec): HttpAnswerSpec {
  return (req: HttpRequestSeen): HttpAnswer => {
    if (req.url.startsWith('/cgi-bin/gettoken')) {
      const ok = new URL(req.url, 'http://local').searchParams.get('corpsecret') === CORP_SECRET;
      return ok
        ? jsonAnswer(200, { errcode: 0, errmsg: 'ok', access_token: ACCESS_TOKEN, expires_in: 7200 })
        : jsonAnswer(200, { errcode: 40001, errmsg: 'invalid credential' });
    }
    return typeof send === 'function' ? send(req) : send;
  };
}

const errcode = (code: number, errmsg: string): HttpAnswerSpec =>
  wechat(jsonAnswer(200, { errcode: code, errmsg }));

export const entry = defineEntry<HttpConformanceServer, HttpAnswerSpec>({
  type: 'wechat',
  start: () => startHttpConformanceServer(toPayloads, errcode(0, 'ok')),
  receiver: (server) =>
    [
      '- name: wx',
      '  wechat:',
      '    corpId: ww0123456789abcdef',
      '    corpSecret: "${WX_SECRET}"',
      '    agentId: 1000002',
      '    toParty: "2"',
      `    apiUrl: "${server.origin}"`,
      '    labels: ["cluster: conformance"]',
    ].join('\n'),
  env: { WX_SECRET: CORP_SECRET },
  secrets: [CORP_SECRET, ACCESS_TOKEN],
  okAnswer: errcode(0, 'ok'),
  answers: [
    { scenario: 'errcode 0', serverAnswer: errcode(0, 'ok'), expected: 'ok' },
    {
      scenario: 'errcode 45009 api freq out of limit',
      serverAnswer: errcode(45009, 'api freq out of limit'),
      expected: 'retry',
      reason: 'rateLimited',
    },
    {
      scenario: 'errcode -1 system busy',
      serverAnswer: errcode(-1, 'system busy'),
      expected: 'retry',
      reason: 'serverError',
    },
    {
      scenario: 'errcode 42001 twice (token expired, refreshed once)',
      serverAnswer: errcode(42001, 'access_token expired'),
      expected: 'retry',
      reason: 'clientError',
    },
    {
      scenario: 'errcode 81013 user, party and tag all invalid',
      serverAnswer: errcode(81013, 'user & party & tag all invalid'),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: 'errcode echoing the request (token in the URL)',
      serverAnswer: wechat((req) =>
        jsonAnswer(200, { errcode: 40056, errmsg: `invalid agentid, url ${req.url}` }),
      ),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: 'HTTP 400 echoing the request',
      serverAnswer: wechat(echoAnswer(400)),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: 'HTTP 503 with Retry-After: 2',
      serverAnswer: wechat({ status: 503, headers: { 'retry-after': '2' } }),
      expected: 'retry',
      retryAfterMs: 2000,
      reason: 'serverError',
    },
  ],
});
