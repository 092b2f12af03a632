// The queue URL behind `queueName`: looked up with GetQueueUrl at start, in the background, and
// again with a growing delay until it answers (the exporter exits when the lookup fails). Sends
// before that wait for the lookup in flight or make one, and are retried while it fails.
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../../util/clock.ts';
import type { SendResult } from '../common/types.ts';

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 60_000;

export type Lookup = () => Promise<string>;
export type LookupFailure = (err: unknown) => SendResult;

/** Where a send gets the queue URL from. */
export interface QueueUrlSource {
  start(): void;
  /** The URL, or the failed lookup as a retry of the whole batch. */
  get(): Promise<string | SendResult>;
  close(): void;
}

/** `queueUrl` given: nothing to look up. */
export function knownQueueUrl(url: string): QueueUrlSource {
  return { start: () => undefined, get: () => Promise.resolve(url), close: () => undefined };
}

export class QueueUrl implements QueueUrlSource {
  private url: string | undefined;
  private inFlight: Promise<string | SendResult> | undefined;
  private timer: TimerHandle | undefined;
  private failures = 0;
  private closed = false;

  constructor(
    private readonly lookup: Lookup,
    private readonly failure: LookupFailure,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Starts the background lookup. */
  start(): void {
    if (this.url === undefined) void this.attempt();
  }

  async get(): Promise<string | SendResult> {
    if (this.url !== undefined) return this.url;
    this.timer?.cancel();
    this.timer = undefined;
    return this.attempt();
  }

  close(): void {
    this.closed = true;
    this.timer?.cancel();
  }

  private attempt(): Promise<string | SendResult> {
    this.inFlight ??= this.lookup().then(
      (url) => this.resolved(url),
      (err: unknown) => this.failed(err),
    );
    return this.inFlight;
  }

  private resolved(url: string): string {
    this.inFlight = undefined;
    this.url = url;
    if (this.failures > 0) this.logger.info({ failures: this.failures }, 'SQS queue URL resolved.');
    return url;
  }

  private failed(err: unknown): SendResult {
    this.inFlight = undefined;
    this.failures++;
    const classified = this.failure(err);
    const error =
      classified.kind === 'retry' || classified.kind === 'drop'
        ? classified.error
        : new Error('lookup failed');
    const reason = classified.kind === 'retry' || classified.kind === 'drop' ? classified.reason : 'internal';
    const log = { err: error.message, failures: this.failures };
    if (this.failures === 1)
      this.logger.warn(log, 'SQS queue URL not resolved yet; sends wait for it and the lookup is retried.');
    else this.logger.debug(log, 'SQS queue URL lookup failed again.');
    if (!this.closed && this.timer === undefined) {
      const delayMs = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(this.failures - 1, 16));
      this.timer = this.clock.setTimer(() => {
        this.timer = undefined;
        if (!this.closed && this.url === undefined) void this.attempt();
      }, delayMs);
    }
    // Whatever the lookup's answer, the queue may appear or the permission be granted: the batch waits.
    return { kind: 'retry', reason, error };
  }
}
