// No configured secret leaks (issue 7, item 6): one config with a receiver of every registered
// type that has a conformance entry, each with its tokens, passwords, API keys, signing secrets
// and URL credentials from the environment, run by the real app (startApp, replay source)
// against local servers that refuse every send (echoing the request back). No secret may appear
// in a log line, a dead-letter line, the metrics text, or the output of `check` (passing or not).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startApp } from '../../src/app/app.ts';
import { ConfigError, loadConfigText } from '../../src/config/load.ts';
import { RECEIVER_SPECS } from '../../src/receivers/registry.ts';
import type { ConformanceEntry, StartedEntry } from '../receivers/conformance/harness.ts';
import { conformanceEntries } from './entries.ts';
import { realEventLines } from '../support/real-events.ts';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;

interface Running {
  readonly entry: ConformanceEntry;
  readonly started: StartedEntry;
  readonly name: string;
  readonly deadLetterPath: string;
}

/** The first refusing row, preferring one that echoes the request into its answer. */
function refusingRow(entry: ConformanceEntry): number {
  const rows = entry.answers.map((row, i) => ({ row, i })).filter(({ row }) => row.expected !== 'ok');
  const echo = rows.find(({ row }) => /echo/i.test(row.scenario));
  return (echo ?? rows[0])?.i ?? -1;
}

/** A receiver item under a new name, with one attempt and a dead-letter file. */
function item(yaml: string, name: string, deadLetterPath: string): string {
  const lines = yaml.trim().split('\n');
  lines[0] = `- name: ${name}`;
  lines.push('  retry: { maxAttempts: 1 }', `  deadLetter: { path: ${JSON.stringify(deadLetterPath)} }`);
  return lines.map((l) => `  ${l}`).join('\n');
}

function leaks(secrets: readonly string[], text: string): string[] {
  return secrets.filter((s) => text.includes(s));
}

describe('security: no secret in logs, errors, dead letters, metrics or check output', () => {
  let dir: string;
  let entries: Map<string, ConformanceEntry>;
  const running: Running[] = [];
  let configPath: string;
  let env: Record<string, string> = {};
  let secrets: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ker-secrets-'));
    entries = await conformanceEntries();
    for (const spec of RECEIVER_SPECS) {
      const entry = entries.get(spec.type);
      if (entry === undefined) continue; // the conformance suite fails for a type without an entry
      const started = await entry.start();
      const row = refusingRow(entry);
      if (row >= 0) started.answer(row);
      running.push({
        entry,
        started,
        name: `sec-${spec.type}`,
        deadLetterPath: join(dir, `${spec.type}.dead.ndjson`),
      });
      env = { ...env, ...entry.env };
      secrets = [...secrets, ...entry.secrets];
    }
    const config = [
      'logLevel: trace',
      'logFormat: json',
      'route:',
      '  match:',
      ...running.map((r) => `    - receiver: ${r.name}`),
      'receivers:',
      ...running.map((r) => item(r.started.receiverYaml, r.name, r.deadLetterPath)),
      '',
    ].join('\n');
    configPath = join(dir, 'config.yaml');
    writeFileSync(configPath, config);
    const events = realEventLines().slice(0, 3).join('\n');
    writeFileSync(join(dir, 'events.ndjson'), `${events}\n`);
  });

  after(async () => {
    for (const r of running) await r.started.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the secrets are configured (the test checks something)', () => {
    assert.ok(running.length >= 3, `${running.length} receiver types with entries`);
    assert.ok(secrets.length >= running.length, 'secrets per receiver');
    const text = readFileSync(configPath, 'utf8');
    assert.deepEqual(leaks(secrets, text), [], 'secrets come from the environment, not the file');
  });

  it('a failing run: logs, dead letters and metrics hold no secret', { timeout: 60_000 }, async () => {
    let logText = '';
    const logs = new Writable({
      write(chunk: Buffer, _enc, done) {
        logText += chunk.toString('utf8');
        done();
      },
    });
    const app = await startApp({
      configPath,
      source: { kind: 'replay', path: join(dir, 'events.ndjson') },
      metricsAddress: '',
      env,
      logDestination: logs,
      stdout: new Writable({ write: (_c, _e, done) => done() }),
    });
    const result = await app.done;
    const metrics = await app.metrics.text();
    console.log(
      `# secrets: ${running.length} receivers (${running.map((r) => r.entry.type).join(', ')}), ${secrets.length} secrets; accepted ${result.accepted}, delivered ${result.delivered}, dead-lettered ${result.deadLettered}`,
    );
    assert.ok(result.deadLettered > 0, 'the refusals reached the dead letters');
    assert.ok(logText.length > 0);
    assert.deepEqual(leaks(secrets, logText), [], 'a secret in a log line');
    assert.deepEqual(leaks(secrets, metrics), [], 'a secret in the metrics');
    for (const r of running) {
      const dead = existsSync(r.deadLetterPath) ? readFileSync(r.deadLetterPath, 'utf8') : '';
      assert.deepEqual(leaks(secrets, dead), [], `a secret in ${r.entry.type}'s dead letters`);
    }
  });

  it('`check` output, passing and failing, holds no secret', { timeout: 60_000 }, async () => {
    const bin = join(ROOT, 'bin/kube-event-router');
    // A secret used where a number belongs: the problem names the variable, never its value.
    const [varName] = Object.keys(env);
    assert.ok(varName !== undefined);
    const broken = join(dir, 'broken.yaml');
    writeFileSync(
      broken,
      `kubeQPS: "\${${varName}}"\nclusterName: ["\${${varName}}"]\n${readFileSync(configPath, 'utf8')}`,
    );
    const childEnv = { ...process.env, ...env };
    // Both at once: each is a process start-up.
    const [ok, failed] = await Promise.all([
      run(bin, ['check', '-c', configPath], { cwd: ROOT, env: childEnv }),
      run(bin, ['check', '-c', broken], { cwd: ROOT, env: childEnv }).then(
        () => assert.fail('check passed a broken config'),
        (err: { stdout: string; stderr: string }) => err,
      ),
    ]);
    assert.match(ok.stdout, /OK/);
    assert.deepEqual(leaks(secrets, ok.stdout + ok.stderr), []);
    assert.match(failed.stdout + failed.stderr, /kubeQPS/);
    assert.deepEqual(leaks(secrets, failed.stdout + failed.stderr), [], 'a secret in check output');
    // The same through the loader's error object.
    assert.throws(
      () => loadConfigText(readFileSync(broken, 'utf8'), { fileName: 'broken.yaml', env }),
      (err: unknown) =>
        err instanceof ConfigError && leaks(secrets, `${err.message}\n${err.stack ?? ''}`).length === 0,
    );
  });
});
