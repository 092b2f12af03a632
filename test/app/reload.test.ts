import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { startApp } from '../../src/app/app.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { ConfigMapDir } from './configmap-dir.ts';

// Reload through the real app and a ConfigMap-shaped directory: a bad config is reported once
// per distinct content, a good one is swapped in, whatever else is written next to them.

const SETTLE_MS = 300;

function config(receiver: string, extra = ''): string {
  return [
    'logLevel: debug',
    'route:',
    '  match:',
    `    - receiver: ${receiver}`,
    'receivers:',
    `  - name: ${receiver}`,
    '    stdout: {}',
    extra,
  ].join('\n');
}

class LogLines extends Writable {
  readonly lines: { msg: string; level: number }[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim() !== '') this.lines.push(JSON.parse(line) as { msg: string; level: number });
    }
    done();
  }
  count(msg: string): number {
    return this.lines.filter((l) => l.msg === msg).length;
  }
}

const FAILED = 'Config reload failed; the running config stays in force.';
const RELOADED = 'Config reloaded.';
const ALREADY_TRIED = 'Config file event, but its content was already tried; nothing to reload.';

describe('config reload', () => {
  it('reports a bad config once however often it is written, then swaps in a good one', async () => {
    const configMap = new ConfigMapDir(config('first'));
    const clock = new ManualClock();
    const log = new LogLines();
    const app = await startApp({
      configPath: configMap.configPath,
      // The demo at a crawl: a live source that stays up while the config changes.
      source: { kind: 'demo', speed: 1e-9 },
      metricsAddress: '',
      dryRun: true,
      clock,
      stdout: new Writable({ write: (_c, _e, done) => done() }),
      logDestination: log,
    });
    // Lets fs events in and fires the settle timer, until `predicate` holds (10 s of real time at most).
    const settle = async (predicate: () => boolean, what: string): Promise<void> => {
      const endMs = Date.now() + 10_000;
      while (!predicate()) {
        assert.ok(Date.now() < endMs, `timed out waiting for ${what}`);
        await clock.advance(SETTLE_MS);
      }
    };
    try {
      const bad = config('second', 'kubeQPS: fast');
      configMap.update(bad);
      await settle(() => log.count(FAILED) === 1, 'the failed reload');
      configMap.update(bad);
      await settle(() => log.count(ALREADY_TRIED) >= 1, 'the same content to be seen again');
      configMap.update(config('second'));
      await settle(() => log.count(RELOADED) === 1, 'the good config');
      assert.equal(log.count(FAILED), 1, 'the bad config written twice is reported once');
      const metrics = await app.metrics.text();
      assert.match(metrics, /config_reload_total\{result="failure"\} 1\n/);
      assert.match(metrics, /config_reload_total\{result="success"\} 1\n/);
    } finally {
      await app.stop();
    }
  });
});
