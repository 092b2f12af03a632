import type { EventChange } from '../sources/types.ts';
import type { RawEvent } from './event.ts';
import { eventId } from './normalize.ts';

// Decides what counts as a new occurrence (docs/routing.md, Occurrences): the first sight of an
// Event, and each later sight whose count, series.count or last-seen time moved. A re-list after
// `410 Gone` therefore yields exactly the occurrences that happened in the gap.

export const SKIP_REASONS = ['duplicate', 'stale', 'deleted'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export type DedupeDecision =
  | { readonly kind: 'new'; readonly occurrence: number }
  | { readonly kind: 'skip'; readonly reason: SkipReason };

export interface DeduperOptions {
  /** Occurrences last seen longer ago than this are skipped (the exporter's maxEventAgeSeconds); undefined = no limit. */
  readonly maxEventAgeMs?: number;
  /** Bound on remembered Events; the oldest are forgotten first. */
  readonly maxEntries?: number;
  readonly now: () => number;
}

interface Seen {
  count: number;
  lastSeenMs: number;
  /** How many occurrences this router has emitted for the Event. */
  emitted: number;
}

const DEFAULT_MAX_ENTRIES = 200_000;

/** The Event's count as the API reports it: core/v1 count or events.k8s.io series.count, at least 1. */
export function occurrenceCount(event: RawEvent): number {
  return Math.max(event.count ?? 0, event.series?.count ?? 0, 1);
}

/** When the Event last happened: lastTimestamp, else series.lastObservedTime, else eventTime, else creation. */
export function lastSeenMs(event: RawEvent): number {
  const stamp =
    event.lastTimestamp ??
    event.series?.lastObservedTime ??
    event.eventTime ??
    event.metadata.creationTimestamp;
  const ms = stamp === null || stamp === undefined ? Number.NaN : Date.parse(stamp);
  return Number.isNaN(ms) ? 0 : ms;
}

export class Deduper {
  // A Map keeps insertion order; re-inserting on every sight makes it an LRU.
  private readonly seen = new Map<string, Seen>();
  private readonly maxEntries: number;

  constructor(private readonly options: DeduperOptions) {
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.maxEventAgeMs = options.maxEventAgeMs;
  }

  get size(): number {
    return this.seen.size;
  }

  private maxEventAgeMs: number | undefined;

  /** A standby that becomes the leader reaches back to the checkpoint: the limit can change. */
  setMaxEventAgeMs(ms: number | undefined): void {
    this.maxEventAgeMs = ms;
  }

  private isStale(lastMs: number): boolean {
    const { maxEventAgeMs } = this;
    return maxEventAgeMs !== undefined && lastMs < this.options.now() - maxEventAgeMs;
  }

  private remember(id: string, entry: Seen): void {
    this.seen.delete(id);
    this.seen.set(id, entry);
    if (this.seen.size > this.maxEntries) {
      const oldest = this.seen.keys().next();
      if (oldest.done !== true) this.seen.delete(oldest.value);
    }
  }

  observe(change: EventChange): DedupeDecision {
    const id = eventId(change.event);
    if (change.type === 'DELETED') {
      this.seen.delete(id);
      return { kind: 'skip', reason: 'deleted' };
    }
    const count = occurrenceCount(change.event);
    const lastMs = lastSeenMs(change.event);
    const previous = this.seen.get(id);
    const moved = previous === undefined || count > previous.count || lastMs > previous.lastSeenMs;
    if (!moved) return { kind: 'skip', reason: 'duplicate' };
    const emitted = previous?.emitted ?? 0;
    if (this.isStale(lastMs)) {
      // Remembered, so a later count bump is still recognised as new.
      this.remember(id, { count, lastSeenMs: lastMs, emitted });
      return { kind: 'skip', reason: 'stale' };
    }
    this.remember(id, {
      count,
      lastSeenMs: Math.max(lastMs, previous?.lastSeenMs ?? 0),
      emitted: emitted + 1,
    });
    return { kind: 'new', occurrence: emitted + 1 };
  }
}
