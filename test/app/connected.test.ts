import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { writeFileSync } from 'node:fs';
import { startApp, type App } from '../../src/app/app.ts';
import { KubeApiServer } from '../support/kube-api-server.ts';

// "Connected to the Kubernetes API." is a claim about the API, not about the kubeconfig: it is
// logged once the API has answered a request with success, never before, never when it cannot.

const CONNECTING = 'Connecting to the Kubernetes API.';
const CONNECTED = 'Connected to the Kubernetes API.';
const WATCH_FAILED = 'Watch failed; retrying.';

class LogLines extends Writable {
  readonly msgs: string[] = [];
  private waiters: { msg: string; resolve: () => void }[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim() === '') continue;
      const msg = (JSON.parse(line) as { msg: string }).msg;
      this.msgs.push(msg);
      for (const w of this.waiters.filter((x) => x.msg === msg)) w.resolve();
    }
    done();
  }
  /** Resolves when a line with `msg` has been logged. */
  logged(msg: string): Promise<void> {
    if (this.msgs.includes(msg)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ msg, resolve }));
  }
  count(msg: string): number {
    return this.msgs.filter((m) => m === msg).length;
  }
}

async function kubeconfigOf(server: KubeApiServer): Promise<string> {
  return server.writeKubeconfig(mkdtempSync(join(tmpdir(), 'ker-connected-kube-')));
}

async function start(kubeconfig: string, log: LogLines): Promise<App> {
  const dir = mkdtempSync(join(tmpdir(), 'ker-connected-'));
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    'checkpoint: { enabled: false }\nroute:\n  match:\n    - receiver: out\nreceivers:\n  - name: out\n    stdout: {}\n',
  );
  return startApp({
    configPath: config,
    source: { kind: 'kubernetes' },
    kubeconfig,
    metricsAddress: '',
    dryRun: true,
    watchConfig: false,
    stdout: new Writable({ write: (_c, _e, done) => done() }),
    logDestination: log,
  });
}

describe('"Connected to the Kubernetes API."', () => {
  it('is logged once, after the first successful answer', async () => {
    const server = await KubeApiServer.start();
    const log = new LogLines();
    const app = await start(await kubeconfigOf(server), log);
    try {
      await app.ready;
      await log.logged(CONNECTED);
      assert.ok(log.msgs.indexOf(CONNECTING) < log.msgs.indexOf(CONNECTED));
      assert.ok(server.requests.length > 0);
      assert.equal(log.count(CONNECTED), 1);
    } finally {
      await app.stop();
      await server.close();
    }
  });

  const failures = [
    { name: 'nothing listens (ECONNREFUSED)', down: true, status: 0 },
    { name: 'the API answers 500', down: false, status: 500 },
    { name: 'the API refuses the credentials (401)', down: false, status: 401 },
  ] as const;
  for (const f of failures) {
    it(`is not logged when ${f.name}`, async () => {
      const server = await KubeApiServer.start();
      const kubeconfig = await kubeconfigOf(server);
      if (f.down) await server.close();
      else server.failNext(1_000_000, f.status);
      const log = new LogLines();
      const app = await start(kubeconfig, log);
      try {
        await log.logged(WATCH_FAILED);
        assert.equal(log.count(CONNECTING), 1);
        assert.equal(log.count(CONNECTED), 0);
      } finally {
        await app.stop();
        if (!f.down) await server.close();
      }
    });
  }
});
