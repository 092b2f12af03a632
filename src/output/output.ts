// One output per receiver (docs/architecture.md): render at push → bounded queue → batcher → one batch in
// flight → receiver, with retries (retry.ts) and the dead-letter file for what cannot be
// delivered. Every accepted event ends exactly once as `delivered` or `deadLettered`.
import type { Logger } from 'pino';
import type { ReceiverConfig } from '../config/schema.ts';
import type { EnrichedEvent } from '../event/event.ts';
import type { QueueOptions } from './policy.ts';
import type { FailureReason, Receiver } from '../receivers/common/types.ts';
import type { Clock, TimerHandle } from '../util/clock.ts';
import { Batcher } from './batcher.ts';
import type { DeadLetterWriter } from './dead-letter.ts';
import { Delivery } from './delivery.ts';
import type { Item, OutputObserver } from './delivery.ts';
import { LogLimiter } from '../telemetry/log-limit.ts';
import { RenderError, createRenderer } from './payload.ts';
import type { Renderer } from './payload.ts';
import { Deque } from './queue.ts';
import { Throttle } from './throttle.ts';

export type { Item, OutputObserver, Outcome } from './delivery.ts';

export interface Output {
  readonly name: string;
  /**
   * Renders and enqueues; never rejects. Resolves at once, except with queue policy `block`
   * when the queue is full: then when there is room (back-pressure on the caller).
   */
  push(event: EnrichedEvent): Promise<void>;
  /**
   * Sends everything queued without waiting for batch intervals, until the queue is empty or
   * the clock reaches `deadlineAtMs` (absolute, `clock.now()` time); then dead-letters what is
   * left (reason `shutdown`), flushes the dead-letter writer and closes the receiver. Events
   * pushed after that are dead-lettered at once. Calling it again returns the same promise, with
   * the earlier of the two deadlines (SIGTERM while a replay drains without hurry).
   */
  drain(deadlineAtMs: number): Promise<void>;
  /** Events queued or in flight. */
  readonly depth: number;
}

export interface OutputContext {
  /** The runtime, from `createReceiver` (receivers/registry.ts). The output closes it on drain. */
  readonly receiver: Receiver;
  readonly deadLetter: DeadLetterWriter;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly observer?: OutputObserver;
  /** Jitter source in [0, 1); Math.random by default (tests pin it). */
  readonly random?: () => number;
}

interface Waiter {
  readonly item: Item;
  readonly resolve: () => void;
}

const RESOLVED: Promise<void> = Promise.resolve();
const FULL_LOG_INTERVAL_MS = 60_000;

class ReceiverOutput implements Output {
  readonly name: string;
  private readonly render: Renderer;
  private readonly batcher: Batcher<Item>;
  private readonly delivery: Delivery;
  private readonly queue: QueueOptions;
  private readonly waiters = new Deque<Waiter>();
  private readonly renderLog: LogLimiter;
  private readonly fullLog: LogLimiter;
  private readonly throttle: Throttle | undefined;
  private readonly shutdown = new AbortController();
  private pumping = false;
  private draining = false;
  private closed = false;
  private drained: Promise<void> | undefined;
  private deadline: TimerHandle | undefined;
  private idle: (() => void) | undefined;

  constructor(
    config: ReceiverConfig,
    private readonly ctx: OutputContext,
  ) {
    this.name = config.name;
    this.queue = config.queue;
    this.render = createRenderer(config);
    this.batcher = new Batcher<Item>(config.batch, ctx.clock, () => this.kick());
    this.delivery = new Delivery(config, ctx, this.shutdown.signal);
    this.renderLog = new LogLimiter(ctx.clock, Number.POSITIVE_INFINITY);
    this.fullLog = new LogLimiter(ctx.clock, FULL_LOG_INTERVAL_MS);
    this.throttle = config.throttle === undefined ? undefined : new Throttle(config.throttle, ctx.clock);
  }

  get depth(): number {
    return this.batcher.size + this.delivery.inFlight;
  }

  push(pushed: EnrichedEvent): Promise<void> {
    this.ctx.observer?.accepted?.(1);
    const event = this.admit(pushed);
    if (event === undefined) return RESOLVED;
    let item: Item;
    try {
      const payload = this.render(event);
      item = { event, payload, bytes: payload.bytes, attempts: 0, queuedAtMs: this.ctx.clock.now() };
    } catch (err) {
      this.renderFailed(event, err as RenderError);
      return RESOLVED;
    }
    if (this.closed) {
      this.delivery.deadLetter([item], 'shutdown', 'output already drained');
      return RESOLVED;
    }
    if (this.hasRoom(item) && this.waiters.length === 0) {
      this.enqueue(item);
      return RESOLVED;
    }
    return this.whenFull(item);
  }

  /** The event to render (with `.Suppressed` when throttled), or undefined when the throttle holds it back. */
  private admit(event: EnrichedEvent): EnrichedEvent | undefined {
    if (this.throttle === undefined) return event;
    const decision = this.throttle.admit(event);
    if (decision.pass) return decision.event;
    this.ctx.observer?.throttled?.(1);
    this.ctx.observer?.settled?.(event, 'suppressed');
    return undefined;
  }

