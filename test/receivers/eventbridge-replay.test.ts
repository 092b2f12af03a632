// The eventbridge receiver replaying the real events through an Output (every occurrence once, a
// refused entry sent again alone, an auth failure dead-lettered with its reason, no credential in
// any log line) and `run` with the replay source end to end; the calls in detail: eventbridge.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { startApp } from '../../src/app/app.ts';
import { REAL_EVENTS_PATH } from '../support/real-events.ts';
import { realEvents } from '../output/helpers.ts';
import { echoCredentials } from './aws-servers.ts';
import { ServiceServer } from './aws/batch-service.ts';
import { EventbridgeService } from './aws/eventbridge-api.ts';
import type { PutEntry } from './aws/eventbridge-api.ts';
import { assertNoCredential, occurrenceOf, replay, tally } from './aws/replay.ts';

describe('eventbridge replaying the real events through an Output', () => {
  const service = new EventbridgeService();
  let server: ServiceServer<PutEntry>;
  before(async () => {
    server = await ServiceServer.start(service);
  });
  after(() => server.close());
  const item = () =>
    `- name: eb\n  eventbridge: { detailType: kube-event, source: k8s.events, region: us-east-1, endpoint: "${server.endpoint}" }\n  retry: { initialDelayMs: 100, maxDelayMs: 100 }`;

  it('every occurrence arrives once; an entry refused inside a 200 answer is sent again alone', async () => {
    const events = realEvents();
    // Every 7th event's entry is refused once (throttled, then an internal failure).
    const refuseOnce = new Set(
      events.filter((_, i) => i % 7 === 3).map((e) => `${e.raw.metadata.uid}-${e.occurrence}`),
    );
    const refused = [...refuseOnce];
    service.refuse = (entry) => {
      const id = occurrenceOf(entry.detail);
      if (!refuseOnce.delete(id)) return undefined;
      return refuseOnce.size % 2 === 0
        ? { code: 'ThrottlingException', message: 'Rate exceeded' }
        : { code: 'InternalFailure', message: 'Internal failure' };
    };
    const before = server.requests.length;
    const result = await replay(item(), events);
    service.refuse = () => undefined;
    assert.equal(result.counts.count('delivered'), events.length);
    assert.deepEqual(
      tally(service.takeStored().map((e) => JSON.stringify((e as { detail: unknown }).detail))),
      tally(result.bodies.map((b) => JSON.stringify(JSON.parse(b)))),
      'every body stored as often as it was pushed',
    );
    const sent = tally(
      server.requests
        .slice(before)
        .flatMap((r) => (r.body['Entries'] as { Detail: string }[]).map((e) => occurrenceOf(e.Detail))),
    );
    const pushed = tally(result.bodies.map(occurrenceOf));
    for (const [id, n] of pushed)
      assert.equal(sent.get(id), n + (refused.includes(id) ? 1 : 0), `${id} sent ${sent.get(id)} times`);
    assertNoCredential('a log line', result.logText);
  });

  it('an auth failure (403 with the AWS error shape) is dead-lettered with the reason, no credential anywhere', async () => {
    server.answerWith({ whole: echoCredentials(403, 'UnrecognizedClientException') });
    const events = realEvents().slice(0, 20);
    const result = await replay(item(), events);
    server.answerWith('stored');
    assert.equal(result.counts.count('deadLettered'), 20);
    assert.equal(result.deadLetters.length, 20);
    for (const record of result.deadLetters) {
      assert.equal(record['reason'], 'clientError');
      assert.match(
        String(record['error']),
        /EventBridge PutEvents failed: UnrecognizedClientException \(HTTP 403\)/,
      );
    }
    assertNoCredential('a log line', result.logText);
    assertNoCredential('a dead-letter line', JSON.stringify(result.deadLetters));
  });
});

describe('eventbridge end to end: run with the replay source', () => {
  const service = new EventbridgeService();
  let server: ServiceServer<PutEntry>;
  let dir: string;
  before(async () => {
    server = await ServiceServer.start(service);
    dir = mkdtempSync(join(tmpdir(), 'ker-eventbridge-'));
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every routed event is put once, its detail the details layout', async () => {
    const routed = join(dir, 'routed.ndjson');
    const configPath = join(dir, 'config.yaml');
    writeFileSync(
      configPath,
      [
        'route: { routes: [{ match: [{ receiver: eb }, { receiver: routed }] }] }',
        'receivers:',
        '  - name: eb',
        `    eventbridge: { detailType: kube-event, source: k8s.events, region: us-east-1, endpoint: "${server.endpoint}", details: { uid: "{{ .UID }}", reason: "{{ .Reason }}" } }`,
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
      .map((l) => JSON.parse(l) as { metadata: { uid?: string }; reason?: string });
    assert.ok(routedDocs.length > 800, `routed ${routedDocs.length}`);
    const expected = routedDocs.map((d) =>
      JSON.stringify({ reason: d.reason ?? '', uid: d.metadata.uid ?? '' }),
    );
    const stored = service.stored.map((e) => e.detail);
    assert.deepEqual([...stored].sort(), [...expected].sort());
  });
});
