// pubsub: Publish on the gRPC Publisher service (the local server of ../pubsub-server.ts, from
// the .proto files @google-cloud/pubsub ships), reached through the client's emulator mode.
// Publish is all or nothing: a status is the fate of every message of the call.
import { PubsubServer, STATUS } from '../pubsub-server.ts';
import type { StatusAnswer } from '../pubsub-server.ts';
import { defineEntry } from './harness.ts';
import type { ConformanceServer } from './harness.ts';

const TOPIC = 'projects/kube-project/topics/kube-events';
/** The pod's access token, as a proxy or an API error could echo it. */
const TOKEN = 'ya29.c.b0AXv0zTConformanceToken5678';

type PubsubAnswer = 'ok' | StatusAnswer;

interface Server extends ConformanceServer<PubsubAnswer> {
  readonly endpoint: string;
}

async function start(): Promise<Server> {
  const server = await PubsubServer.start([TOPIC]);
  let taken = 0;
  return {
    endpoint: server.endpoint,
    answerWith(answer) {
      server.publishHandler = () => (answer === 'ok' ? undefined : answer);
    },
    takeReceived() {
      const messages = server.received.slice(taken);
      taken += messages.length;
      return messages.map((m) => ({
        topic: m.topic,
        attributes: m.attributes,
        data: JSON.parse(m.data) as unknown,
      }));
    },
    close: () => server.close(),
  };
}

const status = (code: number, details: string): StatusAnswer => ({ code, details });

export const entry = defineEntry<Server, PubsubAnswer>({
  type: 'pubsub',
  start,
  receiver: (s) =>
    [
      '- name: events',
      '  pubsub:',
      '    gcloud_project_id: kube-project',
      '    topic: kube-events',
      `    endpoint: "${s.endpoint}"`,
    ].join('\n'),
  secrets: [TOKEN],
  okAnswer: 'ok',
  answers: [
    { scenario: 'published', serverAnswer: 'ok', expected: 'ok' },
    {
      scenario: 'UNAVAILABLE',
      serverAnswer: status(STATUS.UNAVAILABLE, 'The service was unable to fulfill your request.'),
      expected: 'retry',
      reason: 'serverError',
    },
    {
      scenario: 'RESOURCE_EXHAUSTED (quota)',
      serverAnswer: status(STATUS.RESOURCE_EXHAUSTED, 'Quota exceeded for publisher bytes.'),
      expected: 'retry',
      reason: 'rateLimited',
    },
    {
      scenario: 'DEADLINE_EXCEEDED',
      serverAnswer: status(STATUS.DEADLINE_EXCEEDED, 'Deadline exceeded'),
      expected: 'retry',
      reason: 'timeout',
    },
    {
      scenario: 'PERMISSION_DENIED echoing the bearer token',
      serverAnswer: status(
        STATUS.PERMISSION_DENIED,
        `User not authorized to perform this action. (authorization: Bearer ${TOKEN})`,
      ),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: 'UNAUTHENTICATED echoing the token',
      serverAnswer: status(
        STATUS.UNAUTHENTICATED,
        `Request had invalid authentication credentials: ${TOKEN}`,
      ),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: 'INVALID_ARGUMENT',
      serverAnswer: status(
        STATUS.INVALID_ARGUMENT,
        'Request payload size exceeds the limit: 10485760 bytes.',
      ),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: 'NOT_FOUND (topic)',
      serverAnswer: status(STATUS.NOT_FOUND, 'Resource not found (resource=kube-events).'),
      expected: 'drop',
      reason: 'clientError',
    },
  ],
});
