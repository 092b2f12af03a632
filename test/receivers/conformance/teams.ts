// teams: a Workflows webhook taking an Adaptive Card message; the default card.
import { defineEntry, echoAnswer } from './harness.ts';
import type { HttpAnswerSpec, HttpConformanceServer } from './harness.ts';
import { TEAMS_SIG, accepted, flowError, startTeamsServer, teamsUrl } from '../teams-server.ts';

const API_KEY = 'teams-proxy-key-31337';

export const entry = defineEntry<HttpConformanceServer, HttpAnswerSpec>({
  type: 'teams',
  start: startTeamsServer,
  receiver: (server) =>
    [
      '- name: teams',
      '  teams:',
      `    endpoint: "${teamsUrl(server)}"`,
      "    headers: { X-Api-Key: '${TEAMS_KEY}' }",
    ].join('\n'),
  env: { TEAMS_SIG, TEAMS_KEY: API_KEY },
  secrets: [TEAMS_SIG, API_KEY],
  okAnswer: accepted,
  answers: [
    { scenario: '202 Accepted', serverAnswer: accepted, expected: 'ok' },
    { scenario: '200 OK', serverAnswer: { status: 200 }, expected: 'ok' },
    {
      scenario: '400 TriggerInputSchemaMismatch',
      serverAnswer: flowError(
        400,
        'TriggerInputSchemaMismatch',
        "The input body for trigger 'manual' of type 'Request' did not match its schema definition.",
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
      scenario: '404 workflow not found',
      serverAnswer: flowError(404, 'WorkflowNotFound', "The workflow '4f1c2e' could not be found."),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '413 message too large',
      serverAnswer: flowError(413, 'MessageTooLarge', 'Request entity too large.'),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '429 with Retry-After: 12',
      serverAnswer: flowError(429, 'WorkflowRequestsThrottled', 'Rate limit is exceeded.', {
        'retry-after': '12',
      }),
      expected: 'retry',
      retryAfterMs: 12_000,
      reason: 'rateLimited',
    },
    {
      scenario: '429 without Retry-After',
      serverAnswer: flowError(429, 'WorkflowRequestsThrottled', 'Rate limit is exceeded.'),
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
      scenario: '502 bad gateway',
      serverAnswer: flowError(502, 'BadGateway', 'upstream failed'),
      expected: 'retry',
      reason: 'serverError',
    },
    {
      scenario: '503 with Retry-After: 3',
      serverAnswer: flowError(503, 'ServiceUnavailable', 'try later', { 'retry-after': '3' }),
      expected: 'retry',
      retryAfterMs: 3000,
      reason: 'serverError',
    },
  ],
});
