// `run` starts with an exporter config that has warnings, and logs each warning once at start.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { startApp } from '../../src/app/app.ts';
import { ManualClock } from '../../src/util/clock.ts';

const CONFIG = [
  'loglevel: debug',
  'route:',
  '  routes:',
  '    - drop:',
  '        - namespace: "*test*"',
  '      match:',
  '        - receiver: dump',
  'receivers:',
  '  - name: dump',
  '    stdout: {}',
  '',
].join('\n');

class LogLines extends Writable {
  readonly lines: { msg: string; warning?: string }[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString().split('\n'))
      if (line.trim() !== '') this.lines.push(JSON.parse(line) as { msg: string; warning?: string });
    done();
  }
}

describe('run with config warnings', () => {
  it('starts and logs each warning once', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ker-warn-')), 'config.yaml');
    writeFileSync(path, CONFIG);
    const log = new LogLines();
    const app = await startApp({
      configPath: path,
      source: { kind: 'demo', speed: 1e-9 },
      metricsAddress: '',
      dryRun: true,
      clock: new ManualClock(),
      stdout: new Writable({ write: (_c, _e, done) => done() }),
      logDestination: log,
    });
    try {
      const warnings = log.lines.filter((l) => l.msg === 'Config warning.').map((l) => l.warning ?? '');
      assert.equal(warnings.length, 2, JSON.stringify(log.lines));
      assert.match(warnings[0] ?? '', /config\.yaml:1:1 loglevel: unknown key "loglevel", ignored/);
      assert.match(
        warnings[1] ?? '',
        /config\.yaml:5:22 route\.routes\[0\]\.drop\[0\]\.namespace: invalid regular/,
      );
    } finally {
      await app.stop();
    }
  });
});
