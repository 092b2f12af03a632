// "Cheap drops first": before the object cache is asked for the involved object's labels and
// annotations, evaluate the route tree with those UNKNOWN (three-valued logic). When no receiver
// can be reached whatever they are, the lookup is skipped. The answer must be sound: false only
// when a full evaluation with any labels, annotations or no object at all reaches nothing.
//
// The public CompiledRoute/CompiledRule expose only `matches`, so the label-free part of a rule
// that has label conditions is recompiled once from its validated `raw` value and cached in a
// WeakMap keyed by the compiled route: the hot path does one WeakMap lookup and no allocation.
import type { EnrichedEvent } from '../event/event.ts';
import { compileRule, type CompiledRule, type RuleContext } from './rule.ts';
import type { CompiledRoute } from './route.ts';
import { MAP_FIELDS } from './rule-fields.ts';
import { isPlainMap } from './suggest.ts';

const FALSE = 0;
const TRUE = 1;
const UNKNOWN = 2;
type Tri = typeof FALSE | typeof TRUE | typeof UNKNOWN;
type TriTest = (event: EnrichedEvent) => Tri;

interface TriMatch {
  readonly test: TriTest;
  readonly sends: boolean;
}

interface TriNode {
  readonly firstOnly: boolean;
  readonly drop: readonly TriTest[];
  readonly match: readonly TriMatch[];
  readonly routes: readonly TriNode[];
  /** Some match rule in this subtree names a receiver; when false the subtree is skipped. */
  readonly sends: boolean;
}

const NO_RECEIVERS: RuleContext = { receivers: new Set() };
const compiled = new WeakMap<CompiledRoute, TriNode>();

/**
 * False only when the event reaches no receiver whatever the involved object's labels and
 * annotations are (including when the object cannot be found): then the lookup can be skipped.
 */
export function mayReachWithoutObject(route: CompiledRoute, event: EnrichedEvent): boolean {
  let node = compiled.get(route);
  if (node === undefined) {
    node = compileNode(route);
    compiled.set(route, node);
  }
  return node.sends && reaches(node, event);
}

/** True when some rule of the tree reads labels or annotations (directly or under `not`). */
export function routeReadsObject(route: CompiledRoute): boolean {
  const rules = [...route.drop, ...route.match];
  return rules.some((rule) => readsObject(rule.raw)) || route.routes.some(routeReadsObject);
}

function reaches(node: TriNode, event: EnrichedEvent): boolean {
  if (node.firstOnly && event.occurrence > 1) return false;
  // A drop that is only "unknown" might not drop, so only a certain drop stops here.
  for (const test of node.drop) if (test(event) === TRUE) return false;
  let gated = true;
  for (const rule of node.match) {
    const result = rule.test(event);
    if (result === FALSE) gated = false;
    else if (rule.sends) return true;
  }
  if (!gated) return false;
  for (const child of node.routes) if (child.sends && reaches(child, event)) return true;
  return false;
}

function compileNode(route: CompiledRoute): TriNode {
  const routes = route.routes.map(compileNode);
  const match = route.match.map((rule) => ({ test: ruleTest(rule), sends: rule.receiver !== undefined }));
  const sends = match.some((m) => m.sends) || routes.some((r) => r.sends);
  return { firstOnly: route.repeats === 'first', drop: route.drop.map(ruleTest), match, routes, sends };
}

function ruleTest(rule: CompiledRule): TriTest {
  if (!readsObject(rule.raw)) return (event) => (rule.matches(event) ? TRUE : FALSE);
  return rawTest(rule.raw);
}

function hasMapCondition(raw: Readonly<Record<string, unknown>>): boolean {
  return MAP_FIELDS.some((key) => {
    const value = raw[key];
    return isPlainMap(value) && Object.keys(value).length > 0;
  });
}

function readsObject(raw: Readonly<Record<string, unknown>>): boolean {
  const not = raw['not'];
  return hasMapCondition(raw) || (isPlainMap(not) && readsObject(not));
}

// A rule is the conjunction of its conditions: false if any is false, unknown if any is
// unknown, else true. Label and annotation conditions are unknown; `not` of unknown is unknown.
function rawTest(raw: Readonly<Record<string, unknown>>): TriTest {
  const not = raw['not'];
  const notTest = isPlainMap(not) && readsObject(not) ? rawTest(not) : undefined;
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const dropped =
      key === 'receiver' ||
      (MAP_FIELDS as readonly string[]).includes(key) ||
      (key === 'not' && notTest !== undefined);
    if (!dropped) rest[key] = value;
  }
  // The original rule compiled, so its parts do; should one not, "always" keeps the answer sound.
  const known = compileRule(rest, [], NO_RECEIVERS, 'not').rule;
  const base: Tri = hasMapCondition(raw) ? UNKNOWN : TRUE;
  return (event) => {
    if (known !== undefined && !known.matches(event)) return FALSE;
    if (notTest === undefined) return base;
    const inner = notTest(event);
    if (inner === TRUE) return FALSE;
    return inner === UNKNOWN ? UNKNOWN : base;
  };
}
