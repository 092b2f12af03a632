import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { formatPath, type Problem } from '../../src/config/problem.ts';
import { compileRoute, routeSummary, type CompiledRoute, type RouteContext } from '../../src/route/route.ts';
import { event, type EventSpec } from './events.ts';

const ctx: RouteContext = {
  receivers: new Set(['elastic', 'osman', 'any', 'dump', 'critical', 'slack', 'pager']),
  clusterName: 'test',
};

function tree(yaml: string, context: RouteContext = ctx): CompiledRoute {
  const result = compileRoute(parse(yaml), context);
  assert.deepEqual(
    result.problems.filter((p) => p.severity === 'error'),
    [],
  );
  assert.ok(result.route);
  return result.route;
}

function shown(problems: readonly Problem[]): string[] {
  return problems.map((p) => `${p.severity} ${formatPath(p.path)}: ${p.message}`);
}

const A = `
drop:
  - type: Normal
match:
  - reason: FailedCreatePodContainer
    receiver: elastic
`;
const B = `
match:
  - namespace: kube-*
routes:
  - match:
      - receiver: osman
    routes:
      - drop:
          - namespace: kube-system
        match:
          - receiver: any
`;
const C = `
match:
  - namespace: kube-system
    receiver: osman
  - receiver: any
`;
const D = `
routes:
  - match:
      - receiver: dump
  - drop:
      - namespace: "^.*test.*$"
      - type: Normal
    match:
      - receiver: critical
  - match:
      - kind: "Pod|Deployment|ReplicaSet"
        labels:
          version: dev
        receiver: slack
`;
const E = `
drop:
  - namespace: kube-system
match:
  - receiver: osman
`;

describe('worked examples (docs/routing.md)', () => {
  const cases: [name: string, yaml: string, spec: EventSpec, receivers: string[]][] = [
    ['A', A, { type: 'Warning', reason: 'FailedCreatePodContainer' }, ['elastic']],
    ['A2', A, { type: 'Warning', reason: 'FailedCreate' }, []],
    ['A (Normal dropped)', A, { type: 'Normal', reason: 'FailedCreatePodContainer' }, []],
    ['B', B, { namespace: 'kube-system' }, ['osman']],
    ['B (other namespace: gated)', B, { namespace: 'default' }, []],
    ['B (kube-public reaches the grandchild)', B, { namespace: 'kube-public' }, ['osman', 'any']],
    ['C', C, { namespace: 'kube-system' }, ['osman', 'any']],
    ['C (other namespace)', C, { namespace: 'default' }, ['any']],
    [
      'D',
      D,
      { type: 'Warning', namespace: 'app-test', kind: 'Pod', labels: { version: 'dev' } },
      ['dump', 'slack'],
    ],
    [
      'D2',
      D,
      { type: 'Normal', namespace: 'prod', kind: 'PodDisruptionBudget', labels: { version: 'dev' } },
      ['dump', 'slack'],
    ],
    ['D (Warning in prod)', D, { type: 'Warning', namespace: 'prod', kind: 'Service' }, ['dump', 'critical']],
    [
      'D (unknown object: labels absent)',
      D,
      { type: 'Warning', namespace: 'prod', kind: 'Pod', object: false },
      ['dump', 'critical'],
    ],
    ['E', E, { namespace: 'kube-system' }, []],
    ['E (other namespace)', E, { namespace: 'default' }, ['osman']],
  ];
  for (const [name, yaml, spec, receivers] of cases) {
    it(`${name} → ${receivers.join(', ') || 'none'}`, () => {
      assert.deepEqual(tree(yaml).evaluate(event(spec)), receivers);
    });
  }
});

