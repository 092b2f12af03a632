import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPath, type Problem } from '../../src/config/problem.ts';
import { compileRule, type CompiledRule, type RuleContext, type RuleRole } from '../../src/route/rule.ts';
import { event, type EventSpec } from './events.ts';

const ctx: RuleContext = { receivers: new Set(['slack', 'dump', 'elastic']), clusterName: 'prod-eu' };

function rule(raw: unknown, role: RuleRole = 'match'): CompiledRule {
  const result = compileRule(raw, ['r'], ctx, role);
  const errors = result.problems.filter((p) => p.severity === 'error');
  assert.deepEqual(errors, []);
  assert.ok(result.rule);
  return result.rule;
}

function shown(problems: readonly Problem[]): string[] {
  return problems.map((p) => `${p.severity} ${formatPath(p.path)}: ${p.message}`);
}

describe('rule matching', () => {
  const cases: [title: string, raw: Record<string, unknown>, spec: EventSpec, matches: boolean][] = [
    ['no fields matches all', {}, {}, true],
    ['receiver only matches all', { receiver: 'slack' }, { reason: 'X' }, true],
    ['message unanchored', { message: 'OOM' }, { message: 'container was OOMKilled' }, true],
    ['message miss', { message: 'OOM' }, { message: 'fine' }, false],
    ['apiVersion', { apiVersion: '^apps/' }, { apiVersion: 'apps/v1' }, true],
    [
      'kind contains: Pod matches PodDisruptionBudget',
      { kind: 'Pod' },
      { kind: 'PodDisruptionBudget' },
      true,
    ],
    ['kind anchored', { kind: '^Pod$' }, { kind: 'PodDisruptionBudget' }, false],
    [
      'namespace is the Event namespace',
      { namespace: '^default$' },
      { namespace: 'default', objectNamespace: 'other' },
      true,
    ],
    [
      'namespace ignores the object namespace',
      { namespace: '^other$' },
      { namespace: 'default', objectNamespace: 'other' },
      false,
    ],
    [
      'objectNamespace',
      { objectNamespace: '^other$' },
      { namespace: 'default', objectNamespace: 'other' },
      true,
    ],
    ['reason', { reason: 'BackOff' }, { reason: 'BackOff' }, true],
    ['type', { type: 'Warning' }, { type: 'Normal' }, false],
    ['component is source.component', { component: 'kubelet' }, { component: 'kubelet' }, true],
    [
      'component ignores reportingComponent',
      { component: 'kubelet' },
      { reportingComponent: 'kubelet' },
      false,
    ],
    [
      'reportingController',
      { reportingController: '^default-scheduler$' },
      { reportingComponent: 'default-scheduler' },
      true,
    ],
    ['host', { host: 'node-1' }, { host: 'node-12' }, true],
    ['name', { name: '^web-' }, { name: 'web-7d9f' }, true],
    ['name miss', { name: '^web-' }, { name: 'api-7d9f' }, false],
    ['clusterName', { clusterName: '^prod' }, { clusterName: 'prod-eu' }, true],
    ['clusterName miss', { clusterName: '^prod' }, { clusterName: 'staging' }, false],
    ['missing field compares as ""', { reason: '^$' }, {}, true],
    ['missing field fails a non-empty pattern', { reason: '.' }, {}, false],
    ['empty-string field is skipped', { reason: '', kind: '' }, { reason: 'X' }, true],
    ['null field is skipped', { reason: null }, { reason: 'X' }, true],
    [
      'all fields must match',
      { type: 'Warning', reason: 'BackOff' },
      { type: 'Warning', reason: 'Failed' },
      false,
    ],
    ['(?i) prefix', { type: '(?i)^warning$' }, { type: 'Warning' }, true],
    ['minCount met', { minCount: 5 }, { count: 5 }, true],
    ['minCount not met', { minCount: 5 }, { count: 4 }, false],
    ['minCount uses series.count', { minCount: 5 }, { count: 1, seriesCount: 7 }, true],
    ['minCount with no count', { minCount: 1 }, {}, false],
    ['minCount 0 is skipped', { minCount: 0 }, {}, true],
    ['labels match', { labels: { version: 'dev' } }, { labels: { version: 'dev', app: 'x' } }, true],
    ['labels value is a regex', { labels: { version: '^v1\\.' } }, { labels: { version: 'v1.2' } }, true],
    ['labels value miss', { labels: { version: 'dev' } }, { labels: { version: 'prod' } }, false],
    ['labels key missing', { labels: { version: 'dev' } }, { labels: { app: 'x' } }, false],
    ['labels all keys needed', { labels: { a: '', b: '' } }, { labels: { a: '1' } }, false],
    ['labels null value: key must exist', { labels: { team: null } }, { labels: { team: '' } }, true],
    ['labels "" value: key must exist', { labels: { team: '' } }, { labels: { other: 'x' } }, false],
    [
      'labels with unknown object compare as absent',
      { labels: { version: 'dev' } },
      { object: false },
      false,
    ],
    ['labels existence with unknown object', { labels: { team: null } }, { object: false }, false],
    ['labels inherited names are not labels', { labels: { constructor: null } }, { labels: {} }, false],
    ['empty labels map is skipped', { labels: {} }, { object: false }, true],
    [
      'annotations',
      { annotations: { 'owner.io/team': 'payments' } },
      { annotations: { 'owner.io/team': 'payments' } },
      true,
    ],
    ['annotations with unknown object', { annotations: { a: null } }, { object: false }, false],
    ['not inverts', { not: { namespace: '^kube-' } }, { namespace: 'kube-system' }, false],
    ['not passes', { not: { namespace: '^kube-' } }, { namespace: 'default' }, true],
    [
      'not with other fields',
      { type: 'Warning', not: { reason: 'BackOff' } },
      { type: 'Warning', reason: 'Failed' },
      true,
    ],
    ['nested not', { not: { not: { reason: 'X' } } }, { reason: 'X' }, true],
    [
      'preset',
      { preset: 'pod_crashloop' },
      { kind: 'Pod', reason: 'BackOff', message: 'Back-off restarting failed container app' },
      true,
    ],
    [
      'preset miss',
      { preset: 'pod_crashloop' },
      { kind: 'Pod', reason: 'BackOff', message: 'Back-off pulling image "x"' },
      false,
    ],
    [
      'preset and field',
      { preset: 'pod_unhealthy', namespace: '^prod$' },
      { kind: 'Pod', reason: 'Unhealthy', namespace: 'dev' },
      false,
    ],
  ];
  for (const [title, raw, spec, expected] of cases) {
    it(title, () => assert.equal(rule(raw).matches(event(spec)), expected));
  }

  it('records the receiver and the condition keys', () => {
    const r = rule({ namespace: 'prod', receiver: 'slack', reason: '' });
    assert.equal(r.receiver, 'slack');
    assert.deepEqual(r.keys, ['namespace']);
  });
});

