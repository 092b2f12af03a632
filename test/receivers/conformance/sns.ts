// sns: PublishBatch on SNS's query protocol. No SNS implementation installs here, so the local
// server of ../aws/sns-api.ts answers as the API reference documents (XML Successful / Failed
// members with SenderFault, ErrorResponse errors). The topic is FIFO, so the ids are in the goldens.
import { AWS_TEST_CREDENTIALS } from '../aws-servers.ts';
import { ServiceServer } from '../aws/batch-service.ts';
import type { ServiceAnswer } from '../aws/batch-service.ts';
import { SnsService, snsEchoCredentials, snsError } from '../aws/sns-api.ts';
import type { SnsMessage } from '../aws/sns-api.ts';
import { defineEntry } from './harness.ts';

export const entry = defineEntry<ServiceServer<SnsMessage>, ServiceAnswer>({
  type: 'sns',
  start: () => ServiceServer.start(new SnsService()),
  receiver: (s) =>
    [
      '- name: t',
      '  sns:',
      '    topicARN: "arn:aws:sns:us-east-1:111122223333:kube-events.fifo"',
      `    endpoint: "${s.endpoint}"`,
    ].join('\n'),
  secrets: Object.values(AWS_TEST_CREDENTIALS),
  okAnswer: 'stored',
  answers: [
    { scenario: 'every message published', serverAnswer: 'stored', expected: 'ok' },
    {
      scenario: 'Failed SenderFault=false InternalError',
      serverAnswer: { entry: { code: 'InternalError', message: 'Internal error.', senderFault: false } },
      expected: 'retry',
      reason: 'serverError',
    },
    {
      scenario: 'Failed SenderFault=true InvalidParameter',
      serverAnswer: { entry: { code: 'InvalidParameter', message: 'Invalid parameter.', senderFault: true } },
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '400 Throttling (whole call)',
      serverAnswer: { whole: snsError(400, 'Throttling', 'Rate exceeded') },
      expected: 'retry',
      reason: 'rateLimited',
    },
    {
      scenario: '404 NotFound (no such topic)',
      serverAnswer: { whole: snsError(404, 'NotFound', 'Topic does not exist') },
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '403 AuthorizationError echoing the credentials',
      serverAnswer: { whole: snsEchoCredentials(403, 'AuthorizationError') },
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '500 InternalError echoing the credentials',
      serverAnswer: { whole: snsEchoCredentials(500, 'InternalError') },
      expected: 'retry',
      reason: 'serverError',
    },
  ],
});
