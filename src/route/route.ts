// The route tree (docs/routing.md): validated from the raw `route` value, compiled once, then
// evaluated for every event. evaluate() is the hot path: no allocation unless a receiver is hit.
import type { EnrichedEvent } from '../event/event.ts';
import { error, warning, type ConfigPath, type Problem } from '../config/problem.ts';
import { compileRule, type CompiledRule, type RuleContext, type RuleRole } from './rule.ts';
import { RULE_KEYS } from './rule-fields.ts';
import { emptyDropWarnings, mixedMatchWarning } from './route-warnings.ts';
import { describeValue, didYouMean, isPlainMap } from './suggest.ts';
import type { RouteTrace, RuleTrace, TraceStep } from './trace.ts';

export const REPEATS = ['all', 'first'] as const;
/** `first`: this route and everything below it only see occurrence 1 of an Event. */
export type Repeats = (typeof REPEATS)[number];

export interface RouteContext {
  readonly receivers: ReadonlySet<string>;
  readonly clusterName: string;
  /** The config's top-level `repeats`; a route's own `repeats` overrides it for its subtree. */
  readonly repeats?: Repeats;
}

export interface CompiledRoute {
  /** `root`, `root/1`, `root/1/0`. */
  readonly id: string;
  readonly drop: readonly CompiledRule[];
  readonly match: readonly CompiledRule[];
  readonly routes: readonly CompiledRoute[];
  /** Effective for this route (own setting, else inherited). */
  readonly repeats: Repeats;
  /** Receivers for the event, deduplicated, in the order they were first reached. */
  evaluate(event: EnrichedEvent): readonly string[];
  trace(event: EnrichedEvent): RouteTrace;
}

export interface RouteResult {
  readonly route?: CompiledRoute;
  readonly problems: Problem[];
}

const ROUTE_KEYS = ['drop', 'match', 'routes', 'repeats'] as const;
const NO_RECEIVERS: readonly string[] = Object.freeze([]);

class RouteNode implements CompiledRoute {
  private readonly firstOnly: boolean;

  constructor(
    readonly id: string,
    readonly drop: readonly CompiledRule[],
    readonly match: readonly CompiledRule[],
    readonly routes: readonly RouteNode[],
    readonly repeats: Repeats,
  ) {
    this.firstOnly = repeats === 'first';
  }

  evaluate(event: EnrichedEvent): readonly string[] {
    return this.visit(event, undefined) ?? NO_RECEIVERS;
  }

  // `out` is created on the first hit and threaded through, so misses allocate nothing.
  private visit(event: EnrichedEvent, out: string[] | undefined): string[] | undefined {
    if (this.firstOnly && event.occurrence > 1) return out;
    for (const rule of this.drop) if (rule.matches(event)) return out;
    let all = true;
    for (const rule of this.match) {
      if (!rule.matches(event)) {
        all = false;
        continue;
      }
      const receiver = rule.receiver;
      if (receiver === undefined) continue;
      if (out === undefined) out = [receiver];
      else if (!out.includes(receiver)) out.push(receiver);
    }
    if (all) for (const child of this.routes) out = child.visit(event, out);
    return out;
  }

  trace(event: EnrichedEvent): RouteTrace {
    const steps: TraceStep[] = [];
    const hits: Record<string, number> = {};
    this.traceInto(event, steps, hits);
    return { receivers: Object.keys(hits).sort(), steps, hits };
  }

  private traceInto(event: EnrichedEvent, steps: TraceStep[], hits: Record<string, number>): void {
    if (this.firstOnly && event.occurrence > 1) {
      steps.push({ route: this.id, action: 'skip', reason: 'repeats', occurrence: event.occurrence });
      return;
    }
    const dropped = this.drop.findIndex((rule) => rule.matches(event));
    if (dropped >= 0) {
      steps.push({ route: this.id, action: 'drop', rule: dropped });
      return;
    }
    const matches: RuleTrace[] = [];
    const receivers: string[] = [];
    this.match.forEach((rule, index) => {
      const matched = rule.matches(event);
      const receiver = matched ? rule.receiver : undefined;
      matches.push(receiver === undefined ? { rule: index, matched } : { rule: index, matched, receiver });
      if (receiver === undefined) return;
      receivers.push(receiver);
      hits[receiver] = (hits[receiver] ?? 0) + 1;
    });
    const gated = matches.some((m) => !m.matched);
    steps.push({ route: this.id, action: 'match', matches, receivers, gated });
    if (!gated) for (const child of this.routes) child.traceInto(event, steps, hits);
  }
}

