// firehose: PutRecordBatch on Firehose's JSON 1.1 protocol. kinesalite has no Firehose API, so
// the local server of ../aws-servers.ts answers as the API reference documents (FailedPutCount,
// per-record ErrorCode ServiceUnavailableException / InternalFailure, `__type` errors).
import { AWS_TEST_CREDENTIALS, AwsConformanceServer, awsError, echoCredentials } from '../aws-servers.ts';
import type { AwsAnswerSpec } from '../aws-servers.ts';
import { defineEntry } from './harness.ts';

export const entry = defineEntry<AwsConformanceServer, AwsAnswerSpec>({
  type: 'firehose',
  start: () => AwsConformanceServer.start(),
  receiver: (s) =>
    [
      '- name: fh',
      '  firehose:',
      '    deliveryStreamName: kube-events',
      '    region: us-east-1',
      `    endpoint: "${s.endpoint}"`,
    ].join('\n'),
  secrets: Object.values(AWS_TEST_CREDENTIALS),
  okAnswer: 'stored',
  answers: [
    { scenario: 'every record stored', serverAnswer: 'stored', expected: 'ok' },
    {
      scenario: 'record ServiceUnavailableException',
      serverAnswer: { recordCode: 'ServiceUnavailableException' },
      expected: 'retry',
      reason: 'rateLimited',
    },
    {
      scenario: 'record InternalFailure',
      serverAnswer: { recordCode: 'InternalFailure' },
      expected: 'retry',
      reason: 'serverError',
    },
    {
      scenario: '400 ServiceUnavailableException (whole call)',
      serverAnswer: { whole: awsError(400, 'ServiceUnavailableException', 'Slow down.') },
      expected: 'retry',
      reason: 'rateLimited',
    },
    {
      scenario: '400 ResourceNotFoundException',
      serverAnswer: {
        whole: awsError(
          400,
          'ResourceNotFoundException',
          'Firehose kube-events under account 111122223333 not found.',
        ),
      },
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '400 InvalidArgumentException',
      serverAnswer: { whole: awsError(400, 'InvalidArgumentException', 'Records size exceeds limit') },
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '403 AccessDeniedException echoing the credentials',
      serverAnswer: { whole: echoCredentials(403, 'AccessDeniedException') },
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '500 InternalFailure echoing the credentials',
      serverAnswer: { whole: echoCredentials(500, 'InternalFailure') },
      expected: 'retry',
      reason: 'serverError',
    },
    {
      scenario: '503 ServiceUnavailable',
      serverAnswer: { whole: awsError(503, 'ServiceUnavailable', 'Service Unavailable') },
      expected: 'retry',
      reason: 'serverError',
    },
  ],
});
