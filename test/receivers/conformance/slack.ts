// slack: the Web API (chat.postMessage) as Slack documents its answers.
import { echoAnswer } from './harness.ts';
import { defineEntry } from './harness.ts';
import type { HttpAnswerSpec, HttpConformanceServer } from './harness.ts';
import { SLACK_TOKEN, slackError, slackOk, slackRateLimited, startSlackServer } from '../slack-server.ts';

export const entry = defineEntry<HttpConformanceServer, HttpAnswerSpec>({
  type: 'slack',
  start: () => startSlackServer(),
  receiver: (server) =>
    [
      '- name: chat',
      '  slack:',
      "    token: '${SLACK_TOKEN}'",
      `    apiUrl: "${server.origin}/api/"`,
      '    channel: "#k8s-{{ .InvolvedObject.Namespace }}"',
      '    message: "{{ .Reason }}: {{ .Message }}"',
      '    color: \'{{ if eq .Type "Warning" }}danger{{ else }}good{{ end }}\'',
      '    title: "{{ .InvolvedObject.Kind }}/{{ .InvolvedObject.Name }}"',
      '    author_name: "{{ .Source.Component }}"',
      '    footer: "{{ .ClusterName }}"',
      '    fields:',
      '      Namespace: "{{ .InvolvedObject.Namespace }}"',
      '      Count: "{{ .Count }}"',
    ].join('\n'),
  env: { SLACK_TOKEN },
  secrets: [SLACK_TOKEN],
  okAnswer: slackOk,
  answers: [
    { scenario: 'ok:true', serverAnswer: slackOk, expected: 'ok' },
    {
      scenario: '429 ratelimited with Retry-After: 30',
      serverAnswer: slackRateLimited(30),
      expected: 'retry',
      retryAfterMs: 30_000,
      reason: 'rateLimited',
    },
    {
      scenario: '429 without Retry-After',
      serverAnswer: slackRateLimited(),
      expected: 'retry',
      reason: 'rateLimited',
    },
    {
      scenario: 'ok:false ratelimited (HTTP 200) with Retry-After: 4',
      serverAnswer: slackError('ratelimited', { 'retry-after': '4' }),
      expected: 'retry',
      retryAfterMs: 4000,
      reason: 'rateLimited',
    },
    {
      scenario: 'ok:false channel_not_found',
      serverAnswer: slackError('channel_not_found'),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: 'ok:false not_in_channel',
      serverAnswer: slackError('not_in_channel'),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: 'ok:false is_archived',
      serverAnswer: slackError('is_archived'),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: 'ok:false invalid_auth',
      serverAnswer: slackError('invalid_auth'),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: 'ok:false account_inactive',
      serverAnswer: slackError('account_inactive'),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: 'ok:false token_revoked',
      serverAnswer: slackError('token_revoked'),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: 'ok:false msg_too_long',
      serverAnswer: slackError('msg_too_long'),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: 'ok:false internal_error',
      serverAnswer: slackError('internal_error'),
      expected: 'retry',
      reason: 'serverError',
    },
    {
      scenario: 'ok:false fatal_error',
      serverAnswer: slackError('fatal_error'),
      expected: 'retry',
      reason: 'serverError',
    },
    {
      scenario: 'ok:false service_unavailable',
      serverAnswer: slackError('service_unavailable'),
      expected: 'retry',
      reason: 'serverError',
    },
    {
      scenario: 'HTTP 500 echoing the request',
      serverAnswer: echoAnswer(500),
      expected: 'retry',
      reason: 'serverError',
    },
    {
      scenario: 'HTTP 503 with Retry-After: 5',
      serverAnswer: { status: 503, headers: { 'retry-after': '5' } },
      expected: 'retry',
      retryAfterMs: 5000,
      reason: 'serverError',
    },
    {
      scenario: 'HTTP 400 echoing the request',
      serverAnswer: echoAnswer(400),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: 'a body that is not JSON',
      serverAnswer: {
        status: 200,
        headers: { 'content-type': 'text/html' },
        body: '<html>proxy error</html>',
      },
      expected: 'drop',
      reason: 'clientError',
    },
  ],
});
