// dingtalk: a signed group robot. DingTalk answers 200 with `errcode`: 0 ok, 130101 (send too
// fast) and -1 (busy) retried, others dead-lettered; HTTP errors as http.ts classifies them. The
// server checks the signature; the golden records whether it held, not its time-bound value.
import { createHmac } from 'node:crypto';
import { defineEntry, echoAnswer, jsonAnswer, startHttpConformanceServer } from './harness.ts';
import type { HttpAnswerSpec, HttpConformanceServer, HttpRequestSeen } from './harness.ts';

const TOKEN = 'dt-conformance-token-6c1d0a';
const SECRET = 'SECconformance0d5f7a9b3c';

function signatureHolds(url: URL): boolean {
  const timestamp = url.searchParams.get('timestamp') ?? '';
  const expected = createHmac('sha256', SECRET).update(`${timestamp}\n${SECRET}`).digest('base64');
  return url.searchParams.get('sign') === expected;
}

function toPayloads(req: HttpRequestSeen): unknown[] {
  const url = new URL(req.url, 'http://local');
  return [
    {
      path: url.pathname,
      token: url.searchParams.get('access_token') === TOKEN,
      signed: signatureHolds(url),
      body: JSON.parse(req.body) as unknown,
    },
  ];
}

const errcode = (code: number, errmsg: string): HttpAnswerSpec => jsonAnswer(200, { errcode: code, errmsg });

export const entry = defineEntry<HttpConformanceServer, HttpAnswerSpec>({
  type: 'dingtalk',
  start: () => startHttpConformanceServer(toPayloads, errcode(0, 'ok')),
  receiver: (server) =>
    [
      '- name: ding',
      '  dingtalk:',
      `    webhookUrl: "${server.origin}/robot/send?access_token=\${DT_TOKEN}"`,
      '    secret: "${DT_SECRET}"',
      '    labels: ["cluster: conformance"]',
      '    atMobiles: ["13800000000"]',
    ].join('\n'),
  env: { DT_TOKEN: TOKEN, DT_SECRET: SECRET },
  secrets: [TOKEN, SECRET],
  okAnswer: errcode(0, 'ok'),
  answers: [
    { scenario: 'errcode 0', serverAnswer: errcode(0, 'ok'), expected: 'ok' },
    {
      scenario: 'errcode 130101 send too fast',
      serverAnswer: errcode(130101, 'send too fast, exceed 20 times per minute'),
      expected: 'retry',
      retryAfterMs: 60_000,
      reason: 'rateLimited',
    },
    {
      scenario: 'errcode -1 system busy',
      serverAnswer: errcode(-1, 'system busy'),
      expected: 'retry',
      reason: 'serverError',
    },
    {
      scenario: 'errcode 310000 sign not match',
      serverAnswer: errcode(310000, 'sign not match'),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: 'errcode 300005 token is not exist',
      serverAnswer: errcode(300005, 'token is not exist'),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: 'errcode echoing the request',
      serverAnswer: (req) =>
        jsonAnswer(200, { errcode: 310000, errmsg: `keywords not in content: ${req.url}` }),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '200 without errcode',
      serverAnswer: { status: 200, body: '<html>gateway</html>' },
      expected: 'retry',
      reason: 'serverError',
    },
    {
      scenario: 'HTTP 400 echoing the request',
      serverAnswer: echoAnswer(400),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: 'HTTP 429 with Retry-After: 5',
      serverAnswer: { status: 429, headers: { 'retry-after': '5' } },
      expected: 'retry',
      retryAfterMs: 5000,
      reason: 'rateLimited',
    },
    { scenario: 'HTTP 502', serverAnswer: { status: 502 }, expected: 'retry', reason: 'serverError' },
  ],
});
