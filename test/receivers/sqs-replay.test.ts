// The sqs receiver replaying the real events through an Output (every occurrence once, a
// refused entry sent again alone, an auth failure dead-lettered with its reason, no credential in
// any log line) and `run` with the replay source end to end; the calls in detail: sqs.test.ts.
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
import { assertNoCredential, occurrenceOf, replay, tally } from './aws/replay.ts';
import { SqsService } from './aws/sqs-api.ts';

describe('sqs replaying the real events through an Output', () => {
  const service = new SqsService();
  let server: ServiceServer<Parameters<SqsService['golden']>[0] & { id: string }>;
  before(async () => {
    server = await ServiceServer.start(service);
  });
  after(() => server.close());
  const item = () =>
    `- name: q\n  sqs: { queueName: kube-events.fifo, region: us-east-1, endpoint: "${server.endpoint}" }\n  retry: { initialDelayMs: 100, maxDelayMs: 100 }`;

  it('every occurrence arrives once; a message in Failed[] is sent again alone', async () => {
    const events = realEvents();
    const refuseOnce = new Set(
      events.filter((_, i) => i % 9 === 4).map((e) => `${e.raw.metadata.uid}-${e.occurrence}`),
    );
    const refused = new Set(refuseOnce);
    service.refuse = (m) =>
      refuseOnce.delete(occurrenceOf(m.body))
        ? { code: 'InternalError', message: 'We encountered an internal error.', senderFault: false }
        : undefined;
    const before = server.requests.length;
    const result = await replay(item(), events);
    service.refuse = () => undefined;
    assert.equal(result.counts.count('delivered'), events.length);
    assert.deepEqual(
      tally(service.stored.map((m) => m.body)),
      tally(result.bodies),
      'every body stored as often as pushed',
    );
    const sent = tally(
      server.requests
        .slice(before)
        .filter((r) => r.target === 'AmazonSQS.SendMessageBatch')
        .flatMap((r) =>
          (r.body['Entries'] as { MessageBody: string }[]).map((e) => occurrenceOf(e.MessageBody)),
        ),
    );
    for (const [id, n] of tally(result.bodies.map(occurrenceOf)))
      assert.equal(sent.get(id), n + (refused.has(id) ? 1 : 0), `${id} sent ${sent.get(id)} times`);
    assertNoCredential('a log line', result.logText);
  });

  it('an auth failure (403 InvalidClientTokenId) is dead-lettered with the reason, no credential anywhere', async () => {
    server.answerWith({ whole: echoCredentials(403, 'InvalidClientTokenId') });
    service.lookupAnswer = undefined;
    const result = await replay(item(), realEvents().slice(0, 15));
    server.answerWith('stored');
    assert.equal(result.counts.count('deadLettered'), 15);
    for (const record of result.deadLetters) {
      assert.equal(record['reason'], 'clientError');
      assert.match(String(record['error']), /SQS SendMessageBatch failed: InvalidClientTokenId \(HTTP 403\)/);
    }
    assertNoCredential('a log line', result.logText);
    assertNoCredential('a dead-letter line', JSON.stringify(result.deadLetters));
  });
});

describe('sqs end to end: run with the replay source', () => {
  const service = new SqsService();
  let server: ServiceServer<Parameters<SqsService['golden']>[0] & { id: string }>;
  let dir: string;
  before(async () => {
    server = await ServiceServer.start(service);
    dir = mkdtempSync(join(tmpdir(), 'ker-sqs-'));
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every routed event is a message of the queue, once', async () => {
    const routed = join(dir, 'routed.ndjson');
    const configPath = join(dir, 'config.yaml');
    writeFileSync(
      configPath,
      [
        'route: { routes: [{ match: [{ receiver: q }, { receiver: routed }] }] }',
        'receivers:',
        '  - name: q',
        `    sqs: { queueName: kube-events, region: us-east-1, endpoint: "${server.endpoint}" }`,
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
    const routedLines = readFileSync(routed, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    assert.ok(routedLines.length > 800, `routed ${routedLines.length}`);
    assert.deepEqual(tally(service.stored.map((m) => m.body)), tally(routedLines));
  });
});
