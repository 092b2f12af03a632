// sqs: GetQueueUrl then SendMessageBatch on SQS's JSON protocol (query compatible). No SQS
// implementation installs here, so the local server of ../aws/sqs-api.ts answers as the API
// reference documents (Successful[] with each body's MD5, Failed[] with SenderFault,
// `__type` errors with `x-amzn-query-error`). The queue is FIFO, so the ids are in the goldens.
import { AWS_TEST_CREDENTIALS, echoCredentials } from '../aws-servers.ts';
import { ServiceServer } from '../aws/batch-service.ts';
import type { ServiceAnswer } from '../aws/batch-service.ts';
import { SqsService, sqsError } from '../aws/sqs-api.ts';
import { defineEntry } from './harness.ts';

type Server = ServiceServer<Parameters<SqsService['golden']>[0] & { id: string }>;

export const entry = defineEntry<Server, ServiceAnswer>({
  type: 'sqs',
  start: () => ServiceServer.start(new SqsService()),
  receiver: (s) =>
    [
      '- name: q',
      '  sqs:',
      '    queueName: kube-events.fifo',
      '    region: us-east-1',
      `    endpoint: "${s.endpoint}"`,
    ].join('\n'),
  secrets: Object.values(AWS_TEST_CREDENTIALS),
  okAnswer: 'stored',
  answers: [
    { scenario: 'every message stored', serverAnswer: 'stored', expected: 'ok' },
    {
      scenario: 'Failed[] SenderFault=false InternalError',
      serverAnswer: { entry: { code: 'InternalError', message: 'Internal error.', senderFault: false } },
      expected: 'retry',
      reason: 'serverError',
    },
    {
      scenario: 'Failed[] SenderFault=true InvalidParameterValue',
      serverAnswer: {
        entry: { code: 'InvalidParameterValue', message: 'Invalid characters found.', senderFault: true },
      },
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: 'Failed[] SenderFault=true KmsThrottled',
      serverAnswer: { entry: { code: 'KmsThrottled', message: 'Throttled.', senderFault: true } },
      expected: 'retry',
      reason: 'rateLimited',
    },
    {
      scenario: '400 RequestThrottled (whole call)',
      serverAnswer: { whole: sqsError(400, 'RequestThrottled', 'RequestThrottled', 'Request is throttled.') },
      expected: 'retry',
      reason: 'rateLimited',
    },
    {
      scenario: '400 QueueDoesNotExist on SendMessageBatch',
      serverAnswer: {
        whole: sqsError(
          400,
          'QueueDoesNotExist',
          'AWS.SimpleQueueService.NonExistentQueue',
          'The specified queue does not exist.',
        ),
      },
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '403 InvalidClientTokenId echoing the credentials',
      serverAnswer: { whole: echoCredentials(403, 'InvalidClientTokenId') },
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '500 InternalError echoing the credentials',
      serverAnswer: { whole: echoCredentials(500, 'InternalError') },
      expected: 'retry',
      reason: 'serverError',
    },
  ],
});
