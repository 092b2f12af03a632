// The eventbridge receiver through the real @aws-sdk/client-eventbridge against a local server
// on EventBridge's documented PutEvents API (JSON 1.1, FailedEntryCount, per-entry ErrorCode),
// config, calls and the answer → action table
// (the real events replayed through an Output and `run`: eventbridge-replay.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfigText } from '../../src/config/load.ts';
import { createRenderer } from '../../src/output/payload.ts';
import type { Payload, SendResult } from '../../src/receivers/common/types.ts';
import { createReceiver } from './create-receiver.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { memoryLogger, realEvents, receiverFromYaml, someEvents } from '../output/helpers.ts';
import { awsError } from './aws-servers.ts';
import { ServiceServer } from './aws/batch-service.ts';
import type { ServiceAnswer } from './aws/batch-service.ts';
import { EventbridgeService } from './aws/eventbridge-api.ts';
import type { PutEntry } from './aws/eventbridge-api.ts';

const signal = new AbortController().signal;

function problems(item: string): string {
  try {
    const text = `route: {}\nreceivers:\n${item.replace(/^/gm, '  ')}\n`;
    const loaded = loadConfigText(text, { fileName: 'c.yaml', env: {} });
    return loaded.warnings.join('\n');
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

describe('eventbridge config', () => {
  const cases: { name: string; item: string; problem: RegExp }[] = [
    {
      name: 'a missing detailType, naming the path',
      item: '- name: eb\n  eventbridge: { source: cd }',
      problem: /receivers\[0\]\.eventbridge\.detailType/,
    },
    {
      name: 'maxEvents above the 10 entries of PutEvents',
      item: '- name: eb\n  eventbridge: { source: cd, detailType: d }\n  batch: { maxEvents: 11 }',
      problem: /batch\.maxEvents: 11 is above the eventbridge limit of 10/,
    },
    {
      name: 'a template error inside details, at its own path',
      item: '- name: eb\n  eventbridge:\n    source: cd\n    detailType: d\n    details: { reason: "{{ .Reason" }',
      problem: /eventbridge\.details\.reason/,
    },
    {
      name: 'a layout key, ignored as by the exporter, with a warning',
      item: '- name: eb\n  eventbridge: { source: cd, detailType: d, layout: { a: "{{ .Reason }}" } }',
      problem: /eventbridge\.layout.*is ignored.*details/,
    },
  ];
  for (const c of cases) it(`reports ${c.name}`, () => assert.match(problems(c.item), c.problem));

  it("takes the exporter's README config, details acting as the layout", () => {
    const config = receiverFromYaml(
      [
        '- name: eventbridge',
        '  eventbridge:',
        '    detailType: "deployment"',
        '    source: "cd"',
        '    eventBusName: "default"',
        '    region: "ap-southeast-1"',
        '    details:',
        '      message: "{{ .Message }}"',
        '      reason: "{{ .Reason }}"',
      ].join('\n'),
    );
    assert.deepEqual(config.batch, { maxEvents: 10, maxBytes: 262_144, flushIntervalMs: 500 });
    const event = realEvents()[0];
    assert.ok(event !== undefined);
    assert.deepEqual(JSON.parse(createRenderer(config)(event).body), {
      message: event.raw.message,
      reason: event.raw.reason,
    });
  });
});

describe('eventbridge against a local PutEvents server', () => {
  const service = new EventbridgeService();
  let server: ServiceServer<PutEntry>;
  before(async () => {
    server = await ServiceServer.start(service);
  });
  after(() => server.close());

  const item = (extra = '') =>
    `- name: eb\n  eventbridge: { detailType: kube-event, source: k8s.events, eventBusName: ops, region: us-east-1, endpoint: "${server.endpoint}", timeoutMs: 300${extra} }`;

  async function send(batch: readonly Payload[], answer: ServiceAnswer = 'stored'): Promise<SendResult> {
    server.answerWith(answer);
    const config = receiverFromYaml(item());
    const receiver = createReceiver(config, { clock: new ManualClock(), logger: memoryLogger().logger });
    try {
      return await receiver.send(batch, signal);
    } finally {
      await receiver.close();
    }
  }

  const payloads = (n: number, offset = 0) =>
    someEvents(n, offset).map(createRenderer(receiverFromYaml(item())));

  it('puts each payload as the detail of an entry with the configured source, detail-type and bus, signed for events', async () => {
    const before = server.requests.length;
    const stored = service.stored.length;
    const batch = payloads(3);
    assert.deepEqual(await send(batch), { kind: 'ok' });
    const req = server.requests[before];
    assert.equal(req?.target, 'AWSEvents.PutEvents');
    assert.match(
      String(req?.headers.authorization),
      /Credential=AKIAKERTEST7EXAMPLE1\/\d{8}\/us-east-1\/events\/aws4_request/,
    );
    assert.deepEqual(
      service.stored.slice(stored),
      batch.map((p) => ({
        source: 'k8s.events',
        detailType: 'kube-event',
        detail: p.body,
        eventBusName: 'ops',
        time: Date.UTC(2026, 0, 1) / 1000,
      })),
    );
  });

  it('splits 25 payloads into calls of at most 10 entries, and calls above 256 KiB into smaller ones', async () => {
    const before = server.requests.length;
    assert.deepEqual(await send(payloads(25)), { kind: 'ok' });
    assert.deepEqual(
      server.requests.slice(before).map((r) => (r.body['Entries'] as unknown[]).length),
      [10, 10, 5],
    );
    const big = (i: number): Payload => {
      const body = JSON.stringify({ i, pad: 'x'.repeat(100_000) });
      return { id: `big-${i}`, body, bytes: Buffer.byteLength(body), templated: {} };
    };
    const mark = server.requests.length;
    assert.deepEqual(await send([0, 1, 2, 3, 4].map(big)), { kind: 'ok' });
    assert.deepEqual(
      server.requests.slice(mark).map((r) => (r.body['Entries'] as unknown[]).length),
      [2, 2, 1],
    );
  });

  it('dead-letters an entry above 256 KiB with the reason and puts the others', async () => {
    const batch = payloads(2);
    const body = JSON.stringify({ pad: 'x'.repeat(262_144) });
    batch.splice(1, 0, { id: 'huge-1', body, bytes: Buffer.byteLength(body), templated: {} });
    assert.deepEqual(summary(await send(batch)), [
      'partial',
      [],
      [[1, 'clientError', 'entry is 262191 bytes, above the EventBridge limit of 262144 per PutEvents call']],
    ]);
  });

  const table: { scenario: string; answer: ServiceAnswer; expected: unknown[] }[] = [
    {
      scenario: 'every entry refused with ThrottlingException',
      answer: { entry: { code: 'ThrottlingException', message: 'Rate exceeded' } },
      expected: ['retry', 'rateLimited', 'every record was refused (ThrottlingException ×2)'],
    },
    {
      scenario: 'every entry refused with InternalFailure',
      answer: { entry: { code: 'InternalFailure', message: 'Internal failure' } },
      expected: ['retry', 'serverError', 'every record was refused (InternalFailure ×2)'],
    },
    {
      scenario: 'every entry refused with MalformedDetail',
      answer: { entry: { code: 'MalformedDetail', message: 'Detail is malformed.' } },
      expected: ['drop', 'clientError', 'EventBridge entry failed: MalformedDetail: Detail is malformed.'],
    },
    {
      scenario: '400 ResourceNotFoundException (no such bus)',
      answer: { whole: awsError(400, 'ResourceNotFoundException', 'Event bus ops does not exist.') },
      expected: [
        'drop',
        'clientError',
        'EventBridge PutEvents failed: ResourceNotFoundException (HTTP 400): Event bus ops does not exist.',
      ],
    },
    {
      scenario: '400 ThrottlingException (whole call)',
      answer: { whole: awsError(400, 'ThrottlingException', 'Rate exceeded') },
      expected: [
        'retry',
        'rateLimited',
        'EventBridge PutEvents failed: ThrottlingException (HTTP 400): Rate exceeded',
      ],
    },
    {
      scenario: '500 InternalException',
      answer: { whole: awsError(500, 'InternalException', 'Internal error') },
      expected: [
        'retry',
        'serverError',
        'EventBridge PutEvents failed: InternalException (HTTP 500): Internal error',
      ],
    },
  ];
  for (const c of table) {
    it(`classifies ${c.scenario}`, async () => {
      assert.deepEqual(summary(await send(payloads(2), c.answer)), c.expected);
    });
  }

  it('times out after timeoutMs as a retry', async () => {
    const result = await send(payloads(1), { whole: () => undefined });
    assert.deepEqual(summary(result).slice(0, 2), ['retry', 'timeout']);
  });
});
