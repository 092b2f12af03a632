// opsgenie: the Alert API (POST /v2/alerts, GenieKey auth, 202 Accepted); HTTP status classified
// as http.ts does: 429 / 5xx retried (Retry-After honoured), other 4xx dead-lettered.
import { defineEntry, echoAnswer, jsonAnswer, startHttpConformanceServer } from './harness.ts';
import type { HttpAnswerSpec, HttpConformanceServer, HttpRequestSeen } from './harness.ts';

const KEY = 'og-conformance-key-2b7e91';

function toPayloads(req: HttpRequestSeen): unknown[] {
  return [
    {
      method: req.method,
      url: req.url,
      auth: req.headers.authorization === `GenieKey ${KEY}`,
      body: JSON.parse(req.body) as unknown,
    },
  ];
}

const accepted = jsonAnswer(202, { result: 'Request will be processed', took: 0.01, requestId: 'req-1' });

export const entry = defineEntry<HttpConformanceServer, HttpAnswerSpec>({
  type: 'opsgenie',
  start: () => startHttpConformanceServer(toPayloads, accepted),
  receiver: (server) =>
    [
      '- name: og',
      '  opsgenie:',
      '    apiKey: "${OG_KEY}"',
      `    URL: "${server.origin}"`,
      '    message: "[{{ .Type }}] {{ .Reason }} {{ .InvolvedObject.Kind }}/{{ .InvolvedObject.Name }}"',
      '    alias: "{{ .InvolvedObject.UID }}-{{ .Reason }}"',
      '    priority: "{{ if eq .Type \\"Warning\\" }}P2{{ else }}P4{{ end }}"',
      '    description: "{{ .Message }}"',
      '    tags: ["k8s", "{{ .InvolvedObject.Kind }}"]',
      '    details: { namespace: "{{ .Namespace }}", count: "{{ .Count }}" }',
      '    responders: [{ type: team, name: platform }]',
      '    entity: "{{ .InvolvedObject.Namespace }}/{{ .InvolvedObject.Name }}"',
      '    source: kube-event-router',
    ].join('\n'),
  env: { OG_KEY: KEY },
  secrets: [KEY],
  okAnswer: accepted,
  answers: [
    { scenario: '202 accepted', serverAnswer: accepted, expected: 'ok' },
    {
      scenario: '401 echoing the request',
      serverAnswer: echoAnswer(401),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '403',
      serverAnswer: jsonAnswer(403, { message: 'Forbidden' }),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '422 not processable',
      serverAnswer: jsonAnswer(422, {
        message: 'Request body is not processable. Please check the errors.',
        errors: { message: 'Message can not be empty.' },
      }),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '429 with Retry-After: 9',
      serverAnswer: jsonAnswer(429, { message: 'Rate limit exceeded' }, { 'retry-after': '9' }),
      expected: 'retry',
      retryAfterMs: 9000,
      reason: 'rateLimited',
    },
    {
      scenario: '429 without Retry-After',
      serverAnswer: jsonAnswer(429, { message: 'Rate limit exceeded' }),
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
      scenario: '503 with Retry-After: 3',
      serverAnswer: { status: 503, headers: { 'retry-after': '3' } },
      expected: 'retry',
      retryAfterMs: 3000,
      reason: 'serverError',
    },
  ],
});
