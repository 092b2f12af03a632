import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { startApp } from '../../src/app/app.ts';
import { REAL_EVENTS_PATH } from '../support/real-events.ts';

// A replay is an import of history: maxEventAgeSeconds (for live watches) does not drop its
// events, however old, and docs/configuration.md says so where the setting is described.

const DOC = new URL('../../docs/configuration.md', import.meta.url);

describe('replay and maxEventAgeSeconds', () => {
  it('a replay of events years old sends them all, as docs/configuration.md says', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ker-replay-age-'));
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      'maxEventAgeSeconds: 5\nroute:\n  match:\n    - receiver: out\nreceivers:\n  - name: out\n    stdout: {}\n',
    );
    const app = await startApp({
      configPath: config,
      source: { kind: 'replay', path: REAL_EVENTS_PATH },
      metricsAddress: '',
      dryRun: true,
      watchConfig: false,
      stdout: new Writable({ write: (_c, _e, done) => done() }),
      logDestination: new Writable({ write: (_c, _e, done) => done() }),
    });
    const result = await app.done;
    const metrics = await app.metrics.text();
    assert.doesNotMatch(metrics, /events_dropped_total\{reason="tooOld"\} [1-9]/);
    assert.ok(result.accepted > 900, `accepted ${result.accepted} of the 934 real events`);

    const row = readFileSync(DOC, 'utf8')
      .split('\n')
      .find((line) => line.startsWith('| `maxEventAgeSeconds`'));
    assert.ok(row !== undefined, 'docs/configuration.md describes maxEventAgeSeconds');
    assert.match(row, /Not applied with `--source replay:FILE`/);
  });
});
