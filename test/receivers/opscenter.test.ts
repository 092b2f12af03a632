// The opscenter receiver through the real @aws-sdk/client-ssm against a local server on Systems
// Manager's documented CreateOpsItem API (JSON 1.1, `__type` errors, OpsCenter's dedup string),
// replaying the real events; and `run` with the replay source end to end.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { startApp } from '../../src/app/app.ts';
import { createRenderer } from '../../src/output/payload.ts';
import { createReceiver } from './create-receiver.ts';
import type { Payload, SendResult } from '../../src/receivers/common/types.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { memoryLogger, realEvents, receiverFromYaml, someEvents } from '../output/helpers.ts';
import { REAL_EVENTS_PATH } from '../support/real-events.ts';
import { awsError, echoCredentials } from './aws-servers.ts';
import { ServiceServer } from './aws/batch-service.ts';
import type { ServiceAnswer } from './aws/batch-service.ts';
import { assertNoCredential, replay, tally } from './aws/replay.ts';
import { SsmService } from './aws/ssm-api.ts';
import type { OpsItemSeen } from './aws/ssm-api.ts';

const signal = new AbortController().signal;

function configProblems(item: string): string {
  try {
    receiverFromYaml(item);
    return '';
  } catch (err) {
    return String((err as Error).message);
  }
}

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

describe('opscenter replaying the real events through an Output', () => {
  const service = new SsmService();
  let server: ServiceServer<OpsItemSeen>;
  before(async () => {
    server = await ServiceServer.start(service);
  });
  after(() => server.close());
  const item = () =>
    `- name: o\n  opscenter:\n${OPTIONS}\n    region: us-east-1\n    endpoint: "${server.endpoint}"\n  retry: { initialDelayMs: 100, maxDelayMs: 100 }`;
  const dedupOf = (body: OpsItemSeen) =>
    (
      JSON.parse(
        (body['OperationalData'] as Record<string, { Value: string }>)['/aws/dedup']?.Value ?? '{}',
      ) as { dedupString: string }
    ).dedupString;

  it('every occurrence becomes one OpsItem; a throttled call is retried alone', async () => {
    const events = realEvents().slice(0, 300);
    let n = 0;
    service.refuse = () =>
      ++n % 13 === 0 ? { code: 'ThrottlingException', message: 'Rate exceeded' } : undefined;
    const result = await replay(item(), events);
    service.refuse = () => undefined;
    assert.equal(result.counts.count('delivered'), events.length);
    assert.deepEqual(
      tally(service.stored.map(dedupOf)),
      new Map([...tally(result.ids)].map(([id]) => [id, 1])),
      'one OpsItem per occurrence',
    );
    assertNoCredential('a log line', result.logText);
  });

  it('an auth failure (403 with the AWS error shape) is dead-lettered with the reason, no credential anywhere', async () => {
    server.answerWith({ whole: echoCredentials(403, 'UnrecognizedClientException') });
    const result = await replay(item(), realEvents().slice(0, 10));
    server.answerWith('stored');
    assert.equal(result.counts.count('deadLettered'), 10);
    for (const record of result.deadLetters) {
      assert.equal(record['reason'], 'clientError');
      assert.match(
        String(record['error']),
        /SSM CreateOpsItem failed: UnrecognizedClientException \(HTTP 403\)/,
      );
    }
    assertNoCredential('a log line', result.logText);
    assertNoCredential('a dead-letter line', JSON.stringify(result.deadLetters));
  });
});

describe('opscenter end to end: run with the replay source', () => {
  const service = new SsmService();
  let server: ServiceServer<OpsItemSeen>;
  let dir: string;
  before(async () => {
    server = await ServiceServer.start(service);
    dir = mkdtempSync(join(tmpdir(), 'ker-opscenter-'));
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every routed Warning becomes an OpsItem', async () => {
    const routed = join(dir, 'routed.ndjson');
    const configPath = join(dir, 'config.yaml');
    writeFileSync(
      configPath,
      [
        'route: { routes: [{ match: [{ type: "^Warning$", receiver: o }, { type: "^Warning$", receiver: routed }] }] }',
        'receivers:',
        '  - name: o',
        '    opscenter:',
        '      title: "{{ .Reason }}"',
        '      description: "{{ .Message }}"',
        '      source: EKS',
        `      endpoint: "${server.endpoint}"`,
        '      region: us-east-1',
        '  - name: routed',
        `    file: { path: "${routed}" }`,
        '',
      ].join('\n'),
    );
    const silent = new Writable({ write: (_chunk, _enc, done) => done() });
    const app = await startApp({
      configPath,
      source: { kind: 'replay', path: REAL_EVENTS_PATH },
      metricsAddress: '',
      logDestination: silent,
    });
    const result = await app.done;
    assert.equal(result.deadLettered, 0);
    const routedDocs = readFileSync(routed, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { reason?: string; message?: string });
    assert.ok(routedDocs.length > 100, `routed ${routedDocs.length}`);
    assert.deepEqual(
      tally(service.stored.map((b) => `${String(b['Title'])}|${String(b['Description'])}`)),
      tally(routedDocs.map((d) => `${d.reason ?? ''}|${d.message ?? ''}`)),
    );
  });
});
