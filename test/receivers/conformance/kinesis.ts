// kinesis: PutRecords on Kinesis' JSON 1.1 protocol (the local server of ../aws-servers.ts; the
// kinesalite tests are in ../kinesis.test.ts). Per-record ErrorCodes and whole-call errors.
import { AWS_TEST_CREDENTIALS, AwsConformanceServer, awsError, echoCredentials } from '../aws-servers.ts';
import type { AwsAnswerSpec } from '../aws-servers.ts';
import { defineEntry } from './harness.ts';

export const entry = defineEntry<AwsConformanceServer, AwsAnswerSpec>({
  type: 'kinesis',
  start: () => AwsConformanceServer.start(),
  receiver: (s) =>
    [
      '- name: ks',
      '  kinesis:',
      '    streamName: kube-events',
      '    region: us-east-1',
      `    endpoint: "${s.endpoint}"`,
    ].join('\n'),
  secrets: Object.values(AWS_TEST_CREDENTIALS),
  okAnswer: 'stored',
  answers: [
    { scenario: 'every record stored', serverAnswer: 'stored', expected: 'ok' },
    {
      scenario: 'record ProvisionedThroughputExceededException',
      serverAnswer: { recordCode: 'ProvisionedThroughputExceededException' },
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
      scenario: 'record KMSAccessDeniedException',
      serverAnswer: { recordCode: 'KMSAccessDeniedException' },
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '400 ProvisionedThroughputExceededException (whole call)',
      serverAnswer: {
        whole: awsError(
          400,
          'ProvisionedThroughputExceededException',
          'Rate exceeded for stream kube-events',
        ),
      },
      expected: 'retry',
      reason: 'rateLimited',
    },
    {
      scenario: '400 ResourceNotFoundException',
      serverAnswer: {
        whole: awsError(
          400,
          'ResourceNotFoundException',
          'Stream kube-events under account 111122223333 not found.',
        ),
      },
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '400 UnrecognizedClientException echoing the credentials',
      serverAnswer: { whole: echoCredentials(400, 'UnrecognizedClientException') },
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '400 ExpiredTokenException',
      serverAnswer: {
        whole: awsError(
          400,
          'ExpiredTokenException',
          'The security token included in the request is expired',
        ),
      },
      expected: 'retry',
      reason: 'serverError',
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
