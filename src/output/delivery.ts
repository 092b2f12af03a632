// Sending one batch to completion: attempts, classification (ok / retry / drop / partial),
// backoff between attempts, and the dead letter for what is given up. Also the one place that
// settles events and reports them to the observer, so each is counted exactly once.
import type { Logger } from 'pino';
import type { ReceiverConfig } from '../config/schema.ts';
import type { EnrichedEvent } from '../event/event.ts';
import type { RetryOptions } from './policy.ts';
import type { FailureReason, Payload, Receiver, SendResult } from '../receivers/common/types.ts';
import type { Clock } from '../util/clock.ts';
import type { DeadLetterWriter } from './dead-letter.ts';
import { LogLimiter } from '../telemetry/log-limit.ts';
import { decideRetry } from './retry.ts';

/** `suppressed`: held back by the receiver's throttle (never rendered nor sent). */
export type Outcome = 'delivered' | 'deadLettered' | 'suppressed';

/** Hooks for metrics and replay bookkeeping; all optional, all synchronous and cheap. */
export interface OutputObserver {
  /** Events given to push (rendered or not). */
  accepted?(n: number): void;
  /** Events a receiver took, and how long that send took. */
  sent?(n: number, latencyMs: number): void;
  /** Events in an attempt that failed, by reason (retried or not). */
  failed?(reason: FailureReason, n: number): void;
  /** Events about to be sent again. */
  retried?(n: number): void;
  deadLettered?(reason: FailureReason, n: number): void;
  /** Events the receiver's throttle held back (each also settles as `suppressed`). */
  throttled?(n: number): void;
  queueDepth?(depth: number): void;
  batchSize?(n: number): void;
  /** Exactly once per accepted event, when its fate is known. */
  settled?(event: EnrichedEvent, outcome: Outcome): void;
}

export interface Item {
  readonly event: EnrichedEvent;
  readonly payload: Payload;
  /** payload.bytes, what the item weighs in a batch. */
  readonly bytes: number;
  /** Send attempts so far. */
  attempts: number;
  /** When it was queued: retry.maxElapsedMs counts from here. */
  readonly queuedAtMs: number;
}

export interface DeliveryContext {
  readonly receiver: Receiver;
  readonly deadLetter: DeadLetterWriter;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly observer?: OutputObserver;
  readonly random?: () => number;
}

interface Failure {
  readonly items: Item[];
  readonly reason: FailureReason;
  readonly error: Error;
  readonly retryAfterMs?: number;
}

const ABORTED = Symbol('aborted');
const LOG_INTERVAL_MS = 60_000;

export class Delivery {
  /** When draining: a retry that would wait past it is given up at once (reason shutdown). */
  deadlineAtMs = Number.POSITIVE_INFINITY;
  private current = 0;
  private readonly name: string;
  private readonly retry: RetryOptions;
  private readonly random: () => number;
  private readonly failLog: LogLimiter;

  constructor(
    config: ReceiverConfig,
    private readonly ctx: DeliveryContext,
    private readonly shutdown: AbortSignal,
  ) {
    this.name = config.name;
    this.retry = config.retry;
    this.random = ctx.random ?? Math.random;
    this.failLog = new LogLimiter(ctx.clock, LOG_INTERVAL_MS);
  }

  get inFlight(): number {
    return this.current;
  }

  /** Sends `batch` until every item is delivered or dead-lettered. Never throws. */
  async deliver(batch: Item[]): Promise<void> {
    this.current = batch.length;
    this.ctx.observer?.batchSize?.(batch.length);
    // The budget runs from when the oldest item was queued, not from this batch's first
    // attempt: behind a receiver that stays down, events that already waited out the budget
    // in the queue are dead-lettered after one more attempt, instead of each batch waiting
    // maxElapsedMs in turn (which would hold the source for hours).
    let startedAt = this.ctx.clock.now();
    for (const item of batch) startedAt = Math.min(startedAt, item.queuedAtMs);
    let items = batch;
    try {
      for (;;) {
        const failure = await this.attempt(items);
        if (failure === undefined) return;
        const waited = await this.backoff(failure, startedAt);
        if (!waited) return;
        items = failure.items;
        this.current = items.length;
      }
    } finally {
      this.current = 0;
    }
  }

