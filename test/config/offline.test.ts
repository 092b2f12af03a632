// Issue 20 item 6: configs that route nothing are warnings (errors with --strict), and the
// offline commands check a config whose `${VAR}`s are not set, with placeholders.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfigText } from '../../src/config/load.ts';

const webhook = (endpoint: string): string =>
  `route:\n  match:\n    - receiver: hook\nreceivers:\n  - name: hook\n    webhook:\n      endpoint: ${endpoint}\n      headers:\n        Authorization: "Bearer \${API_TOKEN}"\n`;

function errorLines(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.lines;
    throw err;
  }
  return [];
}

describe('configs that route nothing', () => {
  const cases: [title: string, text: string, warning: string][] = [
    [
      'empty file',
      '',
      'c.yaml:1:1 the config is empty (or only comments): no receivers, so every event is dropped; add receivers and a route',
    ],
    [
      'comments only',
      '# the exporter config\n# receivers come later\n',
      'c.yaml:1:1 the config is empty (or only comments): no receivers, so every event is dropped; add receivers and a route',
    ],
    [
      'no receivers key',
      'logLevel: debug\nroute: {}\n',
      'c.yaml:1:1 receivers: no receivers are defined, so every event is dropped; add at least one receiver',
    ],
    [
      'an empty receivers list',
      'logLevel: debug\nreceivers: []\n',
      'c.yaml:2:1 receivers: no receivers are defined, so every event is dropped; add at least one receiver',
    ],
  ];
  for (const [title, text, warning] of cases) {
    it(`${title}: a warning`, () => {
      const loaded = loadConfigText(text, { fileName: 'c.yaml', env: {} });
      assert.deepEqual(loaded.warnings, [warning]);
      assert.equal(loaded.config.receivers.length, 0);
    });
    it(`${title}: an error with strict`, () => {
      const lines = errorLines(() => loadConfigText(text, { fileName: 'c.yaml', env: {}, strict: true }));
      assert.deepEqual(lines, [warning]);
    });
  }
});

describe('unset ${VAR} offline', () => {
  it('run (not offline) refuses an unset variable', () => {
    const lines = errorLines(() => loadConfigText(webhook('${HOOK_URL}'), { fileName: 'c.yaml', env: {} }));
    assert.deepEqual(lines, [
      'c.yaml:7:17 receivers[0].webhook.endpoint: environment variable "HOOK_URL" is not set',
      'c.yaml:9:32 receivers[0].webhook.headers.Authorization: environment variable "API_TOKEN" is not set',
    ]);
  });

  it('offline: a warning naming each variable, and the receiver is still built', () => {
    const loaded = loadConfigText(webhook('${HOOK_URL}'), { fileName: 'c.yaml', env: {}, offline: true });
    assert.deepEqual(loaded.warnings, [
      'c.yaml:7:17 receivers[0].webhook.endpoint: environment variable "HOOK_URL" is not set; checked with the placeholder "${HOOK_URL}" (run refuses it)',
      'c.yaml:9:32 receivers[0].webhook.headers.Authorization: environment variable "API_TOKEN" is not set; checked with the placeholder "${API_TOKEN}" (run refuses it)',
    ]);
    const [hook] = loaded.config.receivers;
    assert.equal(hook?.name, 'hook');
    // A value that is only the variable and must be a URL gets a URL-shaped placeholder.
    assert.equal(hook.options['endpoint'], 'https://unset.invalid/HOOK_URL');
    assert.deepEqual(hook.options['headers'], { Authorization: 'Bearer ${API_TOKEN}' });
  });

  it('offline: a value that cannot hold any placeholder is a warning, not a failure', () => {
    const text = `${webhook('https://hooks.example/x')}    retry:\n      maxAttempts: \${ATTEMPTS}\n`;
    const loaded = loadConfigText(text, { fileName: 'c.yaml', env: { API_TOKEN: 't' }, offline: true });
    assert.deepEqual(loaded.warnings, [
      'c.yaml:11:20 receivers[0].retry.maxAttempts: environment variable "ATTEMPTS" is not set; checked with the placeholder "${ATTEMPTS}" (run refuses it)',
      'c.yaml:11:20 receivers[0].retry.maxAttempts: expected a number, got a string "${ATTEMPTS}" (with ${ATTEMPTS} unset, not checked)',
    ]);
  });

  it('offline with strict: the unset variable is an error again', () => {
    const lines = errorLines(() =>
      loadConfigText(webhook('${HOOK_URL}'), { fileName: 'c.yaml', env: {}, offline: true, strict: true }),
    );
    assert.equal(lines.length, 2);
    assert.match(
      lines[0] ?? '',
      /^c\.yaml:7:17 receivers\[0\]\.webhook\.endpoint: environment variable "HOOK_URL" is not set/,
    );
  });

  it('offline: a set variable is used and never shown', () => {
    const loaded = loadConfigText(webhook('${HOOK_URL}'), {
      fileName: 'c.yaml',
      env: { HOOK_URL: 'https://hooks.example/secret-path', API_TOKEN: 'secret-token' },
      offline: true,
    });
    assert.deepEqual(loaded.warnings, []);
    assert.equal(loaded.config.receivers[0]?.options['endpoint'], 'https://hooks.example/secret-path');
  });
});
