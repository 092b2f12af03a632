import type { EnrichedEvent, RawEvent } from '../event/event.ts';
import { inputName, readChangesFile, readObjectsFile } from '../event/input-file.ts';
import { ObjectIndex } from '../event/object-index.ts';
import type { EventReadError } from '../event/read-events.ts';
import { demoObjects, demoScenario } from '../sources/demo-scenario.ts';

export interface EventInput {
  readonly events: EnrichedEvent[];
  readonly errors: EventReadError[];
  /** Not errors, but worth saying: an input with no events at all. */
  readonly warnings: string[];
}

export interface InputOptions {
  readonly events?: string;
  readonly demo: boolean;
  readonly objects?: string;
  readonly clusterName: string;
  readonly environment: Readonly<Record<string, string>>;
}

// A fixed start keeps `--demo` output identical from run to run.
const DEMO_START_MS = Date.UTC(2026, 0, 15, 9, 30, 0);

/**
 * Each event is taken as the router would see it on its first occurrence: the offline commands
 * look at one snapshot, with no earlier watch history to count from.
 */
function enrich(
  raw: RawEvent,
  index: ObjectIndex | undefined,
  options: InputOptions,
  occurrence: number,
): EnrichedEvent {
  return {
    raw,
    object: index?.lookup(raw.involvedObject),
    occurrence,
    clusterName: options.clusterName,
    environment: options.environment,
  };
}

export async function loadEventInput(options: InputOptions): Promise<EventInput> {
  if (options.demo) {
    const index = new ObjectIndex();
    for (const obj of demoObjects()) index.add(obj);
    const events = demoScenario(DEMO_START_MS).map((step) =>
      enrich(step.event, index, options, step.event.count ?? 1),
    );
    return { events, errors: [], warnings: [] };
  }
  const index =
    options.objects === undefined ? undefined : await readObjectsFile('--objects', options.objects);
  const path = options.events ?? '-';
  const { changes, errors } = await readChangesFile('--events', path);
  // A snapshot: each Event once, as it stands; a DELETED watch line is not an event to route.
  const events = changes.filter((c) => c.type !== 'DELETED').map((c) => enrich(c.event, index, options, 1));
  const empty = changes.length === 0 && errors.length === 0;
  const source = inputName('--events', path);
  return {
    events,
    errors: errors.map((e) => ({ ...e, source })),
    warnings: empty ? [`${source}: no events`] : [],
  };
}