  /** Dead-letters items that were rendered (queueFull, shutdown, given up). */
  deadLetter(items: readonly Item[], reason: FailureReason, error: string): void {
    for (const item of items) this.record(item.event, reason, error, item.attempts, item.payload.body);
    this.report(reason, items.length, error);
  }

  /** Dead-letters an event that has no payload (renderError). */
  deadLetterEvent(event: EnrichedEvent, reason: FailureReason, error: string): void {
    this.record(event, reason, error, 0, undefined);
    this.ctx.observer?.deadLettered?.(reason, 1);
  }

  private record(
    event: EnrichedEvent,
    reason: FailureReason,
    error: string,
    attempts: number,
    payload: string | undefined,
  ): void {
    this.ctx.deadLetter.write({ receiver: this.name, reason, error, attempts, event: event.raw, payload });
    this.ctx.observer?.settled?.(event, 'deadLettered');
  }

  private report(reason: FailureReason, n: number, error: string): void {
    if (n === 0) return;
    this.ctx.observer?.deadLettered?.(reason, n);
    const skipped = this.failLog.pass(`dead:${reason}`);
    if (skipped === undefined) return;
    this.ctx.logger.error(
      {
        reason,
        error,
        events: n,
        deadLetter: this.ctx.deadLetter.description,
        ...(skipped > 0 ? { suppressed: skipped } : {}),
      },
      'Events dead-lettered.',
    );
  }

  /** One send; returns what must be retried, or undefined when nothing is left. */
  private async attempt(items: Item[]): Promise<Failure | undefined> {
    for (const item of items) item.attempts++;
    const t0 = this.ctx.clock.now();
    const result = await this.send(items);
    if (result === ABORTED) {
      this.deadLetter(items, 'shutdown', 'drain deadline reached during send');
      return undefined;
    }
    return this.apply(items, result, this.ctx.clock.now() - t0);
  }

  private async send(items: readonly Item[]): Promise<SendResult | typeof ABORTED> {
    if (this.shutdown.aborted) return ABORTED;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<typeof ABORTED>((resolve) => {
      onAbort = () => resolve(ABORTED);
      this.shutdown.addEventListener('abort', onAbort, { once: true });
    });
    try {
      // Raced with the deadline: a receiver that ignores its signal must not hold the drain.
      const result = await Promise.race([
        this.ctx.receiver.send(
          items.map((i) => i.payload),
          this.shutdown,
        ),
        aborted,
      ]);
      return this.shutdown.aborted ? ABORTED : result;
    } catch (err) {
      if (this.shutdown.aborted) return ABORTED;
      const message = err instanceof Error ? err.message : String(err);
      return { kind: 'retry', reason: 'internal', error: new Error(`receiver threw: ${message}`) };
    } finally {
      if (onAbort !== undefined) this.shutdown.removeEventListener('abort', onAbort);
    }
  }

  private apply(items: Item[], result: SendResult, latencyMs: number): Failure | undefined {
    switch (result.kind) {
      case 'ok':
        this.delivered(items, latencyMs);
        return undefined;
      case 'drop':
        this.failed(result.reason, items.length, result.error, false);
        this.deadLetter(items, result.reason, result.error.message);
        return undefined;
      case 'retry':
        this.failed(result.reason, items.length, result.error, true, result.retryAfterMs);
        return { items, reason: result.reason, error: result.error, ...retryAfter(result.retryAfterMs) };
      case 'partial':
        return this.applyPartial(items, result, latencyMs);
    }
  }

