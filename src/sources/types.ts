// What every event source hands to the router: raw changes, deduplicated later (event/dedupe.ts).
import type { RawEvent } from '../event/event.ts';

/**
 * `LISTED` marks an Event from a list (the first one, or a re-list after `410 Gone` or a lost
 * watch): the deduper compares it with what it has seen, so only occurrences from the gap pass.
 */
export const CHANGE_TYPES = ['ADDED', 'MODIFIED', 'DELETED', 'LISTED'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

export interface EventChange {
  readonly type: ChangeType;
  readonly event: RawEvent;
}

/** Awaited before the next change is read, so a full queue with policy `block` slows the source. */
export type EventSink = (change: EventChange) => Promise<void> | void;

/** What sources report for health, readiness and metrics; every hook is optional. */
export interface SourceObserver {
  /** A list finished (the first one makes the router ready). */
  listed?(count: number): void;
  /** A watch ended and is being restarted; `reason` is a short word: `gone`, `error`, `timeout`, `closed`. */
  watchRestarted?(reason: string): void;
  /** Anything arrived from the API: an event or a bookmark (feeds /healthz). */
  activity?(): void;
  /** The input (a replay file) held no events at all: `input` names it. */
  empty?(input: string): void;
  /** An item could not be read as an Event; it was skipped. */
  malformed?(reason: string): void;
}

export interface EventSource {
  readonly kind: 'kubernetes' | 'replay' | 'demo';
  /**
   * Emits changes until the input ends (replay, demo) or `signal` aborts (kubernetes never ends
   * on its own). Resolves when it has stopped; never rejects for a transient API error.
   */
  run(sink: EventSink, signal: AbortSignal, observer?: SourceObserver): Promise<void>;
}