describe('evaluation', () => {
  it('an empty or missing route sends nothing', () => {
    assert.deepEqual(tree('{}').evaluate(event({})), []);
    const result = compileRoute(undefined, ctx);
    assert.deepEqual(result.route?.evaluate(event({})), []);
  });

  it('a drop does not undo sends made by ancestors and does not affect siblings', () => {
    const route = tree(`
match: [{receiver: dump}]
routes:
  - drop: [{type: Normal}]
    match: [{receiver: critical}]
  - match: [{receiver: slack}]
`);
    assert.deepEqual(route.evaluate(event({ type: 'Normal' })), ['dump', 'slack']);
  });

  it('a receiver reached several times is delivered once, in first-reached order', () => {
    const route = tree(`
match: [{receiver: slack}, {receiver: dump}, {receiver: slack}]
routes:
  - match: [{receiver: dump}, {receiver: pager}]
`);
    assert.deepEqual(route.evaluate(event({})), ['slack', 'dump', 'pager']);
  });

  it('not, name, objectNamespace, reportingController and clusterName route', () => {
    const route = tree(`
routes:
  - match:
      - name: "^web-"
        not: {reason: "^Pulled$"}
        receiver: slack
  - match:
      - objectNamespace: "^payments$"
        reportingController: "^kubelet$"
        receiver: pager
  - match:
      - clusterName: "^test$"
        receiver: dump
`);
    const spec = { name: 'web-1', objectNamespace: 'payments', reportingComponent: 'kubelet' };
    assert.deepEqual(route.evaluate(event({ ...spec, reason: 'BackOff' })), ['slack', 'pager', 'dump']);
    assert.deepEqual(route.evaluate(event({ ...spec, reason: 'Pulled', clusterName: 'other' })), ['pager']);
  });

  it('minCount gates on the current count', () => {
    const route = tree('match: [{reason: BackOff, minCount: 3, receiver: pager}]');
    assert.deepEqual(route.evaluate(event({ reason: 'BackOff', count: 2 })), []);
    assert.deepEqual(route.evaluate(event({ reason: 'BackOff', count: 3 })), ['pager']);
  });

  it('repeats: first on a route only lets occurrence 1 through it and below', () => {
    const route = tree(`
match: [{receiver: dump}]
routes:
  - repeats: first
    match: [{receiver: pager}]
    routes:
      - repeats: all
        match: [{receiver: slack}]
`);
    assert.deepEqual(route.evaluate(event({ occurrence: 1 })), ['dump', 'pager', 'slack']);
    assert.deepEqual(route.evaluate(event({ occurrence: 2 })), ['dump']);
    assert.equal(route.repeats, 'all');
    assert.equal(route.routes[0]?.repeats, 'first');
  });

  it('repeats: first at the root, from the route or the context', () => {
    for (const route of [
      tree('{repeats: first, match: [{receiver: dump}]}'),
      tree('match: [{receiver: dump}]', { ...ctx, repeats: 'first' }),
    ]) {
      assert.deepEqual(route.evaluate(event({ occurrence: 1 })), ['dump']);
      assert.deepEqual(route.evaluate(event({ occurrence: 3 })), []);
    }
  });

  it('children inherit repeats: first', () => {
    const route = tree('{repeats: first, routes: [{match: [{receiver: dump}]}]}');
    assert.equal(route.routes[0]?.repeats, 'first');
  });

  it('presets route', () => {
    const route = tree(
      'match: [{preset: node_notready, receiver: pager}, {preset: pod_crashloop, receiver: slack}]',
    );
    assert.deepEqual(route.evaluate(event({ kind: 'Node', reason: 'NodeNotReady' })), ['pager']);
  });
});

describe('trace', () => {
  it('example D, Warning in app-test', () => {
    const trace = tree(D).trace(
      event({ type: 'Warning', namespace: 'app-test', kind: 'Pod', labels: { version: 'dev' } }),
    );
    assert.deepEqual(trace, {
      receivers: ['dump', 'slack'],
      hits: { dump: 1, slack: 1 },
      steps: [
        { route: 'root', action: 'match', matches: [], receivers: [], gated: false },
        {
          route: 'root/0',
          action: 'match',
          matches: [{ rule: 0, matched: true, receiver: 'dump' }],
          receivers: ['dump'],
          gated: false,
        },
        { route: 'root/1', action: 'drop', rule: 0 },
        {
          route: 'root/2',
          action: 'match',
          matches: [{ rule: 0, matched: true, receiver: 'slack' }],
          receivers: ['slack'],
          gated: false,
        },
      ],
    });
  });

  it('example B shows the gate, the drop and nested ids', () => {
    assert.deepEqual(tree(B).trace(event({ namespace: 'kube-system' })).steps, [
      { route: 'root', action: 'match', matches: [{ rule: 0, matched: true }], receivers: [], gated: false },
      {
        route: 'root/0',
        action: 'match',
        matches: [{ rule: 0, matched: true, receiver: 'osman' }],
        receivers: ['osman'],
        gated: false,
      },
      { route: 'root/0/0', action: 'drop', rule: 0 },
    ]);
    assert.deepEqual(tree(B).trace(event({ namespace: 'default' })), {
      receivers: [],
      hits: {},
      steps: [
        {
          route: 'root',
          action: 'match',
          matches: [{ rule: 0, matched: false }],
          receivers: [],
          gated: true,
        },
      ],
    });
  });

  it('counts extra hits and sorts receivers', () => {
    const trace = tree(
      'match: [{receiver: slack}, {receiver: dump}]\nroutes: [{match: [{receiver: slack}]}]',
    ).trace(event({}));
    assert.deepEqual(trace.receivers, ['dump', 'slack']);
    assert.deepEqual(trace.hits, { slack: 2, dump: 1 });
  });

  it('shows a repeats skip', () => {
    const trace = tree('routes: [{repeats: first, match: [{receiver: dump}]}]').trace(
      event({ occurrence: 2 }),
    );
    assert.deepEqual(trace.steps[1], { route: 'root/0', action: 'skip', reason: 'repeats', occurrence: 2 });
    assert.deepEqual(trace.receivers, []);
  });

  it('agrees with evaluate on every real event', async () => {
    const { realEvents, enrich } = await import('./events.ts');
    const route = tree(D);
    for (const raw of realEvents()) {
      const e = enrich(raw, { labels: { version: 'dev' } });
      assert.deepEqual([...route.evaluate(e)].sort(), route.trace(e).receivers);
    }
  });
});

