import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { startApp, type App } from '../../src/app/app.ts';
import { KubeApiServer, type KubeObject } from '../support/kube-api-server.ts';
import { WebhookSink } from './webhook-sink.ts';

// `run` against the Kubernetes protocol: the project's test API server (list/watch, bookmarks,
// 410 Gone) and a real webhook server. Every occurrence must arrive exactly once.

const PODS = 10;
const EVENTS = 700;
const BUMPS = 300;
const TIMEOUT_MS = Number(process.env['E2E_TIMEOUT_MS'] ?? 60_000);

function pod(i: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `web-${i}`, namespace: 'shop', labels: { app: 'web', shard: String(i) } },
  };
}

function event(i: number, count: number): KubeObject {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `web-${i % PODS}.${i}`, namespace: 'shop' },
    involvedObject: { kind: 'Pod', name: `web-${i % PODS}`, namespace: 'shop', apiVersion: 'v1' },
    reason: i % 3 === 0 ? 'BackOff' : 'Unhealthy',
    message: `occurrence of event ${i}`,
    type: 'Warning',
    count,
    firstTimestamp: now,
    lastTimestamp: now,
    source: { component: 'kubelet', host: 'node-1' },
  };
}

const silent = new Writable({ write: (_chunk, _enc, done) => done() });

describe('run against the test Kubernetes API server', () => {
  let server: KubeApiServer;
  let sink: WebhookSink;
  let app: App;
  const created = new Map<number, KubeObject>();

  before(async () => {
    server = await KubeApiServer.start({ bookmarkIntervalMs: 1000 });
    sink = await WebhookSink.start();
    const dir = mkdtempSync(join(tmpdir(), 'ker-e2e-'));
    const kubeconfig = await server.writeKubeconfig(dir);
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      [
        'maxEventAgeSeconds: 3600',
        'kubeQPS: 100',
        'kubeBurst: 100',
        'route:',
        '  routes:',
        '    - match:',
        '        - labels: { app: "^web$" }',
        '          receiver: hook',
        'receivers:',
        '  - name: hook',
        `    deadLetter: { path: ${join(dir, 'dead.ndjson')} }`,
        '    webhook:',
        `      endpoint: ${sink.url}`,
      ].join('\n'),
    );
    for (let i = 0; i < PODS; i++) server.create(pod(i));
    app = await startApp({
      configPath: config,
      source: { kind: 'kubernetes' },
      kubeconfig,
      metricsAddress: '127.0.0.1:0',
      logDestination: process.env['E2E_LOG'] === '1' ? process.stderr : silent,
    });
  });

  after(async () => {
    await app?.stop();
    await sink?.close();
    await server?.close();
  });

  it('delivers every occurrence exactly once through bumps, a 410 re-list and a dropped watch', async () => {
    const expected = new Set<string>();
    const add = (i: number): void => {
      const obj = server.create(event(i, 1));
      created.set(i, obj);
      expected.add(`${String(obj.metadata['uid'])}/1`);
    };
    const bump = (i: number): void => {
      const current = created.get(i);
      assert.ok(current !== undefined);
      const count = Number(current['count']) + 1;
      const obj = server.update({
        ...current,
        count,
        lastTimestamp: new Date(Date.now() + count * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
      });
      created.set(i, obj);
      expected.add(`${String(obj.metadata['uid'])}/${count}`);
    };
    const keys = (): string[] =>
      sink.accepted.map((body) => {
        const e = JSON.parse(body) as { metadata: { uid: string }; count: number };
        return `${e.metadata.uid}/${e.count}`;
      });

    await app.ready;
    for (let i = 0; i < 300; i++) add(i);
    for (let i = 0; i < 100; i++) bump(i);
    await sink.until(() => sink.accepted.length >= 400, TIMEOUT_MS, '400 deliveries before the gap');

    // Changes and a compaction while the watch is down (all in this tick, before it reconnects):
    // the resume gets 410 Gone, the router re-lists, and only the gap's occurrences pass.
    server.dropWatches();
    for (let i = 300; i < 500; i++) add(i);
    for (let i = 100; i < 200; i++) bump(i);
    server.compact();
    await sink.until(() => sink.accepted.length >= 700, TIMEOUT_MS, '700 deliveries after the 410');

    // A plain dropped connection: resume from the last resourceVersion.
    server.dropWatches();
    for (let i = 500; i < EVENTS; i++) add(i);
    for (let i = 200; i < BUMPS; i++) bump(i);
    await sink.until(() => sink.accepted.length >= EVENTS + BUMPS, TIMEOUT_MS, 'every delivery');

    const got = keys();
    const unique = new Set(got);
    const missing = [...expected].filter((k) => !unique.has(k));
    const duplicated = got.length - unique.size;
    const relists = server.requestsWhere((r) => r.kind === 'Event' && !r.watch && r.method === 'GET').length;
    console.log(
      `# occurrences expected=${expected.size} delivered=${got.length} missing=${missing.length} duplicated=${duplicated} event lists=${relists}`,
    );
    assert.equal(expected.size, EVENTS + BUMPS);
    assert.deepEqual(missing, []);
    assert.equal(duplicated, 0);
    assert.ok(relists >= 2, 'the 410 forced a re-list');

    const sample = JSON.parse(sink.accepted[0] ?? '{}') as {
      involvedObject?: { labels?: Record<string, string> };
    };
    assert.equal(sample.involvedObject?.labels?.['app'], 'web', 'enriched with the pod labels');
    assert.ok(sink.received.every((r) => typeof r.headers['idempotency-key'] === 'string'));

    const metrics = await app.metrics.text();
    assert.match(metrics, /kube_event_router_watch_restarts_total\{reason="gone"\} [1-9]/);
  });
});
