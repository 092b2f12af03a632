import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import type { EnrichedEvent, RawEvent } from '../../src/event/event.ts';
import { mayReachWithoutObject, routeReadsObject } from '../../src/route/reachability.ts';
import { compileRoute, type CompiledRoute, type RouteContext } from '../../src/route/route.ts';
import { enrich, event, rawEvent, realEvents, type EventSpec } from './events.ts';

const ctx: RouteContext = {
  receivers: new Set(['elastic', 'osman', 'any', 'dump', 'critical', 'slack', 'pager']),
  clusterName: 'test',
};

function tree(yaml: string): CompiledRoute {
  const result = compileRoute(parse(yaml), ctx);
  assert.deepEqual(
    result.problems.filter((p) => p.severity === 'error'),
    [],
  );
  assert.ok(result.route);
  return result.route;
}

// The spec's worked examples, then trees that put labels and annotations everywhere they can go.
const TREES: Record<string, string> = {
  A: 'drop: [{type: Normal}]\nmatch: [{reason: FailedCreatePodContainer, receiver: elastic}]',
  B: 'match: [{namespace: kube-*}]\nroutes:\n  - match: [{receiver: osman}]\n    routes:\n      - drop: [{namespace: kube-system}]\n        match: [{receiver: any}]',
  C: 'match: [{namespace: kube-system, receiver: osman}, {receiver: any}]',
  D: `routes:
  - match: [{receiver: dump}]
  - drop: [{namespace: "^.*test.*$"}, {type: Normal}]
    match: [{receiver: critical}]
  - match: [{kind: "Pod|Deployment|ReplicaSet", labels: {version: dev}, receiver: slack}]`,
  E: 'drop: [{namespace: kube-system}]\nmatch: [{receiver: osman}]',
  labelDrop: 'drop: [{labels: {team: noisy}}]\nmatch: [{type: Warning, receiver: slack}]',
  labelGate:
    'match: [{labels: {tier: prod}}]\nroutes:\n  - drop: [{type: Normal}]\n    match: [{receiver: pager}]',
  notLabels: 'match: [{reason: BackOff, not: {labels: {ignore: "true"}}, receiver: slack}]',
  dropNotAnnotation: 'drop: [{not: {annotations: {alert: "on"}}}]\nmatch: [{kind: "^Pod$", receiver: pager}]',
  deadBeforeLabels: 'drop: [{kind: Pod}]\nmatch: [{labels: {a: b}, receiver: slack}]',
  annotationKey: 'match: [{kind: "^Node$", annotations: {owner: null}, receiver: pager}]',
  doubleNot: 'match: [{not: {reason: Pulled, not: {labels: {x: "^y$"}}}, receiver: dump}]',
  presetLabels: 'match: [{preset: pod_crashloop, labels: {team: a}, receiver: slack}]',
  labelDropNormal:
    'drop: [{type: Normal, labels: {keep: null}}]\nmatch: [{reason: "Pulled|Created|BackOff", receiver: dump}]',
  firstOnly: 'repeats: first\nmatch: [{type: Warning, labels: {tier: prod}, receiver: pager}]',
  gateThenDrop: `match: [{namespace: default}, {labels: {tier: prod}}]
routes:
  - drop: [{not: {labels: {tier: "^prod$"}}}]
    match: [{type: Warning, receiver: critical}]
  - match: [{minCount: 5, receiver: dump}]`,
  noReceivers: 'match: [{labels: {a: b}}]\nroutes: [{match: [{type: Warning}]}]',
};

const LABEL_SETS: ({ labels: Record<string, string>; annotations: Record<string, string> } | undefined)[] = [
  undefined,
  { labels: {}, annotations: {} },
  { labels: { version: 'dev' }, annotations: {} },
  { labels: { team: 'noisy' }, annotations: {} },
  { labels: { tier: 'prod' }, annotations: {} },
  { labels: { tier: 'prod-eu' }, annotations: {} },
  { labels: { ignore: 'true', x: 'y' }, annotations: {} },
  { labels: { x: 'z', a: 'b', team: 'a' }, annotations: {} },
  { labels: { keep: '' }, annotations: { alert: 'on', owner: 'me' } },
  { labels: { version: 'dev', tier: 'prod', team: 'a', a: 'b', keep: '1' }, annotations: { alert: 'on' } },
  { labels: {}, annotations: { alert: 'off', owner: '' } },
];

function withObject(base: EnrichedEvent, set: (typeof LABEL_SETS)[number]): EnrichedEvent {
  const object = set === undefined ? undefined : { ...set, ownerReferences: [], deleted: false };
  return { ...base, object };
}

const SPEC_EVENTS: EventSpec[] = [
  { type: 'Warning', reason: 'FailedCreatePodContainer' },
  { type: 'Warning', reason: 'FailedCreate' },
  { type: 'Normal', reason: 'FailedCreatePodContainer' },
  { namespace: 'kube-system' },
  { namespace: 'kube-public' },
  { namespace: 'default', type: 'Warning', count: 7 },
  { type: 'Warning', namespace: 'app-test', kind: 'Pod' },
  { type: 'Normal', namespace: 'prod', kind: 'PodDisruptionBudget' },
  { type: 'Warning', namespace: 'prod', kind: 'Service' },
  { kind: 'Node', reason: 'NodeNotReady', type: 'Warning' },
  { kind: 'Pod', reason: 'BackOff', message: 'Back-off restarting failed container', type: 'Warning' },
  { kind: 'Pod', reason: 'Pulled', type: 'Normal' },
];

