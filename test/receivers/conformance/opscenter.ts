// opscenter: CreateOpsItem on Systems Manager's JSON 1.1 protocol. No Systems Manager emulator
// installs here, so the local server of ../aws/ssm-api.ts answers as the API reference documents
// (`OpsItemId`, `__type` errors, OpsCenter's dedup string).
import { AWS_TEST_CREDENTIALS, awsError, echoCredentials } from '../aws-servers.ts';
import { ServiceServer } from '../aws/batch-service.ts';
import type { ServiceAnswer } from '../aws/batch-service.ts';
import { SsmService } from '../aws/ssm-api.ts';
import type { OpsItemSeen } from '../aws/ssm-api.ts';
import { defineEntry } from './harness.ts';

export const entry = defineEntry<ServiceServer<OpsItemSeen>, ServiceAnswer>({
  type: 'opscenter',
  start: () => ServiceServer.start(new SsmService()),
  receiver: (s) =>
    [
      '- name: ops',
      '  opscenter:',
      '    title: "{{ .Reason }}: {{ .InvolvedObject.Kind }}/{{ .InvolvedObject.Name }}"',
      '    description: "{{ .Message }}"',
      '    source: EKS',
      '    category: Availability',
      '    severity: "3"',
      '    priority: "2"',
      '    operationalData: { namespace: "{{ .InvolvedObject.Namespace }}" }',
      '    tags: { cluster: "{{ .ClusterName }}" }',
      '    region: us-east-1',
      `    endpoint: "${s.endpoint}"`,
    ].join('\n'),
  secrets: Object.values(AWS_TEST_CREDENTIALS),
  okAnswer: 'stored',
  answers: [
    { scenario: 'OpsItem created', serverAnswer: 'stored', expected: 'ok' },
    {
      scenario: '400 OpsItemInvalidParameterException',
      serverAnswer: {
        entry: { code: 'OpsItemInvalidParameterException', message: 'A parameter is not valid.' },
      },
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '400 OpsItemLimitExceededException',
      serverAnswer: { entry: { code: 'OpsItemLimitExceededException', message: 'Too many OpsItems.' } },
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '400 OpsItemAlreadyExistsException (same dedup string)',
      serverAnswer: {
        entry: { code: 'OpsItemAlreadyExistsException', message: 'The OpsItem already exists.' },
      },
      expected: 'ok',
    },
    {
      scenario: '400 ThrottlingException',
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
      scenario: '500 InternalServerError echoing the credentials',
      serverAnswer: { whole: echoCredentials(500, 'InternalServerError') },
      expected: 'retry',
      reason: 'serverError',
    },
  ],
});
