// Shared test helpers: the real events as the router sees them.
import type { EnrichedEvent, InvolvedObjectMeta, RawEvent } from '../../src/event/event.ts';
import { normalizeEvent } from '../../src/event/normalize.ts';
import { realEventLines } from '../support/real-events.ts';

export { realEventLines };

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
