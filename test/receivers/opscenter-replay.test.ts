// The opscenter receiver replaying the real events through an Output (every occurrence once, a
// refused entry sent again alone, an auth failure dead-lettered with its reason, no credential in
// any log line) and `run` with the replay source end to end; the calls in detail: opscenter.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { startApp } from '../../src/app/app.ts';
import { realEvents } from '../output/helpers.ts';
import { REAL_EVENTS_PATH } from '../support/real-events.ts';
import { echoCredentials } from './aws-servers.ts';
import { ServiceServer } from './aws/batch-service.ts';
import { assertNoCredential, replay, tally } from './aws/replay.ts';
import { SsmService } from './aws/ssm-api.ts';
import type { OpsItemSeen } from './aws/ssm-api.ts';

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
