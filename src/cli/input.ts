import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import type { EnrichedEvent, RawEvent } from '../event/event.ts';
import { ObjectIndex, readObjects } from '../event/object-index.ts';
import { type EventReadError, readEvents } from '../event/read-events.ts';
import { demoObjects, demoScenario } from '../sources/demo-scenario.ts';

export interface EventInput {
  readonly events: EnrichedEvent[];
  readonly errors: EventReadError[];
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

async function readSource(path: string): Promise<string> {
  return path === '-' ? text(process.stdin) : readFile(path, 'utf8');
}

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
    return { events, errors: [] };
  }
  const index = options.objects === undefined ? undefined : readObjects(await readSource(options.objects));
  const { events, errors } = readEvents(await readSource(options.events ?? '-'));
  return { events: events.map((raw) => enrich(raw, index, options, 1)), errors };
}
