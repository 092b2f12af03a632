// The opscenter receiver through the real @aws-sdk/client-ssm against a local server on Systems
// Manager's documented CreateOpsItem API (JSON 1.1, `__type` errors, OpsCenter's dedup string),
// config, calls and the answer → action table
// (the real events replayed through an Output and `run`: opscenter-replay.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRenderer } from '../../src/output/payload.ts';
import { createReceiver } from './create-receiver.ts';
import type { Payload, SendResult } from '../../src/receivers/common/types.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { configProblems, memoryLogger, receiverFromYaml, someEvents } from '../output/helpers.ts';
import { awsError } from './aws-servers.ts';
import { ServiceServer } from './aws/batch-service.ts';
import type { ServiceAnswer } from './aws/batch-service.ts';
import { SsmService } from './aws/ssm-api.ts';
import type { OpsItemSeen } from './aws/ssm-api.ts';

const signal = new AbortController().signal;

function summary(result: SendResult): unknown[] {
  switch (result.kind) {
    case 'ok':
      return ['ok'];
    case 'retry':
    case 'drop':
      return [result.kind, result.reason, result.error.message];
    case 'partial':
      return ['partial', result.retry, result.drop.map((d) => [d.index, d.reason, d.error.message])];
  }
}

const OPTIONS = [
  '    title: "{{ .Reason }}: {{ .InvolvedObject.Kind }} {{ .InvolvedObject.Name }}"',
  '    description: "{{ .Message }}"',
  '    source: "EKS"',
  '    category: "Availability"',
  '    severity: "{{ if eq .Type \\"Warning\\" }}2{{ else }}4{{ end }}"',
  '    priority: "3"',
  '    operationalData: { namespace: "{{ .InvolvedObject.Namespace }}", reason: "{{ .Reason }}" }',
  '    tags: { cluster: "prod-1" }',
  '    notifications: ["arn:aws:sns:us-east-1:111122223333:ops"]',
  '    relatedOpsItems: ["oi-0123456789ab"]',
].join('\n');

describe('opscenter config', () => {
  const cases: { name: string; item: string; problem: RegExp }[] = [
    {
      name: 'a missing title',
      item: '- name: o\n  opscenter: { description: d, source: s }',
      problem: /opscenter\.title/,
    },
    {
      name: 'a template error in operationalData, at its path',
      item: '- name: o\n  opscenter: { title: t, description: d, source: s, operationalData: { r: "{{ .Reason" } }',
      problem: /opscenter\.operationalData\.r/,
    },
    {
      name: 'operationalData as a list (the exporter README shape)',
      item: '- name: o\n  opscenter: { title: t, description: d, source: s, operationalData: [{ Reason: x }] }',
      problem: /opscenter\.operationalData/,
    },
  ];
  for (const c of cases) it(`rejects ${c.name}`, () => assert.match(configProblems(c.item), c.problem));
});

