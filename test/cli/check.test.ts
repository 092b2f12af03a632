// `check` and the offline commands as users run them: the bin script in a child process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = new URL('../..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/kube-event-router');
const REAL_EVENTS = new URL('../fixtures/events/real-events.ndjson', import.meta.url).pathname;

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(BIN, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempConfig(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ker-check-')), 'config.yaml');
  writeFileSync(path, content);
  return path;
}

// An exporter config with the traps users publish: it starts in the exporter, so here too.
const EXPORTER_CONFIG = `loglevel: debug
route:
  routes:
    - drop:
        - namespace: "*test*"
      match:
        - receiver: hook
          labels:
            cortex.dev/api: true
receivers:
  - name: hook
    webhook:
      endpoint: \${HOOK_URL}
      detail: x
`;

describe('check', () => {
  it('accepts an exporter config with located warnings and exits 0', () => {
    const path = tempConfig(EXPORTER_CONFIG);
    const run = cli(['check', '-c', path]);
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.equal(lines[0], `${path}: OK`);
    for (const [where, what] of [
      ['1:1 loglevel', 'did you mean "logLevel"?'],
      ['5:22 route.routes[0].drop[0].namespace', 'never matches'],
      ['9:29 route.routes[0].match[0].labels.cortex.dev/api', 'reads it as the string "true"'],
      ['13:17 receivers[0].webhook.endpoint', 'environment variable "HOOK_URL" is not set'],
      ['14:7 receivers[0].webhook.detail', 'ignored, as kubernetes-event-exporter ignores it'],
    ] as const) {
      const line = lines.find((l) => l.includes(`${path}:${where}:`));
      assert.ok(line?.includes(what), `${where}: ${line ?? 'missing'}\n${run.stdout}`);
    }
  });

  it('lists the behaviour differences from the exporter that apply to the config', () => {
    const run = cli(['check', '-c', tempConfig(EXPORTER_CONFIG)]);
    const lines = run.stdout.split('\n');
    const at = lines.indexOf('  differences from kubernetes-event-exporter: 5');
    assert.ok(at > 0, run.stdout);
    assert.match(lines[at + 1] ?? '', /^ {4}- one message per occurrence .*#one-message-per-occurrence\)$/);
    assert.match(lines[at + 2] ?? '', /^ {4}- a failed send is retried .*#retries\)$/);
  });

  it('--strict turns the same located warnings into errors and exits 1', () => {
    const path = tempConfig(EXPORTER_CONFIG);
    const lenient = cli(['check', '-c', path]);
    const warnings = lenient.stdout
      .split('\n')
      .filter((l) => l.startsWith(`    ${path}:`))
      .map((l) => l.trim());
    const strict = cli(['check', '--strict', '-c', path]);
    assert.equal(strict.status, 1);
    const errors = strict.stderr
      .split('\n')
      .filter((l) => l.startsWith(`  ${path}:`))
      .map((l) => l.trim());
    assert.ok(warnings.length >= 5, lenient.stdout);
    assert.deepEqual(errors, warnings);
  });

  it('an empty config is a warning, and an error with --strict', () => {
    const path = tempConfig('# nothing yet\n');
    const run = cli(['check', '-c', path]);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /config\.yaml:1:1 the config is empty/);
    assert.equal(cli(['check', '--strict', '-c', path]).status, 1);
  });

  it('route-test runs with an unset ${VAR} (a warning on standard error)', () => {
    const path = tempConfig(
      'clusterName: ${CLUSTER}\nroute:\n  match:\n    - receiver: dump\nreceivers:\n  - name: dump\n    stdout: {}\n',
    );
    const run = cli(['route-test', '-c', path, '--events', REAL_EVENTS, '-o', 'json']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim().split('\n').length, 934);
    assert.match(
      run.stderr,
      /clusterName: environment variable "CLUSTER" is not set; checked with the placeholder/,
    );
  });

  it('run still refuses an unset ${VAR}', () => {
    const path = tempConfig(
      'clusterName: ${CLUSTER}\nroute:\n  match:\n    - receiver: dump\nreceivers:\n  - name: dump\n    stdout: {}\n',
    );
    const run = cli(['run', '-c', path, '--source', 'demo', '--dry-run', '--metrics-address', '']);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /clusterName: environment variable "CLUSTER" is not set$/m);
  });
});
