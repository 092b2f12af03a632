// Watch-stream fuzz (issue 7, item 5): the real router (startApp, kubernetes source) against the
// test API server, with hundreds of generated lines pushed into its open watch between real
// events. The process must never crash, every bad line must be counted as malformed and skipped,
// and every readable event (the real ones around them and the odd-but-valid lines) must reach
// the webhook exactly once.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { startApp, type App } from '../../src/app/app.ts';
import { KubeApiServer, type KubeObject } from '../support/kube-api-server.ts';
import { WebhookSink } from '../integration/webhook-sink.ts';
import { FUZZ_SEED } from './rng.ts';
import { freshEvent, realEventObjects, watchCorpus } from './watch-corpus.ts';

const CASES = Number(process.env['FUZZ_WATCH_CASES'] ?? 400);
const WAIT_MS = 30_000;

const failures: string[] = [];
const onRejection = (reason: unknown): void => void failures.push(`unhandledRejection: ${String(reason)}`);
const onException = (err: Error): void =>
  void failures.push(`uncaughtException: ${err.stack ?? err.message}`);

function sumOf(metricsText: string, name: string): number {
  return metricsText
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

function labelValues(metricsText: string, name: string, label: string): string[] {
  const re = new RegExp(`^${name}\\{.*${label}="((?:[^"\\\\]|\\\\.)*)"`);
  return metricsText.split('\n').flatMap((l) => re.exec(l)?.[1] ?? []);
}

describe(`watch-stream fuzz (seed ${FUZZ_SEED}, ${CASES} lines)`, () => {
  let server: KubeApiServer;
  let sink: WebhookSink;
  let app: App;
  let dir: string;
  const events = realEventObjects();
  let serial = 0;

  /** A real event through the store: the watch sees it as ADDED with a real resourceVersion. */
  const createGood = (): string => {
    const obj = freshEvent(events[serial % events.length] as KubeObject, `real-${serial++}`);
    const meta = obj['metadata'] as Record<string, unknown>;
    meta['namespace'] = 'fuzz';
    delete meta['uid'];
    return String(server.create(obj as KubeObject).metadata['uid']);
  };
  const deliveredUids = (): string[] =>
    sink.accepted.map((body) => String((JSON.parse(body) as { metadata?: { uid?: string } }).metadata?.uid));
  const waitDelivered = (uids: readonly string[], what: string): Promise<void> =>
    sink.until(
      () => {
        const got = new Set(deliveredUids());
        return uids.every((u) => got.has(u));
      },
      WAIT_MS,
      what,
    );

  /** Raw lines go only to open watches: wait for the router's (ready means listed, not watching). */
  const watchOpen = async (): Promise<void> => {
    for (let i = 0; server.openWatches === 0; i++) {
      assert.ok(i < 3000, 'the router never opened a watch');
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  before(async () => {
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtException', onException);
    server = await KubeApiServer.start();
    sink = await WebhookSink.start();
    dir = mkdtempSync(join(tmpdir(), 'ker-fuzz-watch-'));
    const kubeconfig = await server.writeKubeconfig(dir);
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      [
        'maxEventAgeSeconds: 3600',
        'kubeQPS: 1000',
        'kubeBurst: 1000',
        'omitLookup: true',
        'route:',
        '  match:',
        '    - receiver: hook',
        'receivers:',
        '  - name: hook',
        `    deadLetter: { path: ${join(dir, 'dead.ndjson')} }`,
        '    webhook:',
        `      endpoint: ${sink.url}`,
      ].join('\n'),
    );
    const silent = new Writable({ write: (_c, _e, done) => done() });
    app = await startApp({
      configPath: config,
      source: { kind: 'kubernetes' },
      kubeconfig,
      metricsAddress: '',
      logDestination: process.env['FUZZ_LOG'] === '1' ? process.stderr : silent,
    });
    await app.ready;
  });

  after(async () => {
    await app?.stop();
    await sink?.close();
    await server?.close();
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'counts and skips every bad line; every readable event arrives exactly once',
    { timeout: 120_000 },
    async () => {
      const corpus = watchCorpus(FUZZ_SEED, CASES, events);
      await watchOpen();
      const expected: string[] = [];
      for (const c of corpus) {
        expected.push(createGood());
        server.sendRawWatchLine(c.line);
        if (c.uid !== undefined) expected.push(c.uid);
      }
      expected.push(createGood());
      await waitDelivered(expected, `${expected.length} readable events`).catch(async (err: unknown) => {
        const got = new Set(deliveredUids());
        const missing = expected.filter((u) => !got.has(u));
        const names = corpus.filter((c) => c.uid !== undefined && missing.includes(c.uid)).map((c) => c.name);
        console.log(
          (await app.metrics.text())
            .split('\n')
            .filter((l) => /malformed|dropped|received/.test(l) && !l.startsWith('#'))
            .join('\n'),
        );
        throw new Error(
          `${String(err)}: ${missing.length} missing (${missing.slice(0, 5).join(', ')}; corpus cases ${names.slice(0, 10).join(', ')})`,
        );
      });

      const got = deliveredUids();
      const bad = corpus.filter((c) => c.expect === 'bad');
      const metrics = await app.metrics.text();
      const malformed = sumOf(metrics, 'kube_event_router_malformed_events_total');
      const reasons = labelValues(metrics, 'kube_event_router_malformed_events_total', 'reason');
      const readable = corpus.filter((c) => c.expect === 'good').length;
      console.log(
        `# watch fuzz: ${corpus.length} lines (${bad.length} bad, ${readable} readable, ${corpus.length - bad.length - readable} ignored) between ${expected.length - readable} real events; delivered ${got.length}; malformed counted ${malformed} under ${reasons.length} reasons`,
      );

      assert.deepEqual(failures, []);
      assert.equal(got.length, new Set(got).size, 'an event delivered twice');
      assert.deepEqual(
        got.filter((u) => !expected.includes(u)),
        [],
        'delivered something that was not a readable event',
      );
      assert.equal(malformed, bad.length, 'every bad line counted once');
      // The reason label is a small vocabulary, whatever the hostile input holds.
      assert.ok(reasons.length <= 40, `malformed reasons are unbounded: ${reasons.slice(0, 50).join(' | ')}`);
      assert.ok(
        reasons.every((r) => r.length <= 64),
        'a malformed reason label holds input',
      );
    },
  );

  it(
    'survives ERROR lines with odd Status objects: resumes and loses nothing',
    { timeout: 60_000 },
    async () => {
      const odd = [
        { type: 'ERROR', object: { kind: 'Status', code: '410' } },
        { type: 'ERROR', object: [] },
        { type: 'ERROR' },
        { type: 'ERROR', object: { kind: 'Status', code: -1, reason: {}, message: 7 } },
        {
          type: 'ERROR',
          object: { kind: 'Status', code: 410, reason: 'Expired', message: 'z'.repeat(100_000) },
        },
      ];
      for (const status of odd) {
        const watchesBefore = server.requestsWhere((r) => r.watch).length;
        await watchOpen();
        server.sendRawWatchLine(JSON.stringify(status));
        // Created while the router reconnects: the resume (or the re-list after a 410) brings it.
        const uid = createGood();
        await waitDelivered([uid], `the event after ${JSON.stringify(status).slice(0, 60)}`);
        await sink.until(
          () => server.requestsWhere((r) => r.watch).length > watchesBefore && server.openWatches > 0,
          WAIT_MS,
          'a new watch',
        );
        // A clean end makes the next watch healthy, which resets the backoff the errors grew.
        const confirm = createGood();
        await waitDelivered([confirm], 'an event on the new watch');
        server.endWatches();
      }
      const got = deliveredUids();
      assert.equal(got.length, new Set(got).size, 'an event delivered twice across the restarts');
      assert.deepEqual(failures, []);
    },
  );
});
