// How far the router got, for the checkpoint (docs/architecture.md): an occurrence counts as done only once
// every receiver it was routed to has delivered or dead-lettered it. The high-water mark is the
// greatest last-seen time at or before which everything accepted is done; the boundary keys are
// the done occurrences near it, so a resume repeats none of them.
import type { RawEvent } from './event.ts';
import { occurrenceCount } from './dedupe.ts';
import { eventId } from './normalize.ts';

/** `uid/count`: one occurrence of one Event, the same in every process. */
export function occurrenceKey(event: RawEvent): string {
  return `${eventId(event)}/${occurrenceCount(event)}`;
}

export interface SettleTrackerOptions {
  /** Done keys this far below the mark are kept as boundary keys (the resume's clock-skew allowance). */
  readonly windowMs: number;
  /** Bound on boundary keys in one snapshot; those at or below the mark come first. Default 10 000. */
  readonly maxBoundaryKeys?: number;
}

export interface SettleSnapshot {
  /** Undefined until some occurrence is done with nothing older still pending. */
  readonly highWaterMs: number | undefined;
  /** Done occurrences with lastSeen in [highWaterMs - windowMs, ∞): a resume skips them. */
  readonly boundaryKeys: readonly string[];
  /** Occurrences accepted and not yet done. */
  readonly pending: number;
}

interface Pending {
  lastSeenMs: number;
  /** Receiver → deliveries still owed (a key can be accepted twice: see `accepted`). */
  readonly owed: Map<string, number>;
}

export class SettleTracker {
  private readonly pending = new Map<string, Pending>();
  /** Done keys not yet pruned → their lastSeen. */
  private readonly done = new Map<string, number>();
  /** Everything pruned was done and last seen at or before this. */
  private prunedUpToMs: number | undefined;
  private readonly maxBoundaryKeys: number;

  constructor(private readonly options: SettleTrackerOptions) {
    this.maxBoundaryKeys = options.maxBoundaryKeys ?? 10_000;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /**
   * An occurrence was routed to `receivers`. The same key again (its last-seen time moved but
   * its count did not) owes one more delivery per receiver.
   */
  accepted(key: string, seenMs: number, receivers: readonly string[]): void {
    if (receivers.length === 0) return;
    this.done.delete(key);
    const entry = this.pending.get(key) ?? { lastSeenMs: seenMs, owed: new Map<string, number>() };
    entry.lastSeenMs = Math.max(entry.lastSeenMs, seenMs);
    for (const receiver of receivers) entry.owed.set(receiver, (entry.owed.get(receiver) ?? 0) + 1);
    this.pending.set(key, entry);
  }

  /** `receiver` delivered or dead-lettered the occurrence; unknown pairs are ignored. */
  settled(key: string, receiver: string): void {
    const entry = this.pending.get(key);
    const owed = entry?.owed.get(receiver);
    if (entry === undefined || owed === undefined) return;
    if (owed > 1) entry.owed.set(receiver, owed - 1);
    else entry.owed.delete(receiver);
    if (entry.owed.size > 0) return;
    this.pending.delete(key);
    this.done.set(key, entry.lastSeenMs);
  }

  /** The mark and boundary keys now; forgets done keys that can no longer be at the boundary. */
  snapshot(): SettleSnapshot {
    let oldestPendingMs = Number.POSITIVE_INFINITY;
    for (const entry of this.pending.values()) oldestPendingMs = Math.min(oldestPendingMs, entry.lastSeenMs);
    let highWaterMs: number | undefined;
    for (const seenMs of this.done.values()) {
      if (seenMs < oldestPendingMs && (highWaterMs === undefined || seenMs > highWaterMs))
        highWaterMs = seenMs;
    }
    if (highWaterMs === undefined && this.prunedUpToMs !== undefined) {
      // Only pruned occurrences are older than the oldest pending one: stop just before it.
      highWaterMs = Math.min(this.prunedUpToMs, oldestPendingMs - 1);
    }
    if (highWaterMs === undefined) return { highWaterMs, boundaryKeys: [], pending: this.pending.size };
    this.prune(highWaterMs - this.options.windowMs);
    return { highWaterMs, boundaryKeys: this.boundaryKeys(highWaterMs), pending: this.pending.size };
  }

  private prune(belowMs: number): void {
    for (const [key, seenMs] of this.done) {
      if (seenMs >= belowMs) continue;
      this.done.delete(key);
      this.prunedUpToMs = Math.max(this.prunedUpToMs ?? seenMs, seenMs);
    }
  }

  private boundaryKeys(highWaterMs: number): string[] {
    const atOrBelow: string[] = [];
    const above: string[] = [];
    for (const [key, seenMs] of this.done) (seenMs <= highWaterMs ? atOrBelow : above).push(key);
    return [...atOrBelow, ...above].slice(0, this.maxBoundaryKeys);
  }
}