function allRaw(): RawEvent[] {
  return [...SPEC_EVENTS.map(rawEvent), ...realEvents()];
}

describe('mayReachWithoutObject: sound for every label set', () => {
  const raws = allRaw();
  for (const [name, yaml] of Object.entries(TREES)) {
    it(`${name}: !mayReach ⇒ no receiver with any labels (${raws.length} events × 2 occurrences)`, () => {
      const route = tree(yaml);
      let skipped = 0;
      for (const raw of raws) {
        for (const occurrence of [1, 2]) {
          const base: EnrichedEvent = { ...enrich(raw, { object: false }), occurrence };
          if (mayReachWithoutObject(route, base)) continue;
          skipped++;
          for (const set of LABEL_SETS) {
            const receivers = route.evaluate(withObject(base, set));
            assert.deepEqual(
              receivers,
              [],
              `${name}: ${JSON.stringify(raw.involvedObject)} ${raw.reason} with ${JSON.stringify(set)}`,
            );
          }
        }
      }
      // Every tree here except C and the unconditional ones can skip some event; a tree that
      // never skips would make this test vacuous.
      if (!['C', 'D', 'dropNotAnnotation', 'doubleNot'].includes(name))
        assert.ok(skipped > 0, `${name} never skipped`);
    });
  }
});

describe('mayReachWithoutObject: decisions', () => {
  const cases: [tree: string, spec: EventSpec, expected: boolean, why: string][] = [
    ['A', { type: 'Warning', reason: 'FailedCreatePodContainer' }, true, 'label-free match'],
    ['A', { type: 'Warning', reason: 'FailedCreate' }, false, 'no match rule can hold'],
    ['A', { type: 'Normal', reason: 'FailedCreatePodContainer' }, false, 'certain drop'],
    ['B', { namespace: 'default' }, false, 'gate is certainly false'],
    ['D', { type: 'Normal', namespace: 'prod', kind: 'Service' }, true, 'dump takes everything'],
    ['E', { namespace: 'kube-system' }, false, 'certain drop at the root'],
    ['labelDrop', { type: 'Warning' }, true, 'an unknown drop does not drop'],
    ['labelDrop', { type: 'Normal' }, false, 'no match possible'],
    ['labelGate', { type: 'Warning' }, true, 'an unknown gate may open'],
    ['labelGate', { type: 'Normal' }, false, 'the child drops it for sure'],
    ['notLabels', { reason: 'BackOff' }, true, 'not of unknown is unknown'],
    ['notLabels', { reason: 'Pulled' }, false, 'label-free part fails'],
    ['dropNotAnnotation', { kind: 'Pod' }, true, 'drop of not(unknown) is unknown'],
    ['dropNotAnnotation', { kind: 'Node' }, false, 'match kind fails'],
    ['deadBeforeLabels', { kind: 'Pod' }, false, 'label-free drop holds'],
    ['deadBeforeLabels', { kind: 'Node' }, true, 'labels could match'],
    ['annotationKey', { kind: 'Node' }, true, 'key presence unknown'],
    ['annotationKey', { kind: 'Pod' }, false, 'kind fails'],
    ['doubleNot', { reason: 'Pulled' }, true, 'not(Pulled ∧ not unknown) is unknown'],
    ['doubleNot', { reason: 'Created' }, true, 'inner conjunction is false, so the not is true'],
    [
      'presetLabels',
      { reason: 'BackOff', message: 'Back-off restarting failed container' },
      true,
      'preset holds, labels unknown',
    ],
    ['presetLabels', { reason: 'BackOff', message: 'Back-off pulling image' }, false, 'preset fails'],
    ['labelDropNormal', { type: 'Normal', reason: 'Pulled' }, true, 'drop depends on a label'],
    ['firstOnly', { type: 'Warning', occurrence: 2 }, false, 'repeats: first'],
    ['firstOnly', { type: 'Warning', occurrence: 1 }, true, 'first occurrence, labels unknown'],
    ['gateThenDrop', { namespace: 'default', type: 'Normal', count: 1 }, false, 'neither child can send'],
    ['gateThenDrop', { namespace: 'default', type: 'Normal', count: 5 }, true, 'minCount child'],
    ['gateThenDrop', { namespace: 'prod', type: 'Warning', count: 9 }, false, 'the label-free gate fails'],
    ['noReceivers', { type: 'Warning' }, false, 'the tree names no receiver'],
  ];
  for (const [name, spec, expected, why] of cases) {
    it(`${name} ${JSON.stringify(spec)} → ${expected} (${why})`, () => {
      const route = tree(TREES[name] ?? '');
      assert.equal(mayReachWithoutObject(route, event({ ...spec, object: false })), expected);
    });
  }

  it('is stable when the same tree is asked again (compiled once)', () => {
    const route = tree(TREES['labelGate'] ?? '');
    const e = event({ type: 'Warning', object: false });
    for (let i = 0; i < 3; i++) assert.equal(mayReachWithoutObject(route, e), true);
  });
});

describe('routeReadsObject', () => {
  const cases: [string, boolean][] = [
    ['A', false],
    ['D', true],
    ['doubleNot', true],
    ['dropNotAnnotation', true],
    ['E', false],
  ];
  for (const [name, expected] of cases) {
    it(`${name} → ${expected}`, () => assert.equal(routeReadsObject(tree(TREES[name] ?? '')), expected));
  }
  it('empty label maps carry no condition', () => {
    assert.equal(routeReadsObject(tree('match: [{labels: {}, annotations: null, receiver: dump}]')), false);
  });
});
