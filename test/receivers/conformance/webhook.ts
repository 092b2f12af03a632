// webhook: a plain HTTP endpoint; the answer table is the shared HTTP classification (http.ts).
import { defineEntry, echoAnswer, startHttpConformanceServer } from './harness.ts';
import type { HttpAnswerSpec, HttpConformanceServer, HttpRequestSeen } from './harness.ts';

const TOKEN = 'whk-query-token-8d1f';
const AUTH = 'whk-bearer-secret-77c2';
const PASSWORD = 'whk-pass-5e0a';

function toPayloads(req: HttpRequestSeen): unknown[] {
  return [
    {
      method: req.method,
      url: req.url,
      contentType: req.headers['content-type'],
      reason: req.headers['x-reason'],
      body: JSON.parse(req.body) as unknown,
    },
  ];
}

export const entry = defineEntry<HttpConformanceServer, HttpAnswerSpec>({
  type: 'webhook',
  start: () => startHttpConformanceServer(toPayloads),
  receiver: (server) =>
    [
      '- name: hook',
      '  webhook:',
      `    endpoint: "http://router:\${HOOK_PASSWORD}@127.0.0.1:${server.port}/hook?token=\${HOOK_TOKEN}"`,
      '    headers:',
      "      Authorization: 'Bearer ${HOOK_AUTH}'",
      "      X-Reason: '{{ .Reason }}'",
      '    layout:',
      '      summary: "[{{ .Type }}] {{ .InvolvedObject.Kind }} {{ .InvolvedObject.Namespace }}/{{ .InvolvedObject.Name }}: {{ .Reason }}"',
      '      message: "{{ .Message }}"',
      '      count: "{{ .Count }}"',
    ].join('\n'),
  env: { HOOK_TOKEN: TOKEN, HOOK_AUTH: AUTH, HOOK_PASSWORD: PASSWORD },
  secrets: [TOKEN, AUTH, PASSWORD],
  okAnswer: { status: 200 },
  answers: [
    { scenario: '200', serverAnswer: { status: 200 }, expected: 'ok' },
    { scenario: '202 accepted', serverAnswer: { status: 202, body: 'queued' }, expected: 'ok' },
    { scenario: '204 no content', serverAnswer: { status: 204 }, expected: 'ok' },
    {
      scenario: '400 echoing the request',
      serverAnswer: echoAnswer(400),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '401 echoing the request',
      serverAnswer: echoAnswer(401),
      expected: 'drop',
      reason: 'clientError',
    },
    { scenario: '404', serverAnswer: { status: 404 }, expected: 'drop', reason: 'clientError' },
    { scenario: '408', serverAnswer: { status: 408 }, expected: 'retry', reason: 'timeout' },
    {
      scenario: '429 with Retry-After: 7',
      serverAnswer: { status: 429, headers: { 'retry-after': '7' } },
      expected: 'retry',
      retryAfterMs: 7000,
      reason: 'rateLimited',
    },
    {
      scenario: '429 without Retry-After',
      serverAnswer: { status: 429 },
      expected: 'retry',
      reason: 'rateLimited',
    },
    {
      scenario: '500 echoing the request',
      serverAnswer: echoAnswer(500),
      expected: 'retry',
      reason: 'serverError',
    },
    {
      scenario: '503 with Retry-After: 2',
      serverAnswer: { status: 503, headers: { 'retry-after': '2' } },
      expected: 'retry',
      retryAfterMs: 2000,
      reason: 'serverError',
    },
  ],
});
