// Event view vs real Go: every template of the table over every sampled real event must render
// the bytes Go's text/template + sprig render over the exporter's EnhancedEvent
// (goldens: test/template/golden/event-view.json, regenerate with tools/template-goldens.sh).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { EnrichedEvent, InvolvedObjectMeta, RawEvent } from '../../src/event/event.ts';
import { compileEventTemplate, enhancedEventJson, type CompiledTemplate } from '../../src/template/index.ts';

interface Sample {
  line: number;
  event: RawEvent;
  object: InvolvedObjectMeta | null;
  clusterName: string;
  occurrence: number;
  environment: Record<string, string>;
}
interface Golden {
  event: number;
  name: string;
  output?: string;
  error?: string;
}

const read = <T>(path: string): T => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as T;
const cases = read<{ templates: { name: string; template: string }[]; events: Sample[] }>(
  './cases/event-cases.json',
);
const goldens = read<Golden[]>('./golden/event-view.json');

export function sampleEvent(s: Sample): EnrichedEvent {
  return {
    raw: s.event,
    object: s.object ?? undefined,
    occurrence: s.occurrence,
    clusterName: s.clusterName,
    environment: s.environment,
  };
}

const events = cases.events.map(sampleEvent);

const templates = new Map<string, CompiledTemplate>(
  cases.templates.map((t) => [t.name, compileEventTemplate(t.template)]),
);

function render(g: Golden): { output?: string; error?: string } {
  const event = events[g.event] as EnrichedEvent;
  if (g.name === 'json.Marshal') return { output: enhancedEventJson(event) };
  try {
    return { output: (templates.get(g.name) as CompiledTemplate).execute(event) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

test('the sample is big enough', () => {
  assert.ok(cases.events.length >= 30, `${cases.events.length} events`);
  assert.ok(cases.templates.length >= 40, `${cases.templates.length} templates`);
  assert.equal(goldens.length, cases.events.length * (cases.templates.length + 1));
});

test('every template renders Go’s bytes for every sampled real event', () => {
  const mismatches: string[] = [];
  for (const g of goldens) {
    const got = render(g);
    const ok = g.error !== undefined ? got.error !== undefined : got.output === g.output;
    if (!ok)
      mismatches.push(
        `event ${g.event} (line ${cases.events[g.event]?.line}) ${g.name}:\n  go:  ${JSON.stringify(g.output ?? g.error)}\n  ts:  ${JSON.stringify(got.output ?? got.error)}`,
      );
  }
  assert.equal(
    mismatches.length,
    0,
    `${mismatches.length}/${goldens.length} differ:\n${mismatches.slice(0, 20).join('\n')}`,
  );
});
