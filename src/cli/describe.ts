import { stringify } from 'yaml';
import type { EnrichedEvent } from '../event/event.ts';
import type { CompiledRoute } from '../route/route.ts';
import type { CompiledRule } from '../route/rule.ts';
import type { RouteTrace, TraceStep } from '../route/trace.ts';

/** `Warning BackOff ×3 Pod payments/payments-api-…-hq4mz` — how route-test names an event. */
export function describeEvent(event: EnrichedEvent): string {
  const { raw } = event;
  const obj = raw.involvedObject;
  const where = obj.namespace === undefined || obj.namespace === '' ? '' : `${obj.namespace}/`;
  const count = raw.count === undefined || raw.count <= 1 ? '' : ` ×${raw.count}`;
  return `${raw.type ?? '-'} ${raw.reason ?? '-'}${count} ${obj.kind ?? '?'} ${where}${obj.name ?? '?'}`;
}

function indexRoutes(
  route: CompiledRoute,
  into = new Map<string, CompiledRoute>(),
): Map<string, CompiledRoute> {
  into.set(route.id, route);
  for (const child of route.routes) indexRoutes(child, into);
  return into;
}

/** A rule as its YAML flow text, without the receiver (shown separately). */
function ruleText(rule: CompiledRule | undefined): string {
  if (rule === undefined) return '';
  const conditions = Object.fromEntries(Object.entries(rule.raw).filter(([key]) => key !== 'receiver'));
  return Object.keys(conditions).length === 0
    ? ' (every event)'
    : ` ${stringify(conditions, { collectionStyle: 'flow' }).trim()}`;
}

/**
 * Describes the steps that decided something — a drop, a match rule that sent, a repeats skip —
 * so the output stays readable for trees with many routes; `--output json` has every step.
 */
export class TraceDescriber {
  private readonly routes: Map<string, CompiledRoute>;

  constructor(root: CompiledRoute) {
    this.routes = indexRoutes(root);
  }

  private step(step: TraceStep): string[] {
    const route = this.routes.get(step.route);
    switch (step.action) {
      case 'skip':
        return [`${step.route}: skipped, repeats: first (occurrence ${step.occurrence})`];
      case 'drop':
        return [`${step.route}: dropped by drop[${step.rule}]${ruleText(route?.drop[step.rule])}`];
      case 'match':
        return step.matches
          .filter((m) => m.matched && m.receiver !== undefined)
          .map(
            (m) => `${step.route}: match[${m.rule}]${ruleText(route?.match[m.rule])} → ${m.receiver ?? ''}`,
          );
    }
  }

  describe(trace: RouteTrace): string[] {
    const extra = Object.entries(trace.hits)
      .filter(([, hits]) => hits > 1)
      .map(([name, hits]) => `${name} reached ${hits} times, delivered once`);
    return [...trace.steps.flatMap((s) => this.step(s)), ...extra];
  }
}