describe('route validation', () => {
  const cases: [title: string, yaml: string, expected: string[]][] = [
    ['not a map', '[a]', ['error : expected a map (a route with drop, match, routes), got a list']],
    [
      'unknown key with suggestion',
      'rotues: []',
      [
        'warning rotues: unknown key "rotues" in route, ignored, as kubernetes-event-exporter ignores it; did you mean "routes"?',
      ],
    ],
    [
      'rule key on a route',
      'receiver: slack',
      [
        'warning receiver: unknown key "receiver" in route, ignored, as kubernetes-event-exporter ignores it; rule keys such as "receiver" go in an item of a "match" or "drop" list',
      ],
    ],
    [
      'unknown key',
      'foo: 1',
      [
        'warning foo: unknown key "foo" in route, ignored, as kubernetes-event-exporter ignores it; valid keys: drop, match, routes, repeats',
      ],
    ],
    ['match not a list', 'match: {receiver: slack}', ['error match: expected a list of rules, got a map']],
    ['routes not a list', 'routes: {match: []}', ['error routes: expected a list of routes, got a map']],
    [
      'route item not a map',
      'routes: [slack]',
      ['error routes[0]: expected a map (a route with drop, match, routes), got a string ("slack")'],
    ],
    ['repeats value', 'repeats: once', ['error repeats: expected "all" or "first", got a string ("once")']],
    [
      'nested rule errors carry the full path',
      'routes: [{}, {drop: [{namespace: "*test*"}]}]',
      [
        'warning routes[1].drop[0].namespace: invalid regular expression "*test*" (looks like a glob; did you mean ".*test.*"?); as in kubernetes-event-exporter (Go cannot compile it), this condition never holds, so the rule never matches',
      ],
    ],
    [
      'typo in a drop rule',
      'drop: [{nmae: x}]',
      [
        'warning drop[0].nmae: unknown key "nmae" in rule, ignored, as kubernetes-event-exporter ignores it; did you mean "name"?',
        'warning drop[0]: this drop rule has no conditions, so it drops every event here and below',
      ],
    ],
    [
      'undefined receiver',
      'match: [{receiver: slak}]',
      [
        'warning match[0].receiver: receiver "slak" is not defined; did you mean "slack"?; kubernetes-event-exporter loses the events this rule sends there, and here they go nowhere (the rule still gates its sub-routes)',
      ],
    ],
    ['null lists are empty', 'drop: null\nmatch: null\nroutes: null', []],
    [
      'empty drop rule',
      'drop: [{}]',
      ['warning drop[0]: this drop rule has no conditions, so it drops every event here and below'],
    ],
    [
      'mixed filter and receiver items',
      'match:\n  - namespace: prod\n  - receiver: slack',
      [
        'warning match: match rules are independent: the item with only "receiver: slack" sends every event to "slack", whatever the other items match; to send only matching events, put the receiver in the same item:\n  - namespace: prod\n    receiver: slack',
      ],
    ],
    [
      'mixed items quote values that need it',
      'routes:\n  - match:\n      - kind: "^(Pod|Job)$"\n        labels: {version: dev}\n      - receiver: dump',
      [
        'warning routes[0].match: match rules are independent: the item with only "receiver: dump" sends every event to "dump", whatever the other items match; to send only matching events, put the receiver in the same item:\n  - kind: "^(Pod|Job)$"\n    labels: {version: dev}\n    receiver: dump',
      ],
    ],
    ['filter with receiver plus receiver-only is fine (example C)', C, []],
  ];
  for (const [title, yaml, expected] of cases) {
    it(title, () => {
      const result = compileRoute(parse(yaml), ctx);
      assert.deepEqual(shown(result.problems), expected);
      assert.equal(
        result.route === undefined,
        expected.some((line) => line.startsWith('error')),
      );
    });
  }

  it('example D warns about the unanchored kind', () => {
    const { problems } = compileRoute(parse(D), ctx);
    assert.deepEqual(
      problems.map((p) => `${p.severity} ${formatPath(p.path)}`),
      ['warning routes[2].match[0].kind'],
    );
  });

  it('reports every problem of the tree', () => {
    const { problems } = compileRoute(
      parse('drop: [{nmae: x}]\nroutes: [{match: [{reason: "(", receiver: nope}]}, {rotues: []}]'),
      ctx,
    );
    assert.deepEqual(
      problems.map((p) => formatPath(p.path)),
      [
        'drop[0].nmae',
        'drop[0]',
        'routes[0].match[0].reason',
        'routes[0].match[0].receiver',
        'routes[1].rotues',
      ],
    );
  });
});

describe('routeSummary', () => {
  it('counts routes, rules and receivers', () => {
    assert.deepEqual(routeSummary(tree(D)), {
      routes: 4,
      dropRules: 2,
      matchRules: 3,
      rules: 5,
      receivers: ['critical', 'dump', 'slack'],
    });
    assert.deepEqual(routeSummary(tree('{}')), {
      routes: 1,
      dropRules: 0,
      matchRules: 0,
      rules: 0,
      receivers: [],
    });
  });
});