describe('opscenter against a local CreateOpsItem server', () => {
  const service = new SsmService();
  let server: ServiceServer<OpsItemSeen>;
  before(async () => {
    server = await ServiceServer.start(service);
  });
  after(() => server.close());

  const item = (options = OPTIONS) =>
    `- name: o\n  opscenter:\n${options}\n    region: us-east-1\n    endpoint: "${server.endpoint}"\n    timeoutMs: 5000`;

  async function send(batch: readonly Payload[] | number, answer: ServiceAnswer = 'stored', yaml = item()) {
    server.answerWith(answer);
    const config = receiverFromYaml(yaml);
    const receiver = createReceiver(config, { clock: new ManualClock(), logger: memoryLogger().logger });
    const payloads = typeof batch === 'number' ? someEvents(batch, 300).map(createRenderer(config)) : batch;
    try {
      return await receiver.send(payloads, signal);
    } finally {
      await receiver.close();
      server.answerWith('stored');
    }
  }

  it('creates one OpsItem per event with every option rendered, signed for ssm', async () => {
    const before = server.requests.length;
    assert.deepEqual(await send(2), { kind: 'ok' });
    const calls = server.requests.slice(before);
    assert.deepEqual(
      calls.map((r) => r.target),
      ['AmazonSSM.CreateOpsItem', 'AmazonSSM.CreateOpsItem'],
    );
    assert.match(String(calls[0]?.headers.authorization), /\/us-east-1\/ssm\/aws4_request/);
    const events = someEvents(2, 300);
    const event = events[0];
    assert.ok(event !== undefined);
    const id = `${event.raw.metadata.uid}-${event.occurrence}`;
    assert.deepEqual(calls[0]?.body, {
      Title: `${event.raw.reason}: ${event.raw.involvedObject.kind} ${event.raw.involvedObject.name}`,
      Description: event.raw.message,
      Source: 'EKS',
      Category: 'Availability',
      Severity: event.raw.type === 'Warning' ? '2' : '4',
      Priority: 3,
      OperationalData: {
        namespace: { Type: 'SearchableString', Value: event.raw.involvedObject.namespace ?? '' },
        reason: { Type: 'SearchableString', Value: event.raw.reason },
        '/aws/dedup': { Type: 'SearchableString', Value: JSON.stringify({ dedupString: id }) },
      },
      Tags: [{ Key: 'cluster', Value: 'prod-1' }],
      Notifications: [{ Arn: 'arn:aws:sns:us-east-1:111122223333:ops' }],
      RelatedOpsItems: [{ OpsItemId: 'oi-0123456789ab' }],
    });
  });

  it('a retried event creates no second OpsItem: the dedup string answers OpsItemAlreadyExists, counted as delivered', async () => {
    const config = receiverFromYaml(item());
    const payloads = someEvents(1, 400).map(createRenderer(config));
    const stored = service.stored.length;
    assert.deepEqual(await send(payloads), { kind: 'ok' });
    assert.deepEqual(await send(payloads), { kind: 'ok' });
    assert.equal(service.stored.length, stored + 1);
  });

  it('a priority that renders to no integer is dead-lettered before the call; the others are created', async () => {
    const options = OPTIONS.replace('priority: "3"', 'priority: "{{ .Reason }}"');
    const result = summary(await send(2, 'stored', item(options)));
    assert.equal(result[0], 'drop');
    assert.match(String(result[2]), /^priority must be an integer, got "/);
  });

  const table: { scenario: string; answer: ServiceAnswer; expected: unknown[] }[] = [
    {
      scenario: '400 OpsItemInvalidParameterException',
      answer: {
        entry: {
          code: 'OpsItemInvalidParameterException',
          message: 'A specified parameter argument is not valid.',
        },
      },
      expected: [
        'drop',
        'clientError',
        'SSM CreateOpsItem failed: OpsItemInvalidParameterException (HTTP 400): A specified parameter argument is not valid.',
      ],
    },
    {
      scenario: '400 OpsItemLimitExceededException',
      answer: {
        entry: {
          code: 'OpsItemLimitExceededException',
          message: 'The request caused OpsItems to exceed the limit.',
        },
      },
      expected: [
        'drop',
        'clientError',
        'SSM CreateOpsItem failed: OpsItemLimitExceededException (HTTP 400): The request caused OpsItems to exceed the limit.',
      ],
    },
    {
      scenario: '400 ThrottlingException',
      answer: { whole: awsError(400, 'ThrottlingException', 'Rate exceeded') },
      expected: [
        'retry',
        'rateLimited',
        'SSM CreateOpsItem failed: ThrottlingException (HTTP 400): Rate exceeded',
      ],
    },
    {
      scenario: '500 InternalServerError',
      answer: { whole: awsError(500, 'InternalServerError', 'An error occurred on the server side.') },
      expected: [
        'retry',
        'serverError',
        'SSM CreateOpsItem failed: InternalServerError (HTTP 500): An error occurred on the server side.',
      ],
    },
  ];
  for (const c of table)
    it(`classifies ${c.scenario}`, async () => {
      assert.deepEqual(summary(await send(1, c.answer)), c.expected);
    });

  it('a throttled call stops the batch: the items not created yet are retried, the created ones are not', async () => {
    let calls = 0;
    server.answerWith('stored');
    const config = receiverFromYaml(item());
    const receiver = createReceiver(config, { clock: new ManualClock(), logger: memoryLogger().logger });
    service.refuse = () =>
      ++calls === 2 ? { code: 'ThrottlingException', message: 'Rate exceeded' } : undefined;
    const result = await receiver.send(someEvents(4, 500).map(createRenderer(config)), signal);
    await receiver.close();
    service.refuse = () => undefined;
    assert.deepEqual(summary(result).slice(0, 3), ['partial', [1, 2, 3], []]);
    assert.equal(calls, 2);
  });
});
