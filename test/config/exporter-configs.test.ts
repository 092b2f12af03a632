// Issue 13: exporter configs as users publish them (test/fixtures/exporter-configs/, modelled
// on the exporter README, the bitnami chart's values, blog posts and forks) start here as in
// the exporter, with located warnings; --strict rejects them with the same lines; and their
// routing of the 934 real events equals the exporter's (test/config/exporter-reference.ts).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ConfigError, loadConfigText } from '../../src/config/load.ts';
import type { EnrichedEvent, InvolvedObjectMeta } from '../../src/event/event.ts';
import { normalizeEvent } from '../../src/event/normalize.ts';
import { realEventObjects } from '../support/real-events.ts';
import { exporterSends } from './exporter-reference.ts';

const DIR = new URL('../fixtures/exporter-configs/', import.meta.url);
const ENV = { SLACK_TOKEN: 'xoxb-test', OPSGENIE_KEY: 'og-test' };

/** Each config's warnings: `line:column path` and a part of the message. */
const CASES: Record<string, readonly [where: string, what: string][]> = {
  'readme-stdout': [],
  'readme-routes': [
    ['9:22 route.routes[1].drop[0].namespace', 'looks like a glob; did you mean ".*test.*"?'],
    ['14:17 route.routes[2].match[0].kind', 'use "^(Pod|Deployment|ReplicaSet)$"'],
  ],
  'bitnami-values': [],
  'opsgenie-layout': [],
  'webhook-headers': [],
  'loki-blog': [['2:1 loglevel', 'did you mean "logLevel"?']],
  'teams-warnings': [
    ['5:7 route.routes[0].namespace', 'rule keys such as "namespace" go in an item'],
    ['6:7 route.routes[0].receiver', 'rule keys such as "receiver" go in an item'],
  ],
  'eventbridge-typos': [
    ['11:7 receivers[0].eventbridge.detailTyp', 'did you mean "detailType"?'],
    ['15:7 receivers[0].eventbridge.detail', 'did you mean "details"?'],
  ],
  'cortex-labels': [['7:29 route.routes[0].match[0].labels.cortex.dev/api', 'reads it as the string "true"']],
  'fork-keys': [],
  'aws-streams': [['8:19 route.routes[0].match[0].reason', 'use "^(Failed|BackOff)$"']],
  'undefined-receiver': [['7:21 route.routes[0].match[0].receiver', 'receiver "slak" is not defined']],
};

function text(name: string): string {
  return readFileSync(new URL(`${name}.yaml`, DIR), 'utf8');
}

function load(name: string, strict = false) {
  return loadConfigText(text(name), { fileName: `${name}.yaml`, env: ENV, strict });
}

// Involved objects for the real events: labels and annotations derived from the object's name,
// so label rules have something to match; every fifth lookup "failed" (no object at all).
function objectFor(raw: EnrichedEvent['raw'], index: number): InvolvedObjectMeta | undefined {
  if (index % 5 === 4) return undefined;
  const name = raw.involvedObject?.name ?? '';
  return {
    labels: {
      app: index % 2 === 0 ? `web-${name}` : name,
      ...(index % 3 === 0 ? { 'cortex.dev/api': 'true' } : {}),
      ...(index % 7 === 0 ? { version: 'dev' } : {}),
    },
    annotations: { team: index % 2 === 0 ? 'payments' : 'search' },
    ownerReferences: [],
    deleted: false,
  };
}

const EVENTS: EnrichedEvent[] = realEventObjects().map((value, index) => {
  const raw = normalizeEvent(value);
  return { raw, object: objectFor(raw, index), occurrence: 1, clusterName: '', environment: {} };
});

describe('exporter configs', () => {
  it('has a case for every config in the directory (10 or more)', () => {
    const files = readdirSync(DIR).map((f) => f.replace(/\.yaml$/, ''));
    assert.deepEqual(files.sort(), Object.keys(CASES).sort());
    assert.ok(files.length >= 10);
  });

  for (const [name, expected] of Object.entries(CASES)) {
    describe(name, () => {
      it('starts, with the expected located warnings', () => {
        const { warnings } = load(name);
        assert.equal(warnings.length, expected.length, warnings.join('\n'));
        expected.forEach(([where, what], i) => {
          const line = warnings[i] ?? '';
          assert.ok(line.startsWith(`${name}.yaml:${where}: `), line);
          assert.ok(line.includes(what), line);
        });
      });

      it('--strict rejects it with the same lines (or accepts a config without warnings)', () => {
        const { warnings } = load(name);
        if (warnings.length === 0) return assert.doesNotThrow(() => load(name, true));
        assert.throws(
          () => load(name, true),
          (err: unknown) => err instanceof ConfigError && assert.deepEqual(err.lines, warnings) === undefined,
        );
      });

      it('routes the 934 real events as the exporter does', () => {
        const { config } = load(name);
        const defined = new Set(config.receivers.map((r) => r.name));
        const route: unknown = (parse(text(name)) as { route?: unknown }).route;
        let reached = 0;
        // The exporter sends once per matching rule and loses what goes to undefined receivers;
        // the router sends each receiver an event once.
        const exporter = (event: EnrichedEvent): string[] =>
          [...new Set(exporterSends(route, event))].filter((r) => defined.has(r)).sort();
        for (const event of EVENTS) {
          const ours = [...config.route.evaluate(event)].sort();
          const theirs = exporter(event);
          if (ours.length > 0) reached++;
          if (JSON.stringify(ours) === JSON.stringify(theirs)) continue;
          // The one difference on purpose (docs/migrating-from-kubernetes-event-exporter.md):
          // minCount also reads series.count, which the exporter's Count leaves at 0.
          const series = event.raw.series?.count ?? 0;
          assert.ok(
            series > (event.raw.count ?? 0),
            `${event.raw.metadata?.name ?? ''}: ${ours} vs ${theirs}`,
          );
          assert.deepEqual(ours, exporter({ ...event, raw: { ...event.raw, count: series } }));
        }
        assert.ok(reached > 0, 'no event reached any receiver: the comparison would prove nothing');
      });
    });
  }
});
