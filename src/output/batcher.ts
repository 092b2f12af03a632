// Groups an output's queued items into batches by count, bytes and time (BatchPolicy): a batch
// is sealed when full (maxEvents, or the next item would pass maxBytes) and goes at once; an
// unsealed one becomes due `flushIntervalMs` after its first item (0 = due at once, so items
// only gather while the previous batch is in flight). The batcher holds every queued item, so
// its size is the queue depth the bound applies to.
import type { BatchPolicy } from '../receivers/common/types.ts';
import type { Clock, TimerHandle } from '../util/clock.ts';
import { Deque } from './queue.ts';

export interface Sized {
  /** What the item adds to a batch's maxBytes budget. */
  readonly bytes: number;
}

interface Batch<T> {
  readonly items: T[];
  bytes: number;
  sealed: boolean;
  due: boolean;
  timer: TimerHandle | undefined;
}

export class Batcher<T extends Sized> {
  private readonly batches = new Deque<Batch<T>>();
  private count = 0;
  private queuedBytes = 0;

  /** `onDue` runs when an unsealed batch's interval elapses (the output then sends it). */
  constructor(
    private readonly policy: BatchPolicy,
    private readonly clock: Clock,
    private readonly onDue: () => void,
  ) {}

  /** Items queued (not yet taken). */
  get size(): number {
    return this.count;
  }

  /** Their bytes (what queue.maxBytes bounds). */
  get bytes(): number {
    return this.queuedBytes;
  }

  add(item: T): void {
    let batch = this.batches.peekLast();
    if (
      batch !== undefined &&
      !batch.sealed &&
      batch.items.length > 0 &&
      batch.bytes + item.bytes > this.policy.maxBytes
    ) {
      this.seal(batch);
    }
    if (batch === undefined || batch.sealed) {
      batch = {
        items: [],
        bytes: 0,
        sealed: false,
        due: this.policy.flushIntervalMs === 0,
        timer: undefined,
      };
      this.batches.push(batch);
    }
    batch.items.push(item);
    batch.bytes += item.bytes;
    this.count++;
    this.queuedBytes += item.bytes;
    if (batch.items.length >= this.policy.maxEvents || batch.bytes >= this.policy.maxBytes) this.seal(batch);
    else if (batch.items.length === 1 && !batch.due) this.arm(batch);
  }

  /** The oldest batch when it may go (sealed, due, or `flushAll`), removed from the queue. */
  take(flushAll: boolean): T[] | undefined {
    const head = this.batches.peek();
    if (head === undefined || !(head.sealed || head.due || flushAll)) return undefined;
    this.batches.shift();
    head.timer?.cancel();
    this.count -= head.items.length;
    this.queuedBytes -= head.bytes;
    return head.items;
  }

  /** Removes the oldest queued item (queue policy dropOldest). */
  removeOldest(): T | undefined {
    const head = this.batches.peek();
    const item = head?.items.shift();
    if (head === undefined || item === undefined) return undefined;
    head.bytes -= item.bytes;
    this.count--;
    this.queuedBytes -= item.bytes;
    if (head.items.length === 0) {
      head.timer?.cancel();
      this.batches.shift();
    }
    return item;
  }

  /** Removes every queued item, oldest first. */
  takeAll(): T[] {
    const out: T[] = [];
    for (const batch of this.batches.clear()) {
      batch.timer?.cancel();
      out.push(...batch.items);
    }
    this.count = 0;
    this.queuedBytes = 0;
    return out;
  }

  private seal(batch: Batch<T>): void {
    batch.sealed = true;
    batch.timer?.cancel();
    batch.timer = undefined;
  }

  private arm(batch: Batch<T>): void {
    batch.timer = this.clock.setTimer(() => {
      batch.timer = undefined;
      batch.due = true;
      this.onDue();
    }, this.policy.flushIntervalMs);
  }
}
