import type { EnrichedEvent } from '../event/event.ts';
import type { RouteTrace, TraceStep } from '../route/trace.ts';

/** `payments/payments-api-…-hq4mz Warning BackOff` — how route-test names an event. */
export function describeEvent(event: EnrichedEvent): string {
  const { raw } = event;
  const obj = raw.involvedObject;
  const where = obj.namespace === undefined || obj.namespace === '' ? '' : `${obj.namespace}/`;
  const count = raw.count === undefined || raw.count <= 1 ? '' : ` ×${raw.count}`;
  return `${raw.type ?? '-'} ${raw.reason ?? '-'}${count} ${obj.kind ?? '?'} ${where}${obj.name ?? '?'}`;
}

function describeStep(step: TraceStep): string {
  switch (step.action) {
    case 'skip':
      return `${step.route}: skipped (repeats: first; occurrence ${step.occurrence})`;
    case 'drop':
      return `${step.route}: dropped by drop[${step.rule}]`;
    case 'match': {
      const rules = step.matches.map((m) => `match[${m.rule}] ${m.matched ? 'yes' : 'no'}${m.receiver === undefined ? '' : ` → ${m.receiver}`}`);
      const gate = step.gated ? '; children not evaluated' : '';
      return `${step.route}: ${rules.length === 0 ? 'no match rules' : rules.join(', ')}${gate}`;
    }
  }
}

export function describeTrace(trace: RouteTrace): string[] {
  const extra = Object.entries(trace.hits)
    .filter(([, hits]) => hits > 1)
    .map(([name, hits]) => `${name} reached ${hits} times, delivered once`);
  return [...trace.steps.map(describeStep), ...extra];
}
