import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { startApp, type App } from '../../src/app/app.ts';
import { KubeApiServer, type KubeObject } from '../support/kube-api-server.ts';
import { pollUntil } from '../support/poll.ts';
import { WebhookSink } from './webhook-sink.ts';

// Hot reload under load: the config file is replaced while events stream (as kubelet swaps a
// ConfigMap's files); every occurrence reaches the old or the new receiver, none is lost or doubled.

const BEFORE = 300;
const DURING = 300;
const AFTER = 300;

function event(i: number): KubeObject {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `api.${i}`, namespace: 'prod' },
    involvedObject: { kind: 'Pod', name: `api-${i % 7}`, namespace: 'prod', apiVersion: 'v1' },
    reason: 'Unhealthy',
    message: `Readiness probe failed (${i})`,
    type: 'Warning',
    count: 1,
    firstTimestamp: now,
    lastTimestamp: now,
  };
}

function configText(receiver: string, url: string, extra = ''): string {
  return [
    'maxEventAgeSeconds: 3600',
    'omitLookup: true',
    'route:',
    '  match:',
    `    - receiver: ${receiver}`,
    'receivers:',
    `  - name: ${receiver}`,
    '    queue: { policy: block }',
    '    webhook:',
    `      endpoint: ${url}`,
    extra,
  ].join('\n');
}

describe('config hot reload', () => {
  let server: KubeApiServer;
  let oldSink: WebhookSink;
  let newSink: WebhookSink;
  let app: App;
  let dir: string;
  let config: string;

  const replace = (text: string): void => {
    const tmp = join(dir, 'config.yaml.tmp');
    writeFileSync(tmp, text);
    renameSync(tmp, config);
  };

  before(async () => {
    server = await KubeApiServer.start();
    oldSink = await WebhookSink.start();
    newSink = await WebhookSink.start();
    dir = mkdtempSync(join(tmpdir(), 'ker-reload-'));
    config = join(dir, 'config.yaml');
    writeFileSync(config, configText('old', oldSink.url));
    app = await startApp({
      configPath: config,
      source: { kind: 'kubernetes' },
      kubeconfig: await server.writeKubeconfig(join(dir, 'kube')),
      metricsAddress: '',
      logDestination: new Writable({ write: (_c, _e, done) => done() }),
    });
    await app.ready;
  });

  after(async () => {
    await app?.stop();
    await oldSink?.close();
    await newSink?.close();
    await server?.close();
  });

  it('swaps receivers under load without losing an event, and keeps running on a broken config', async () => {
    const metric = async (re: RegExp): Promise<number> => Number(re.exec(await app.metrics.text())?.[1] ?? 0);
    const reloads = (result: string): Promise<number> =>
      metric(new RegExp(`config_reload_total\\{result="${result}"\\} (\\d+)`));
    const total = (): number => oldSink.accepted.length + newSink.accepted.length;
    const counts = (): string => `old=${oldSink.accepted.length} new=${newSink.accepted.length}`;
    // Polled: after the reload events reach the new sink only, so no one sink's requests may drive the check.
    const waitFor = (predicate: () => boolean | Promise<boolean>, what: string): Promise<void> =>
      pollUntil(predicate, { what, timeoutMs: 60_000, state: counts });

    for (let i = 0; i < BEFORE; i++) server.create(event(i));
    replace(configText('new', newSink.url));
    for (let i = BEFORE; i < BEFORE + DURING; i++) {
      server.create(event(i));
      if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await waitFor(async () => (await reloads('success')) === 1, 'the reload happened');
    for (let i = BEFORE + DURING; i < BEFORE + DURING + AFTER; i++) server.create(event(i));
    await waitFor(() => total() >= BEFORE + DURING + AFTER, 'every event');

    const uids = [...oldSink.accepted, ...newSink.accepted].map(
      (b) => (JSON.parse(b) as { metadata: { uid: string } }).metadata.uid,
    );
    console.log(
      `# reload under load: old=${oldSink.accepted.length} new=${newSink.accepted.length} total=${uids.length} unique=${new Set(uids).size}`,
    );
    assert.equal(new Set(uids).size, BEFORE + DURING + AFTER, 'none lost');
    assert.equal(uids.length, BEFORE + DURING + AFTER, 'none twice');
    assert.ok(newSink.accepted.length >= AFTER, 'events after the reload go to the new receiver');
    assert.ok(oldSink.accepted.length >= 1);

    // A broken config: reported, counted, and the running one stays in force.
    replace(configText('new', newSink.url, 'kubeQPS: fast'));
    await waitFor(async () => (await reloads('failure')) === 1, 'the failed reload was counted');
    server.create(event(10_000));
    await waitFor(() => total() === BEFORE + DURING + AFTER + 1, 'delivery after a failed reload');
  });
});
