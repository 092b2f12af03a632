import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isConfigChange, watchConfigFile } from '../../src/app/config-watch.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { ConfigMapDir } from './configmap-dir.ts';

const SETTLE_MS = 300;

describe('isConfigChange', () => {
  const cases = [
    { filename: 'config.yaml', change: true, why: 'the file itself' },
    { filename: '..data', change: true, why: "the ConfigMap's symlink swap" },
    { filename: '..data_tmp', change: false, why: 'the swap in progress' },
    { filename: '..2026_01_01_00_00_00.2', change: false, why: 'the new timestamped directory' },
    { filename: 'router.log', change: false, why: 'a log written next to the config' },
    { filename: 'config.yaml.swp', change: false, why: "an editor's swap file" },
    { filename: null, change: true, why: 'a platform that does not name the file' },
  ] as const;
  for (const c of cases) {
    it(`${String(c.filename)}: ${c.why}`, () => {
      assert.equal(isConfigChange('/etc/kube-event-router/config.yaml', c.filename), c.change);
    });
  }
});

/** Resolves once fs.watch reports `name` in `dir`: every earlier event in `dir` has been dispatched. */
function seen(dir: string, name: string): { done: Promise<void>; close: () => void } {
  let resolve = (): void => undefined;
  const done = new Promise<void>((r) => (resolve = r));
  const watcher = watch(dir, (_event, filename) => {
    if (filename === name) resolve();
  });
  return { done, close: () => watcher.close() };
}

/** Turns until `predicate` holds (each turn lets fs events in); fails after `limitMs` of real time. */
async function until(predicate: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const endMs = Date.now() + limitMs;
  while (!predicate()) {
    assert.ok(Date.now() < endMs, `timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('watchConfigFile', () => {
  it('ignores other files in the directory and reloads on the ConfigMap ..data swap', async () => {
    const configMap = new ConfigMapDir('route: {}\n');
    const clock = new ManualClock();
    let changes = 0;
    const watcher = watchConfigFile(configMap.configPath, clock, () => changes++);
    try {
      const sync = seen(configMap.dir, 'sentinel');
      for (let i = 0; i < 50; i++) appendFileSync(join(configMap.dir, 'router.log'), `line ${i}\n`);
      writeFileSync(join(configMap.dir, 'sentinel'), '');
      await sync.done;
      sync.close();
      assert.equal(clock.timers, 0, 'no reload was scheduled for the log or the sentinel');

      configMap.update('route: {}\nclusterName: b\n');
      await until(() => clock.timers > 0, 'the swap to be seen');
      await clock.advance(SETTLE_MS);
      assert.equal(changes, 1);
    } finally {
      watcher.close();
    }
  });

  it('reloads a plain file replaced or written in place, once per burst', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ker-watch-'));
    const path = join(dir, 'config.yaml');
    writeFileSync(path, 'route: {}\n');
    const clock = new ManualClock();
    let changes = 0;
    const watcher = watchConfigFile(path, clock, () => changes++);
    try {
      for (let i = 0; i < 3; i++) writeFileSync(path, `route: {}\nclusterName: c${i}\n`);
      await until(() => clock.timers > 0, 'the write to be seen');
      const sync = seen(dir, 'sentinel');
      writeFileSync(join(dir, 'sentinel'), '');
      await sync.done;
      sync.close();
      await clock.advance(SETTLE_MS);
      assert.equal(changes, 1);
    } finally {
      watcher.close();
    }
  });
});