/** Compiles the `route` value; problem paths are relative to it. */
export function compileRoute(raw: unknown, ctx: RouteContext): RouteResult {
  const problems: Problem[] = [];
  const route = compileNode(raw ?? {}, [], 'root', ctx.repeats ?? 'all', ctx, problems);
  if (problems.some((p) => p.severity === 'error')) return { problems };
  return { route, problems };
}

function compileNode(
  raw: unknown,
  path: ConfigPath,
  id: string,
  inherited: Repeats,
  ctx: RouteContext,
  problems: Problem[],
): RouteNode {
  if (!isPlainMap(raw)) {
    problems.push(
      error(path, `expected a map (a route with drop, match, routes), got ${describeValue(raw)}`),
    );
    return new RouteNode(id, [], [], [], inherited);
  }
  for (const key of Object.keys(raw)) {
    if (!(ROUTE_KEYS as readonly string[]).includes(key))
      problems.push(warning([...path, key], unknownRouteKey(key)));
  }
  const repeats = compileRepeats(raw['repeats'], [...path, 'repeats'], problems) ?? inherited;
  const drop = compileRules(raw['drop'], [...path, 'drop'], ctx, 'drop', problems);
  const match = compileRules(raw['match'], [...path, 'match'], ctx, 'match', problems);
  problems.push(...emptyDropWarnings(drop, [...path, 'drop']));
  const mixed = mixedMatchWarning(match, [...path, 'match']);
  if (mixed !== undefined) problems.push(mixed);
  const children = listOf(raw['routes'], [...path, 'routes'], 'routes', problems).map((child, i) =>
    compileNode(child, [...path, 'routes', i], `${id}/${i}`, repeats, ctx, problems),
  );
  return new RouteNode(id, drop, match, children, repeats);
}

// The exporter's decoder skips keys it does not know: the route works without this one.
function unknownRouteKey(key: string): string {
  const ignored = `unknown key "${key}" in route, ignored, as kubernetes-event-exporter ignores it`;
  if (RULE_KEYS.includes(key)) {
    return `${ignored}; rule keys such as "${key}" go in an item of a "match" or "drop" list`;
  }
  const guess = didYouMean(key, ROUTE_KEYS);
  const hint = guess === undefined ? `valid keys: ${ROUTE_KEYS.join(', ')}` : `did you mean "${guess}"?`;
  return `${ignored}; ${hint}`;
}

function compileRepeats(value: unknown, path: ConfigPath, problems: Problem[]): Repeats | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 'all' || value === 'first') return value;
  problems.push(error(path, `expected "all" or "first", got ${describeValue(value)}`));
  return undefined;
}

function listOf(value: unknown, path: ConfigPath, what: string, problems: Problem[]): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  problems.push(error(path, `expected a list of ${what}, got ${describeValue(value)}`));
  return [];
}

function compileRules(
  value: unknown,
  path: ConfigPath,
  ctx: RuleContext,
  role: RuleRole,
  problems: Problem[],
): CompiledRule[] {
  const rules: CompiledRule[] = [];
  listOf(value, path, 'rules', problems).forEach((raw, i) => {
    const result = compileRule(raw, [...path, i], ctx, role);
    problems.push(...result.problems);
    if (result.rule !== undefined) rules.push(result.rule);
  });
  return rules;
}

export interface RouteSummary {
  readonly routes: number;
  readonly dropRules: number;
  readonly matchRules: number;
  readonly rules: number;
  /** Distinct receivers named by match rules, sorted. */
  readonly receivers: readonly string[];
}

/** Counts for `check`: routes (root included), rules and the receivers the tree can reach. */
export function routeSummary(route: CompiledRoute): RouteSummary {
  let routes = 0;
  let dropRules = 0;
  let matchRules = 0;
  const receivers = new Set<string>();
  const walk = (node: CompiledRoute): void => {
    routes++;
    dropRules += node.drop.length;
    matchRules += node.match.length;
    for (const rule of node.match) if (rule.receiver !== undefined) receivers.add(rule.receiver);
    node.routes.forEach(walk);
  };
  walk(route);
  return { routes, dropRules, matchRules, rules: dropRules + matchRules, receivers: [...receivers].sort() };
}
