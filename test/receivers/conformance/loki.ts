// loki: the push API (POST /loki/api/v1/push, JSON, 204); 429 and 5xx retried, 400 (too old,
// out of order) and other 4xx dead-lettered with Loki's message. Basic auth and tenant header.
import { defineEntry, echoAnswer, startHttpConformanceServer } from './harness.ts';
import type { HttpAnswerSpec, HttpConformanceServer, HttpRequestSeen } from './harness.ts';

const PASSWORD = 'loki-conformance-pw-8c1d';
const BASIC = Buffer.from(`router:${PASSWORD}`).toString('base64');

function toPayloads(req: HttpRequestSeen): unknown[] {
  return [
    {
      method: req.method,
      url: req.url,
      tenant: req.headers['x-scope-orgid'],
      auth: req.headers.authorization === `Basic ${BASIC}`,
      body: JSON.parse(req.body) as unknown,
    },
  ];
}

const text = (status: number, body: string, headers: Record<string, string> = {}) => ({
  status,
  headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
  body,
});

export const entry = defineEntry<HttpConformanceServer, HttpAnswerSpec>({
  type: 'loki',
  start: () => startHttpConformanceServer(toPayloads, { status: 204 }),
  receiver: (s) =>
    [
      '- name: lk',
      '  loki:',
      `    url: "${s.origin}"`,
      '    tenantID: cluster-a',
      '    username: router',
      '    password: "${LOKI_PASSWORD}"',
      '    streamLabels: { job: kube-events, namespace: "{{ .InvolvedObject.Namespace }}", type: "{{ .Type }}" }',
    ].join('\n'),
  env: { LOKI_PASSWORD: PASSWORD },
  secrets: [PASSWORD, BASIC],
  okAnswer: { status: 204 },
  answers: [
    { scenario: '204', serverAnswer: { status: 204 }, expected: 'ok' },
    {
      scenario: '400 timestamp too old',
      serverAnswer: text(
        400,
        'entry for stream \'{job="kube-events"}\' has timestamp too old: 2017-12-14T05:57:43Z, oldest acceptable timestamp is: 2026-01-01T00:00:00Z',
      ),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '400 entry out of order',
      serverAnswer: text(
        400,
        'entry with timestamp 2017-12-14 05:57:43 +0000 UTC ignored, reason: \'entry out of order\' for stream: {job="kube-events"},',
      ),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '401 echoing the request',
      serverAnswer: echoAnswer(401),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '429 with Retry-After: 4',
      serverAnswer: text(429, 'Ingestion rate limit exceeded for user cluster-a', { 'retry-after': '4' }),
      expected: 'retry',
      retryAfterMs: 4000,
      reason: 'rateLimited',
    },
    {
      scenario: '429 without Retry-After',
      serverAnswer: text(429, 'Ingestion rate limit exceeded for user cluster-a'),
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
      scenario: '503',
      serverAnswer: text(503, 'Service Unavailable'),
      expected: 'retry',
      reason: 'serverError',
    },
  ],
});
