// `check` lists the behaviour differences from kubernetes-event-exporter that apply to a config;
// each has its section in the migration guide.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { behaviourDifferences, DIFFERENCE_IDS } from '../../src/config/differences.ts';
import { loadConfigText } from '../../src/config/load.ts';

const GUIDE = readFileSync(
  new URL('../../docs/migrating-from-kubernetes-event-exporter.md', import.meta.url),
  'utf8',
);

/** GitHub's heading anchors: lower case, spaces to dashes, punctuation dropped. */
function anchors(markdown: string): string[] {
  return [...markdown.matchAll(/^#{2,4} (.+)$/gm)].map((m) =>
    (m[1] ?? '')
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, '')
      .replace(/ /g, '-'),
  );
}

const ALWAYS = ['one-message-per-occurrence', 'retries', 'dead-letters', 'checkpoint', 'metrics-prefix'];

describe('behaviour differences', () => {
  it('each has its section in the migration guide', () => {
    const found = anchors(GUIDE);
    for (const id of DIFFERENCE_IDS) assert.ok(found.includes(id), `no "${id}" section`);
  });

  const cases: [title: string, yaml: string, expected: string[]][] = [
    ['stdout only', 'route:\n  match:\n    - receiver: d\nreceivers:\n  - name: d\n    stdout: {}\n', ALWAYS],
    [
      'elasticsearch, a receiver named twice, minCount, own metrics prefix',
      [
        'metricsNamePrefix: event_exporter_',
        'route:',
        '  match:',
        '    - receiver: es',
        '  routes:',
        '    - match:',
        '        - minCount: 5',
        '          receiver: es',
        'receivers:',
        '  - name: es',
        '    elasticsearch:',
        '      hosts: [http://localhost:9200]',
        '      index: kube-events',
      ].join('\n'),
      [
        'one-message-per-occurrence',
        'one-send-per-receiver',
        'retries',
        'dead-letters',
        'bulk-indexing',
        'series-count',
        'checkpoint',
      ],
    ],
  ];
  for (const [title, yaml, expected] of cases) {
    it(title, () => {
      const { config } = loadConfigText(yaml, { fileName: 'c.yaml', env: {} });
      const differences = behaviourDifferences(config);
      assert.deepEqual(
        differences.map((d) => d.id),
        expected,
      );
      for (const d of differences)
        assert.ok(d.text.endsWith(`(docs/migrating-from-kubernetes-event-exporter.md#${d.id})`), d.text);
    });
  }
});