  private applyPartial(
    items: Item[],
    result: Extract<SendResult, { kind: 'partial' }>,
    latencyMs: number,
  ): Failure | undefined {
    const retrySet = new Set(result.retry.filter((i) => i >= 0 && i < items.length));
    const dropIndexes = new Set<number>();
    for (const drop of result.drop) {
      const item = items[drop.index];
      if (item === undefined || retrySet.has(drop.index) || dropIndexes.has(drop.index)) continue;
      dropIndexes.add(drop.index);
      const reason = drop.reason ?? 'clientError';
      this.failed(reason, 1, drop.error, false);
      this.deadLetter([item], reason, drop.error.message);
    }
    this.delivered(
      items.filter((_, i) => !retrySet.has(i) && !dropIndexes.has(i)),
      latencyMs,
    );
    if (retrySet.size === 0) return undefined;
    const retry = [...retrySet].sort((a, b) => a - b).map((i) => items[i] as Item);
    const reason = result.reason ?? 'serverError';
    const error = new Error(`${retry.length} of ${items.length} items failed`);
    this.failed(reason, retry.length, error, true, result.retryAfterMs);
    return { items: retry, reason, error, ...retryAfter(result.retryAfterMs) };
  }

  private delivered(items: readonly Item[], latencyMs: number): void {
    if (items.length === 0) return;
    this.ctx.observer?.sent?.(items.length, latencyMs);
    const observer = this.ctx.observer;
    if (observer?.settled !== undefined) for (const item of items) observer.settled(item.event, 'delivered');
  }

  private failed(reason: FailureReason, n: number, error: Error, willRetry: boolean, waitMs?: number): void {
    this.ctx.observer?.failed?.(reason, n);
    const skipped = this.failLog.pass(`fail:${reason}`);
    if (skipped === undefined) return;
    const fields = {
      reason,
      error: error.message,
      events: n,
      retry: willRetry,
      ...(waitMs === undefined ? {} : { waitMs }),
      ...(skipped > 0 ? { suppressed: skipped } : {}),
    };
    // A rate limit (or the receiver's own pacing) that says when to come back is the receiver
    // working as designed: honouring it is routine, not a failure worth a warning.
    if (willRetry && reason === 'rateLimited' && waitMs !== undefined) {
      this.ctx.logger.info(fields, 'Receiver asked to wait (rate limit or pacing); sending after the wait.');
      return;
    }
    this.ctx.logger.warn(
      fields,
      willRetry
        ? 'Send failed; retrying while retry limits allow.'
        : 'Send refused by the receiver; not retrying.',
    );
  }

  /** Waits before the next attempt; false when the items were given up (and dead-lettered). */
  private async backoff(failure: Failure, startedAt: number): Promise<boolean> {
    const { items, reason, error } = failure;
    const attempts = (items[0] as Item).attempts;
    const now = this.ctx.clock.now();
    const decision = decideRetry(
      { attempts, elapsedMs: now - startedAt, ...retryAfter(failure.retryAfterMs) },
      this.retry,
      this.random,
    );
    if (decision.kind === 'giveUp') {
      const limit =
        decision.why === 'maxAttempts'
          ? `retry.maxAttempts (${String(this.retry.maxAttempts)})`
          : `retry.maxElapsedMs (${this.retry.maxElapsedMs})`;
      this.deadLetter(items, reason, `${error.message} (gave up after ${attempts} attempts: ${limit})`);
      return false;
    }
    if (now + decision.delayMs > this.deadlineAtMs) {
      this.deadLetter(items, 'shutdown', `${error.message} (drain deadline before the next attempt)`);
      return false;
    }
    this.ctx.observer?.retried?.(items.length);
    try {
      await this.ctx.clock.sleep(decision.delayMs, this.shutdown);
      return true;
    } catch {
      this.deadLetter(items, 'shutdown', `${error.message} (drain deadline reached while waiting to retry)`);
      return false;
    }
  }
}

function retryAfter(ms: number | undefined): { retryAfterMs?: number } {
  return ms === undefined ? {} : { retryAfterMs: ms };
}
