// Wiring (docs/architecture.md): source → dedupe → enrich → route → outputs. One Router per process; the
// outputs are built once per receiver and outlive the source, so a drain can finish their work.
import type { Logger } from 'pino';
import type { RouterConfig } from '../config/schema.ts';
import { Deduper, lastSeenMs, type SkipReason } from '../event/dedupe.ts';
import { occurrenceKey, type SettleTracker } from '../event/settle-tracker.ts';
import type { EnrichedEvent, RawEvent } from '../event/event.ts';
import type { EventChange, EventSource, SourceObserver } from '../sources/types.ts';

/** What the router needs of an output (src/output/output.ts). */
export interface RouterOutput {
  readonly name: string;
  push(event: EnrichedEvent): Promise<void>;
  drain(deadlineAtMs: number): Promise<void>;
}

export interface EnrichBase {
  readonly occurrence: number;
  readonly clusterName: string;
  readonly environment: Readonly<Record<string, string>>;
}

export type Enrich = (raw: RawEvent, base: EnrichBase) => Promise<EnrichedEvent>;

/** The metrics the router feeds; `Metrics` (telemetry/metrics.ts) satisfies it. */
export interface RouterObserver {
  eventReceived(changeType: string): void;
  eventCounted(event: EnrichedEvent): void;
  eventRouted(receivers: readonly string[]): void;
  eventDropped(reason: string, n?: number): void;
}

export interface RouterOptions {
  readonly config: RouterConfig;
  readonly source: EventSource;
  readonly outputs: ReadonlyMap<string, RouterOutput>;
  readonly enrich: Enrich;
  readonly logger: Logger;
  readonly now: () => number;
  readonly observer?: RouterObserver;
  readonly sourceObserver?: SourceObserver;
  /** Undefined = no age limit (replay imports history). */
  readonly maxEventAgeMs?: number;
  /** Resuming from a checkpoint: only occurrences it has not seen done pass. */
  readonly admit?: (event: RawEvent, key: string) => boolean;
  /** Records what was routed where, so the checkpoint advances only past settled occurrences. */
  readonly tracker?: SettleTracker;
}

const DROP_REASON: Readonly<Record<SkipReason, string>> = {
  duplicate: 'duplicate',
  stale: 'tooOld',
  deleted: 'deleted',
};

/** What a config reload swaps: the settings and tree, and the outputs built for them. */
export interface RouterState {
  readonly config: RouterConfig;
  readonly outputs: ReadonlyMap<string, RouterOutput>;
}

export class Router {
  private readonly deduper: Deduper;
  private accepted = 0;
  private waiting = 0;
  private state: RouterState;

  constructor(private readonly options: RouterOptions) {
    this.deduper = new Deduper({ maxEventAgeMs: options.maxEventAgeMs, now: options.now });
    this.state = { config: options.config, outputs: options.outputs };
  }

  get current(): RouterState {
    return this.state;
  }

  /** See Deduper.setMaxEventAgeMs. */
  setMaxEventAgeMs(ms: number | undefined): void {
    this.deduper.setMaxEventAgeMs(ms);
  }

  /** Routes from now on with a reloaded config; the caller drains the outputs it replaced. */
  swap(next: RouterState): void {
    this.state = next;
  }

  /** Occurrences handed to at least one output so far. */
  get acceptedCount(): number {
    return this.accepted;
  }

  /** Handles one change from the source; awaited by it, so a blocking queue slows the source. */
  readonly handle = async (change: EventChange): Promise<void> => {
    const { observer } = this.options;
    // One state per event: a reload mid-way does not mix two configs for it.
    const { config, outputs } = this.state;
    observer?.eventReceived(change.type);
    const decision = this.deduper.observe(change);
    if (decision.kind === 'skip') {
      observer?.eventDropped(DROP_REASON[decision.reason]);
      return;
    }
    const key = occurrenceKey(change.event);
    if (this.options.admit !== undefined && !this.options.admit(change.event, key)) {
      observer?.eventDropped('checkpoint');
      return;
    }
    const event = await this.options.enrich(change.event, {
      occurrence: decision.occurrence,
      clusterName: config.clusterName,
      environment: config.environment,
    });
    observer?.eventCounted(event);
    const receivers = config.route.evaluate(event);
    if (receivers.length === 0) {
      observer?.eventDropped('noReceiver');
      return;
    }
    observer?.eventRouted(receivers);
    this.accepted++;
    this.options.tracker?.accepted(key, lastSeenMs(change.event), receivers);
    const pushes: Promise<void>[] = [];
    for (const name of receivers) {
      const output = outputs.get(name);
      if (output !== undefined) pushes.push(output.push(event));
    }
    this.waiting++;
    try {
      await Promise.all(pushes);
    } finally {
      this.waiting--;
    }
  };

  /** A full queue (policy block) is holding the source back: a silent watch is then expected. */
  get waitingOnOutputs(): boolean {
    return this.waiting > 0;
  }

  /** Runs the source until it ends or `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const { source, logger, sourceObserver } = this.options;
    logger.info({ source: source.kind }, 'Watching events.');
    await source.run(this.handle, signal, sourceObserver);
  }

  /** Flushes every output, in parallel, until `deadlineAtMs` (clock time); what is left is dead-lettered. */
  async drain(deadlineAtMs: number): Promise<void> {
    await Promise.all([...this.state.outputs.values()].map((output) => output.drain(deadlineAtMs)));
  }
}
