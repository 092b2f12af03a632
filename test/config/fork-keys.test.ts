// Fork keys that name something the router has are honoured: enrichEvents (which labels and
// annotations enrichment keeps), cacheTTL (Go duration: object cache TTL), mappingCacheSize
// (discovery cache).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ConfigError, loadConfigText } from '../../src/config/load.ts';
import { readObjects } from '../../src/event/object-index.ts';
import { createEnricher, objectCacheFromIndex } from '../../src/kube/enricher.ts';
import { compileRoute } from '../../src/route/route.ts';

const BODY = 'route:\n  match:\n    - receiver: d\nreceivers:\n  - name: d\n    stdout: {}\n';

function load(top: string) {
  return loadConfigText(`${top}\n${BODY}`, { fileName: 'c.yaml', env: {} });
}

describe('fork keys', () => {
  const cases: [yaml: string, expected: object][] = [
    ['', { labels: true, annotations: true, objectCacheTtlMs: 300_000, discoveryCacheSize: 512 }],
    [
      'enrichEvents:\n  labels: true\n  annotations: false\ncacheTTL: 90s\nmappingCacheSize: 64',
      { labels: true, annotations: false, objectCacheTtlMs: 90_000, discoveryCacheSize: 64 },
    ],
    [
      'enrichEvents:\n  labels: [app, team]\ncacheTTL: 1h30m',
      { labels: ['app', 'team'], annotations: true, objectCacheTtlMs: 5_400_000, discoveryCacheSize: 512 },
    ],
  ];
  for (const [yaml, expected] of cases) {
    it(`${yaml.replace(/\n/g, ' ') || '(none)'}: honoured without a warning`, () => {
      const loaded = load(yaml);
      assert.deepEqual(loaded.warnings, []);
      assert.deepEqual(loaded.config.enrichment, expected);
    });
  }

  it('a cacheTTL Go cannot parse is an error (the fork refuses it too)', () => {
    assert.throws(
      () => load('cacheTTL: 5 minutes\nmappingCacheSize: 0'),
      (err: unknown) =>
        err instanceof ConfigError &&
        assert.deepEqual(err.lines, [
          'c.yaml:1:11 cacheTTL: expected a positive Go duration such as "5m", got "5 minutes"',
          'c.yaml:2:19 mappingCacheSize: must be at least 1 (got 0)',
        ]) === undefined,
    );
  });

  it('enrichment keeps only the labels and annotations enrichEvents names', async () => {
    const { config } = load('enrichEvents:\n  labels: [team]\n  annotations: false');
    const index = readObjects(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'web',
          namespace: 'shop',
          labels: { team: 'payments', 'pod-template-hash': 'abc' },
          annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' },
        },
      }),
    );
    const { route } = compileRoute(parse('match: [{receiver: d}]'), {
      receivers: new Set(['d']),
      clusterName: '',
    });
    assert.ok(route);
    const enricher = createEnricher({
      cache: objectCacheFromIndex(index),
      route: () => route,
      omitLookup: false,
      keep: config.enrichment,
    });
    const raw = {
      metadata: {},
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'web', namespace: 'shop' },
    };
    const event = await enricher.enrich(raw, { occurrence: 1, clusterName: '', environment: {} });
    assert.deepEqual(event.object?.labels, { team: 'payments' });
    assert.deepEqual(event.object?.annotations, {});
  });
});
