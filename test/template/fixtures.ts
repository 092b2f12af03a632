// Shared test helpers: the real events as the router sees them.
import { readFileSync } from 'node:fs';
import type { EnrichedEvent, InvolvedObjectMeta, RawEvent } from '../../src/event/event.ts';
import { normalizeEvent } from '../../src/event/normalize.ts';

const REAL_EVENTS = new URL('../fixtures/events/real-events.ndjson', import.meta.url);

export function realEventLines(): string[] {
  return readFileSync(REAL_EVENTS, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
}

export function enriched(
  raw: RawEvent,
  extra: Partial<Omit<EnrichedEvent, 'raw'>> & { object?: InvolvedObjectMeta } = {},
): EnrichedEvent {
  return {
    raw,
    object: extra.object,
    occurrence: extra.occurrence ?? 1,
    clusterName: extra.clusterName ?? '',
    environment: extra.environment ?? {},
  };
}

/** Every real event, normalised, without enrichment. */
export function realEvents(): EnrichedEvent[] {
  return realEventLines().map((l) => enriched(normalizeEvent(JSON.parse(l))));
}
