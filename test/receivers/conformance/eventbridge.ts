// eventbridge: PutEvents on EventBridge's JSON 1.1 protocol. No EventBridge emulator installs
// here, so the local server of ../aws/eventbridge-api.ts answers as the API reference documents
// (FailedEntryCount, per-entry ErrorCode, `__type` errors).
import { AWS_TEST_CREDENTIALS, awsError, echoCredentials } from '../aws-servers.ts';
import { ServiceServer } from '../aws/batch-service.ts';
import type { ServiceAnswer } from '../aws/batch-service.ts';
import { EventbridgeService } from '../aws/eventbridge-api.ts';
import type { PutEntry } from '../aws/eventbridge-api.ts';
import { defineEntry } from './harness.ts';

export const entry = defineEntry<ServiceServer<PutEntry>, ServiceAnswer>({
  type: 'eventbridge',
  start: () => ServiceServer.start(new EventbridgeService()),
  receiver: (s) =>
    [
      '- name: eb',
      '  eventbridge:',
      '    detailType: kube-event',
      '    source: k8s.events',
      '    eventBusName: ops',
      '    region: us-east-1',
      `    endpoint: "${s.endpoint}"`,
    ].join('\n'),
  secrets: Object.values(AWS_TEST_CREDENTIALS),
  okAnswer: 'stored',
  answers: [
    { scenario: 'every entry put', serverAnswer: 'stored', expected: 'ok' },
    {
      scenario: 'entry ThrottlingException',
      serverAnswer: { entry: { code: 'ThrottlingException', message: 'Rate exceeded' } },
      expected: 'retry',
      reason: 'rateLimited',
    },
    {
      scenario: 'entry InternalFailure',
      serverAnswer: { entry: { code: 'InternalFailure', message: 'Internal failure' } },
      expected: 'retry',
      reason: 'serverError',
    },
    {
      scenario: 'entry MalformedDetail',
      serverAnswer: { entry: { code: 'MalformedDetail', message: 'Detail is malformed.' } },
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: 'entry NotAuthorizedForSourceException',
      serverAnswer: {
        entry: { code: 'NotAuthorizedForSourceException', message: 'Not authorized for the source.' },
      },
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '400 ResourceNotFoundException (no such bus)',
      serverAnswer: { whole: awsError(400, 'ResourceNotFoundException', 'Event bus ops does not exist.') },
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '400 ThrottlingException (whole call)',
      serverAnswer: { whole: awsError(400, 'ThrottlingException', 'Rate exceeded') },
      expected: 'retry',
      reason: 'rateLimited',
    },
    {
      scenario: '403 UnrecognizedClientException echoing the credentials',
      serverAnswer: { whole: echoCredentials(403, 'UnrecognizedClientException') },
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '500 InternalException echoing the credentials',
      serverAnswer: { whole: echoCredentials(500, 'InternalException') },
      expected: 'retry',
      reason: 'serverError',
    },
  ],
});