  drain(deadlineAtMs: number): Promise<void> {
    if (this.drained === undefined) this.drained = this.drainUntil(deadlineAtMs);
    else if (deadlineAtMs < this.delivery.deadlineAtMs) this.expireAt(deadlineAtMs);
    return this.drained;
  }

  private expireAt(deadlineAtMs: number): void {
    this.deadline?.cancel();
    this.delivery.deadlineAtMs = deadlineAtMs;
    const delayMs = Math.max(0, deadlineAtMs - this.ctx.clock.now());
    this.deadline = this.ctx.clock.setTimer(() => this.expire(), delayMs);
  }

  private whenFull(item: Item): Promise<void> {
    const why = `queue full (queue.maxEvents ${this.queue.maxEvents}, queue.maxBytes ${this.queue.maxBytes}, policy ${this.queue.policy})`;
    switch (this.queue.policy) {
      case 'block':
        if (this.fullLog.pass('full') !== undefined) {
          this.ctx.logger.info(
            { queueMaxEvents: this.queue.maxEvents, queueMaxBytes: this.queue.maxBytes },
            'Queue full; the source waits until this receiver has room (backpressure).',
          );
        }
        return new Promise((resolve) => this.waiters.push({ item, resolve }));
      case 'dropOldest': {
        while (!this.hasRoom(item)) {
          const oldest = this.batcher.removeOldest();
          if (oldest === undefined) break;
          this.delivery.deadLetter([oldest], 'queueFull', why);
        }
        this.enqueue(item);
        return RESOLVED;
      }
      case 'deadLetter':
        this.delivery.deadLetter([item], 'queueFull', why);
        return RESOLVED;
    }
  }

  private enqueue(item: Item): void {
    this.batcher.add(item);
    this.ctx.observer?.queueDepth?.(this.depth);
    this.kick();
  }

  private renderFailed(event: EnrichedEvent, err: RenderError): void {
    const where = err instanceof RenderError ? err.template : 'layout';
    const message = `${where}: ${err.message}`;
    this.delivery.deadLetterEvent(event, 'renderError', message);
    if (this.renderLog.pass(message) !== undefined) {
      this.ctx.logger.error(
        { template: where, error: err.message },
        'Template failed for an event; the event was dead-lettered (logged once per error).',
      );
    }
  }

  private kick(): void {
    if (!this.pumping && !this.closed) void this.pump();
  }

  /** The single sender: one batch in flight at a time keeps the receiver's order. */
  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      for (;;) {
        if (this.closed) break;
        const batch = this.batcher.take(this.draining);
        if (batch === undefined) break;
        this.admitWaiters();
        this.ctx.observer?.queueDepth?.(this.batcher.size + batch.length);
        await this.delivery.deliver(batch);
        this.ctx.observer?.queueDepth?.(this.depth);
      }
    } catch (err) {
      // Delivery handles every failure itself; reaching here is a bug, and the log must say so.
      this.ctx.logger.error({ err }, 'Output sender stopped unexpectedly.');
    } finally {
      this.pumping = false;
      this.checkIdle();
    }
  }

  /** Within queue.maxEvents and queue.maxBytes; an empty queue takes any one item. */
  private hasRoom(item: Item): boolean {
    if (this.batcher.size === 0) return true;
    return this.batcher.size < this.queue.maxEvents && this.batcher.bytes + item.bytes <= this.queue.maxBytes;
  }

  private admitWaiters(): void {
    while (this.waiters.length > 0 && this.hasRoom((this.waiters.peek() as Waiter).item)) {
      const waiter = this.waiters.shift() as Waiter;
      this.batcher.add(waiter.item);
      waiter.resolve();
    }
  }

  private async drainUntil(deadlineAtMs: number): Promise<void> {
    this.draining = true;
    this.expireAt(deadlineAtMs);
    const idle = new Promise<void>((resolve) => (this.idle = resolve));
    this.kick();
    this.checkIdle();
    await idle;
    this.deadline?.cancel();
    this.closed = true;
    await this.ctx.deadLetter.flush();
    await this.ctx.receiver.close().catch((err: unknown) => {
      this.ctx.logger.warn({ err }, 'Receiver did not close cleanly.');
    });
  }

  /** The drain deadline: abort what is in flight and dead-letter everything left. */
  private expire(): void {
    this.closed = true;
    this.shutdown.abort(new Error('drain deadline reached'));
    const left = this.batcher.takeAll();
    for (let w = this.waiters.shift(); w !== undefined; w = this.waiters.shift()) {
      left.push(w.item);
      w.resolve();
    }
    if (left.length > 0) this.delivery.deadLetter(left, 'shutdown', 'drain deadline reached before delivery');
    this.ctx.observer?.queueDepth?.(this.depth);
    this.checkIdle();
  }

  private checkIdle(): void {
    if (this.idle === undefined || this.pumping) return;
    if (this.batcher.size > 0 || this.waiters.length > 0 || this.delivery.inFlight > 0) return;
    const resolve = this.idle;
    this.idle = undefined;
    resolve();
  }
}

export function createOutput(receiver: ReceiverConfig, ctx: OutputContext): Output {
  // Every line names the receiver once: bound here unless the caller's logger already is.
  const bound = 'receiver' in ctx.logger.bindings();
  return new ReceiverOutput(
    receiver,
    bound ? ctx : { ...ctx, logger: ctx.logger.child({ receiver: receiver.name }) },
  );
}

export type { FailureReason };