describe('rule validation', () => {
  const cases: [title: string, raw: unknown, role: RuleRole, expected: string[]][] = [
    ['not a map', 'kind: Pod', 'match', ['error r: expected a map (a rule), got a string ("kind: Pod")']],
    ['null', null, 'match', ['error r: expected a map (a rule), got null']],
    ['a list', [], 'match', ['error r: expected a map (a rule), got a list']],
    [
      'typo with suggestion',
      { nmae: 'x' },
      'drop',
      [
        'warning r.nmae: unknown key "nmae" in rule, ignored, as kubernetes-event-exporter ignores it; did you mean "name"?',
      ],
    ],
    [
      'case typo',
      { Namespace: 'x' },
      'match',
      [
        'warning r.Namespace: unknown key "Namespace" in rule, ignored, as kubernetes-event-exporter ignores it; did you mean "namespace"?',
      ],
    ],
    [
      'plural typo',
      { label: { a: 'b' } },
      'match',
      [
        'warning r.label: unknown key "label" in rule, ignored, as kubernetes-event-exporter ignores it; did you mean "labels"?',
      ],
    ],
    [
      'unknown key without suggestion',
      { severity: 'high' },
      'match',
      [
        'warning r.severity: unknown key "severity" in rule, ignored, as kubernetes-event-exporter ignores it; valid keys: message, apiVersion, kind, namespace, reason, type, component, host, labels, annotations, minCount, receiver, name, objectNamespace, reportingController, clusterName, not, preset',
      ],
    ],
    [
      'glob',
      { namespace: '*test*' },
      'drop',
      [
        'warning r.namespace: invalid regular expression "*test*" (looks like a glob; did you mean ".*test.*"?); as in kubernetes-event-exporter (Go cannot compile it), this condition never holds, so the rule never matches',
      ],
    ],
    [
      'bad regex',
      { reason: '(' },
      'match',
      [
        'warning r.reason: invalid regular expression "(": missing closing ); as in kubernetes-event-exporter (Go cannot compile it), this condition never holds, so the rule never matches',
      ],
    ],
    [
      'number',
      { reason: 42 },
      'match',
      [
        'warning r.reason: expected a string, got a number (42); the exporter reads it as the string "42", and so do we; quote it ("42") to say so',
      ],
    ],
    [
      'boolean',
      { message: true },
      'match',
      [
        'warning r.message: expected a string, got a boolean (true); the exporter reads it as the string "true", and so do we; quote it ("true") to say so',
      ],
    ],
    [
      'map for string',
      { kind: { a: 1 } },
      'match',
      ['error r.kind: expected a string (a regular expression), got a map'],
    ],
    [
      'labels not a map',
      { labels: 'app=web' },
      'match',
      ['error r.labels: expected a map of labels to regular expressions, got a string ("app=web")'],
    ],
    [
      'labels list',
      { annotations: ['a'] },
      'match',
      ['error r.annotations: expected a map of annotations to regular expressions, got a list'],
    ],
    [
      'labels value type',
      { labels: { a: 1 } },
      'match',
      [
        'warning r.labels.a: expected a string, got a number (1); the exporter reads it as the string "1", and so do we; quote it ("1") to say so',
      ],
    ],
    [
      'labels bad regex',
      { labels: { a: '[' } },
      'match',
      [
        'warning r.labels.a: invalid regular expression "[": missing closing ]; as in kubernetes-event-exporter (Go cannot compile it), this condition never holds, so the rule never matches',
      ],
    ],
    [
      'minCount string',
      { minCount: '3' },
      'match',
      ['error r.minCount: expected a non-negative integer, got a string ("3")'],
    ],
    [
      'minCount negative',
      { minCount: -1 },
      'match',
      [
        'warning r.minCount: expected a non-negative integer, got a number (-1); as in kubernetes-event-exporter, the condition always holds',
      ],
    ],
    [
      'minCount fraction',
      { minCount: 1.5 },
      'match',
      [
        'warning r.minCount: expected a non-negative integer, got a number (1.5); as in kubernetes-event-exporter, it is read as 1',
      ],
    ],
    [
      'receiver undefined with suggestion',
      { receiver: 'slak' },
      'match',
      [
        'warning r.receiver: receiver "slak" is not defined; did you mean "slack"?; kubernetes-event-exporter loses the events this rule sends there, and here they go nowhere (the rule still gates its sub-routes)',
      ],
    ],
    [
      'receiver undefined without suggestion',
      { receiver: 'pagerduty' },
      'match',
      [
        'warning r.receiver: receiver "pagerduty" is not defined; defined receivers: dump, elastic, slack; kubernetes-event-exporter loses the events this rule sends there, and here they go nowhere (the rule still gates its sub-routes)',
      ],
    ],
    [
      'receiver type',
      { receiver: ['slack'] },
      'match',
      ['error r.receiver: expected a string (a receiver name), got a list'],
    ],
    [
      'receiver in drop',
      { receiver: 'slack', type: 'Normal' },
      'drop',
      ['warning r.receiver: receiver "slack" has no effect in a drop rule; drop rules only stop events'],
    ],
    [
      'receiver in not',
      { not: { receiver: 'slack' } },
      'match',
      ['error r.not.receiver: a "not" rule cannot have a receiver'],
    ],
    [
      'not not a map',
      { not: 'kube-system' },
      'match',
      ['error r.not: expected a map (a rule), got a string ("kube-system")'],
    ],
    [
      'not nested error',
      { not: { nmae: 'x' } },
      'match',
      [
        'warning r.not.nmae: unknown key "nmae" in rule, ignored, as kubernetes-event-exporter ignores it; did you mean "name"?',
        'warning r.not: "not" of a rule without conditions never matches, so this rule never matches',
      ],
    ],
    [
      'empty not',
      { not: {} },
      'match',
      ['warning r.not: "not" of a rule without conditions never matches, so this rule never matches'],
    ],
    [
      'preset type',
      { preset: ['a'] },
      'match',
      ['error r.preset: expected a string (a preset name), got a list'],
    ],
    [
      'unanchored kind',
      { kind: 'Pod' },
      'match',
      [
        'warning r.kind: "Pod" also matches HorizontalPodAutoscaler, PodDisruptionBudget, PodTemplate, VerticalPodAutoscaler (a pattern matches anywhere in the value); use "^Pod$" to match only Pod',
      ],
    ],
    [
      'unanchored kind alternation',
      { kind: 'Pod|Deployment|ReplicaSet' },
      'match',
      [
        'warning r.kind: "Pod|Deployment|ReplicaSet" also matches HorizontalPodAutoscaler, PodDisruptionBudget, PodTemplate, VerticalPodAutoscaler (a pattern matches anywhere in the value); use "^(Pod|Deployment|ReplicaSet)$" to match only Deployment, Pod, ReplicaSet',
      ],
    ],
    [
      'unanchored reason',
      { reason: 'Failed' },
      'drop',
      [
        'warning r.reason: "Failed" also matches ContainerGCFailed, FailedAttachVolume, FailedBinding, FailedCreate, FailedCreatePodContainer and 17 more (a pattern matches anywhere in the value); use "^Failed$" to match only Failed',
      ],
    ],
    [
      'half-anchored kind',
      { kind: '^Pod' },
      'match',
      [
        'warning r.kind: "^Pod" also matches PodDisruptionBudget, PodTemplate (a pattern matches anywhere in the value); use "^Pod$" to match only Pod',
      ],
    ],
    [
      'clusterName that never matches',
      { clusterName: '^staging$' },
      'match',
      [
        'warning r.clusterName: "^staging$" does not match the configured clusterName "prod-eu", so this rule never matches',
      ],
    ],
    [
      'several problems at once',
      { nmae: 'x', reason: '(', receiver: 'nope' },
      'match',
      [
        'warning r.nmae: unknown key "nmae" in rule, ignored, as kubernetes-event-exporter ignores it; did you mean "name"?',
        'warning r.reason: invalid regular expression "(": missing closing ); as in kubernetes-event-exporter (Go cannot compile it), this condition never holds, so the rule never matches',
        'warning r.receiver: receiver "nope" is not defined; defined receivers: dump, elastic, slack; kubernetes-event-exporter loses the events this rule sends there, and here they go nowhere (the rule still gates its sub-routes)',
      ],
    ],
  ];
  for (const [title, raw, role, expected] of cases) {
    it(title, () => {
      const result = compileRule(raw, ['r'], ctx, role);
      assert.deepEqual(shown(result.problems), expected);
      assert.equal(
        result.rule === undefined,
        expected.some((line) => line.startsWith('error')),
      );
    });
  }

  it('no warning for anchored or partial patterns', () => {
    for (const raw of [
      { kind: '^Pod$' },
      { kind: 'Deploy' },
      { type: 'Warning' },
      { reason: 'BackOff' },
      { kind: '(?i)^pod$' },
    ]) {
      assert.deepEqual(compileRule(raw, ['r'], ctx).problems, [], JSON.stringify(raw));
    }
  });

  it('unknown preset lists the valid ones', () => {
    const [problem] = compileRule({ preset: 'node_notredy' }, ['r'], ctx).problems;
    assert.ok(problem);
    assert.match(
      problem.message,
      /^unknown preset "node_notredy"; did you mean "node_notready"\? valid presets: node_notready, node_notschedulable, .*pod_crashloop/,
    );
    const [other] = compileRule({ preset: 'everything' }, ['r'], ctx).problems;
    assert.match(other?.message ?? '', /^unknown preset "everything"; valid presets: node_notready, /);
  });
});
