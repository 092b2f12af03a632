import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ConfigError, loadConfigFile, loadConfigText } from '../../src/config/load.ts';
import type { LoadedConfig } from '../../src/config/schema.ts';

const FIXTURES = new URL('../fixtures/config/', import.meta.url);
const env = { API_KEY: 'k-123' };

function loadFixture(name: string): LoadedConfig {
  return loadConfigText(readFileSync(new URL(name, FIXTURES), 'utf8'), { fileName: name, env });
}

const route = 'route:\n  match:\n    - receiver: d\n';
const stdout = `${route}receivers:\n  - name: d\n    stdout: {}\n`;

describe('loading good configs', () => {
  it('gives every top-level setting its default', () => {
    const { config, warnings } = loadConfigText(stdout, { fileName: 'c.yaml', env: {} });
    const { route: _route, receivers: _receivers, ...settings } = config;
    assert.deepEqual(settings, {
      logLevel: 'info',
      logFormat: 'json',
      maxEventAgeSeconds: 5,
      namespaces: [],
      clusterName: '',
      leaderElection: {
        enabled: false,
        leaderElectionID: 'kubernetes-event-exporter',
        leaseDurationMs: 15_000,
        renewDeadlineMs: 10_000,
        retryPeriodMs: 2_000,
      },
      checkpoint: {
        enabled: true,
        implicit: true,
        configMap: 'kube-event-router-checkpoint',
        intervalMs: 5000,
        clockSkewMs: 2000,
      },
      kubeQPS: 5,
      kubeBurst: 10,
      metricsNamePrefix: 'kube_event_router_',
      omitLookup: false,
      cacheSize: 1024,
      enrichment: { labels: true, annotations: true, objectCacheTtlMs: 300_000, discoveryCacheSize: 512 },
      environment: {},
      templateEnv: [],
      repeats: 'all',
      shutdownTimeoutMs: 25_000,
      maxWatchSilenceSeconds: 300,
    });
    assert.deepEqual(warnings, []);
  });

  it('loads an exporter README-style config unchanged', () => {
    const { config, warnings } = loadFixture('good-exporter-readme.yaml');
    // The exporter's own example has the unanchored-kind trap; we load it and say so.
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0] ?? '',
      /^good-exporter-readme\.yaml:29:17 route\.routes\[2\]\.match\[0\]\.kind: "Pod\|Deployment\|ReplicaSet" also matches /,
    );
    assert.equal(config.maxEventAgeSeconds, 10);
    assert.equal(config.kubeQPS, 60);
    assert.equal(config.metricsNamePrefix, 'event_exporter_');
    assert.deepEqual(config.leaderElection, {
      enabled: true,
      leaderElectionID: 'kubernetes-event-exporter',
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
    });
    assert.deepEqual(
      config.receivers.map((r) => [r.name, r.type, r.layout === undefined]),
      [
        ['dump', 'stdout', true],
        ['critical-events-queue', 'webhook', true],
        ['file', 'file', true],
        ['pipe', 'webhook', false],
      ],
    );
    assert.deepEqual(config.receivers[0]?.options, { deDot: true });
    assert.deepEqual(config.receivers[1]?.options, {
      endpoint: 'https://my-super-secret-service.com',
      method: 'POST',
      headers: { 'X-API-KEY': '123', 'User-Agent': 'kube-event-exporter 1.0' },
      tls: { insecureSkipVerify: false },
      timeoutMs: 10_000,
    });
    assert.deepEqual(config.receivers[2]?.options, {
      path: '/tmp/dump',
      deDot: false,
      maxsize: 100,
      maxbackups: 0,
      maxage: 0,
    });
    assert.deepEqual(Object.keys(config.receivers[3]?.templates ?? {}), [
      'headers.X-API-KEY',
      'headers.User-Agent',
    ]);
  });

  it('loads the exporter deploy/ ConfigMap config', () => {
    const { config } = loadFixture('good-minimal.yaml');
    assert.equal(config.logLevel, 'warn');
    assert.deepEqual(config.receivers[0]?.batch, { maxEvents: 100, maxBytes: 1_048_576, flushIntervalMs: 0 });
  });

  it('carries every addition of ours, with receiver output options', () => {
    const { config, warnings } = loadFixture('good-full.yaml');
    assert.deepEqual(warnings, ['good-full.yaml:4:17 throttlePeriod: is deprecated; use maxEventAgeSeconds']);
    assert.equal(config.maxEventAgeSeconds, 30);
    assert.deepEqual(config.namespaces, ['prod', 'staging']);
    assert.deepEqual(config.environment, { region: 'eu-west-1', team: 'platform' });
    assert.deepEqual(config.templateEnv, ['REGION_NAME']);
    assert.equal(config.repeats, 'first');
    const [archive, hook] = config.receivers;
    assert.deepEqual(archive?.batch, { maxEvents: 1000, maxBytes: 1_048_576, flushIntervalMs: 500 });
    assert.deepEqual(archive?.queue, { maxEvents: 50_000, maxBytes: 16 * 1024 * 1024, policy: 'deadLetter' });
    assert.deepEqual(archive?.retry, {
      maxAttempts: 10,
      initialDelayMs: 100,
      maxDelayMs: 1000,
      maxElapsedMs: 60_000,
    });
    assert.deepEqual(archive?.deadLetter, {
      path: '/var/lib/kube-event-router/archive.dead.ndjson',
      maxBytes: 100 * 1024 * 1024,
      maxFiles: 4,
    });
    assert.equal(archive?.typedLayout, true);
    assert.notEqual(archive?.layout, undefined);
    assert.equal(hook?.templateSyntax, 'handlebars');
    assert.equal(hook?.layout, undefined, 'layout: {} counts as no layout');
    assert.deepEqual(hook?.batch, { maxEvents: 1, maxBytes: 5_242_880, flushIntervalMs: 0 });
    assert.deepEqual((hook?.options.headers as Record<string, string>)['X-Count'], '3');
    assert.equal(hook?.options.method, 'PUT');
  });

  const exporterRules: {
    name: string;
    yaml: string;
    expect: Partial<Record<string, unknown>>;
    warnings?: string[];
  }[] = [
    {
      name: 'throttlePeriod alone is used',
      yaml: 'throttlePeriod: 7\n',
      expect: { maxEventAgeSeconds: 7 },
      warnings: ['c.yaml:7:17 throttlePeriod: is deprecated; use maxEventAgeSeconds'],
    },
    {
      name: '0 means the default',
      yaml: 'maxEventAgeSeconds: 0\nkubeQPS: 0\nkubeBurst: 0\ncacheSize: 0\n',
      expect: { maxEventAgeSeconds: 5, kubeQPS: 5, kubeBurst: 10, cacheSize: 1024 },
    },
    {
      name: 'a zero throttlePeriod does not conflict',
      yaml: 'throttlePeriod: 0\nmaxEventAgeSeconds: 9\n',
      expect: { maxEventAgeSeconds: 9 },
      warnings: ['c.yaml:7:17 throttlePeriod: is deprecated; use maxEventAgeSeconds'],
    },
    {
      name: 'namespace as a string',
      yaml: 'namespace: monitoring\n',
      expect: { namespaces: ['monitoring'] },
    },
    { name: 'empty namespace means all', yaml: 'namespace: ""\n', expect: { namespaces: [] } },
    { name: 'empty logLevel means info', yaml: 'logLevel: ""\n', expect: { logLevel: 'info' } },
    {
      name: 'empty metrics prefix means none',
      yaml: 'metricsNamePrefix: ""\n',
      expect: { metricsNamePrefix: '' },
    },
    {
      name: 'null values are unset',
      yaml: 'clusterName:\nleaderElection:\n  enabled:\n',
      expect: {
        clusterName: '',
        leaderElection: {
          enabled: false,
          leaderElectionID: 'kubernetes-event-exporter',
          leaseDurationMs: 15_000,
          renewDeadlineMs: 10_000,
          retryPeriodMs: 2_000,
        },
      },
    },
    { name: 'numbers as strings where Go would', yaml: 'clusterName: 42\n', expect: { clusterName: '42' } },
  ];
  for (const { name, yaml, expect, warnings = [] } of exporterRules) {
    it(`exporter rule: ${name}`, () => {
      const loaded = loadConfigText(stdout + yaml, { fileName: 'c.yaml', env: {} });
      for (const [key, value] of Object.entries(expect))
        assert.deepEqual(loaded.config[key as keyof typeof loaded.config], value, key);
      assert.deepEqual(loaded.warnings, warnings);
    });
  }

  it('reads leader-election timings and the checkpoint', () => {
    const yaml =
      'leaderElection:\n  enabled: true\n  leaseDurationMs: 30000\n  renewDeadlineMs: 20000\n  retryPeriodMs: 4000\ncheckpoint:\n  enabled: true\n  path: /var/lib/router/checkpoint.json\n  intervalMs: 1000\n';
    const { config } = loadConfigText(stdout + yaml, { fileName: 'c.yaml', env: {} });
    assert.deepEqual(config.leaderElection, {
      enabled: true,
      leaderElectionID: 'kubernetes-event-exporter',
      leaseDurationMs: 30_000,
      renewDeadlineMs: 20_000,
      retryPeriodMs: 4000,
    });
    assert.deepEqual(config.checkpoint, {
      enabled: true,
      implicit: false,
      path: '/var/lib/router/checkpoint.json',
      configMap: 'kube-event-router-checkpoint',
      intervalMs: 1000,
      clockSkewMs: 2000,
    });
  });

  // A store implies the checkpoint; `enabled: false` next to one is a contradiction.
  const checkpoints: { yaml: string; expected: Record<string, unknown> | RegExp }[] = [
    { yaml: '', expected: { enabled: true, implicit: true } },
    {
      yaml: 'checkpoint: { path: /data/cp.json }',
      expected: { enabled: true, implicit: false, path: '/data/cp.json' },
    },
    { yaml: 'checkpoint: { configMap: cp }', expected: { enabled: true, implicit: false, configMap: 'cp' } },
    { yaml: 'checkpoint: { enabled: true }', expected: { enabled: true, implicit: false } },
    { yaml: 'checkpoint: { enabled: false }', expected: { enabled: false, implicit: false } },
    {
      yaml: 'checkpoint: { enabled: false, path: /data/cp.json }',
      expected:
        /checkpoint\.enabled: is false but checkpoint\.path is set \(a store turns the checkpoint on\): remove one of them/,
    },
    {
      yaml: 'checkpoint: { enabled: false, configMap: cp }',
      expected: /checkpoint\.enabled: is false but checkpoint\.configMap is set/,
    },
    {
      yaml: 'checkpoint: { path: /data/cp.json, configMap: cp }',
      expected: /checkpoint\.configMap: names a second store next to checkpoint\.path: set one of them/,
    },
  ];
  for (const c of checkpoints) {
    it(`checkpoint ${c.yaml || '(unset)'}`, () => {
      const load = () =>
        loadConfigText(`${stdout}${c.yaml}\n`, { fileName: 'c.yaml', env: {} }).config.checkpoint;
      if (c.expected instanceof RegExp) {
        const expected = c.expected;
        assert.throws(load, (err: unknown) => err instanceof ConfigError && expected.test(err.message));
        return;
      }
      const got = load();
      for (const [key, value] of Object.entries(c.expected))
        assert.deepEqual(got[key as keyof typeof got], value, key);
    });
  }

  it('rejects leader-election timings client-go would reject, naming the key', () => {
    const yaml =
      'leaderElection:\n  leaseDurationMs: 10000\n  renewDeadlineMs: 10000\n  retryPeriodMs: 10000\n';
    assert.throws(
      () => loadConfigText(stdout + yaml, { fileName: 'c.yaml', env: {} }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        const text = err.problems.map((p) => p.message).join('\n');
        assert.match(
          err.message,
          /leaderElection\.renewDeadlineMs: must be less than leaseDurationMs \(10000\)/,
        );
        assert.match(err.message, /leaderElection\.retryPeriodMs: must be less than renewDeadlineMs/);
        return text.length > 0;
      },
    );
  });

  it('returns route warnings with the config instead of failing', () => {
    const text =
      'route:\n  match:\n    - namespace: prod\n    - receiver: d\nreceivers:\n  - name: d\n    stdout: {}\n';
    const { warnings } = loadConfigText(text, { fileName: 'c.yaml', env: {} });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /^c\.yaml:3:5 route\.match: match rules are independent/);
  });

  it('returns a deep-frozen config', () => {
    const { config, warnings } = loadFixture('good-full.yaml');
    assert.ok(Object.isFrozen(config) && Object.isFrozen(warnings));
    assert.ok(Object.isFrozen(config.receivers) && Object.isFrozen(config.receivers[0]?.batch));
    assert.ok(Object.isFrozen(config.receivers[1]?.options.tls));
    assert.throws(() => {
      (config.namespaces as string[]).push('x');
    }, TypeError);
  });

  it('hashes the same text the same way', () => {
    assert.equal(loadFixture('good-minimal.yaml').hash, loadFixture('good-minimal.yaml').hash);
    assert.notEqual(loadFixture('good-minimal.yaml').hash, loadFixture('good-full.yaml').hash);
  });
});

describe('loadConfigFile', () => {
  it('reads and loads a file', async () => {
    const path = new URL('good-minimal.yaml', FIXTURES).pathname;
    const { config } = await loadConfigFile(path, {});
    assert.equal(config.receivers[0]?.name, 'dump');
  });

  it('throws a ConfigError for a missing file', async () => {
    await assert.rejects(loadConfigFile('/nonexistent/config.yaml', {}), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.code, 'E_CONFIG');
      assert.match(err.lines[0] ?? '', /^\/nonexistent\/config\.yaml: cannot read the config file \(ENOENT/);
      return true;
    });
  });

  it('throws one ConfigError naming the file and the count', () => {
    assert.throws(
      () => loadConfigText('logLevel: loud\nkubeQPS: fast\n', { fileName: 'x.yaml', env: {} }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.problems.length === 2 &&
        err.message.startsWith('Invalid config x.yaml (2 problems):\n  x.yaml:1:11 logLevel: must be one of'),
    );
  });
});
