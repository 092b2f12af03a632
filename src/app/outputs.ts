// Builds one output per receiver, with its runtime (or a dry-run printer), its dead-letter
// writer and the metrics and bookkeeping hooks.
import type { Logger } from 'pino';
import type { ReceiverConfig, RouterConfig } from '../config/schema.ts';
import type { EnrichedEvent } from '../event/event.ts';
import { createDeadLetterWriter, type DeadLetterWriter } from '../output/dead-letter.ts';
import { createOutput, type Output, type Outcome } from '../output/output.ts';
import { createPreviewReceiver } from '../receivers/preview.ts';
import { createReceiver, loadReceivers } from '../receivers/registry.ts';
import type { FailureReason } from '../receivers/common/types.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import type { Clock } from '../util/clock.ts';
import { occurrenceKey } from '../event/settle-tracker.ts';
import type { Resume } from './ha.ts';
import type { AppCore } from './types.ts';

export interface Tally {
  delivered: number;
  deadLettered: number;
}

export interface OutputsOptions {
  readonly config: RouterConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly stdout: NodeJS.WritableStream;
  readonly dryRun: boolean;
  /** `--dry-run -o json`: one JSON object per request instead of text blocks. */
  readonly dryRunFormat?: 'text' | 'json';
  readonly settled?: (event: EnrichedEvent, receiver: string, outcome: Outcome) => void;
  /** Shared across config reloads, so a run's totals include outputs that were replaced. */
  readonly tally: Tally;
}

/** Builds the outputs for a config: the one at start-up, then each reloaded one. */
export type OutputsFor = (config: RouterConfig) => Promise<Map<string, Output>>;

/** The outputs of `run`: to stdout, dry-run or not, settling into the checkpoint's tracker. */
export function outputsFactory(core: AppCore, tally: Tally, resume: Resume | undefined): OutputsFor {
  const { options, clock, logger, metrics } = core;
  return (config) =>
    createOutputs({
      config,
      clock,
      logger,
      metrics,
      tally,
      stdout: options.stdout ?? process.stdout,
      dryRun: options.dryRun ?? false,
      dryRunFormat: options.dryRunFormat ?? 'text',
      settled: (event, receiver) => resume?.tracker.settled(occurrenceKey(event.raw), receiver),
    });
}

/** Imports the implementations the config uses (only those), then builds the outputs. */
export async function createOutputs(options: OutputsOptions): Promise<Map<string, Output>> {
  const { config, clock, logger, metrics, tally } = options;
  if (!options.dryRun) await loadReceivers(config.receivers.map((r) => r.type));
  const writers = new Map<string, DeadLetterWriter>();
  const writerFor = (options: ReceiverConfig['deadLetter']): DeadLetterWriter => {
    const key = options.path ?? '';
    let writer = writers.get(key);
    if (writer === undefined) {
      writer = createDeadLetterWriter({ ...options, clock, logger });
      writers.set(key, writer);
    }
    return writer;
  };
  const width = Math.max(0, ...config.receivers.map((r) => r.name.length));
  const outputs = new Map<string, Output>();
  for (const receiver of config.receivers) {
    const log = logger.child({ receiver: receiver.name });
    metrics.receiverConfigured(receiver.name);
    // Dry run: the receiver's own code builds each request, printed instead of sent.
    const runtime = options.dryRun
      ? await createPreviewReceiver(receiver, {
          clock,
          logger: log,
          out: options.stdout,
          notes: options.stdout,
          format: options.dryRunFormat ?? 'text',
          labelWidth: width,
        })
      : createReceiver(receiver, { clock, logger: log, stdout: options.stdout });
    const output = createOutput(receiver, {
      receiver: runtime,
      deadLetter: writerFor(receiver.deadLetter),
      clock,
      logger: log,
      observer: observerFor(receiver, metrics, tally, options.settled),
    });
    metrics.receiverQueueDepth(receiver.name, () => output.depth);
    outputs.set(receiver.name, output);
  }
  return outputs;
}

function observerFor(
  receiver: ReceiverConfig,
  metrics: Metrics,
  tally: Tally,
  settled: OutputsOptions['settled'],
): NonNullable<Parameters<typeof createOutput>[1]['observer']> {
  const name = receiver.name;
  // A retry always follows the failure that caused it, so the last reason labels it.
  let lastFailure: FailureReason = 'serverError';
  return {
    sent: (n, latencyMs) => metrics.receiverSent(name, n, latencyMs),
    failed: (reason, n) => {
      lastFailure = reason;
      metrics.receiverFailed(name, reason, n);
    },
    retried: () => metrics.receiverRetried(name, lastFailure),
    deadLettered: (reason, n) => metrics.receiverDeadLettered(name, reason, n),
    throttled: (n) => metrics.receiverThrottled(name, n),
    batchSize: (n) => metrics.receiverBatch(name, n),
    settled: (event, outcome) => {
      if (outcome === 'delivered') tally.delivered++;
      else if (outcome === 'deadLettered') tally.deadLettered++;
      settled?.(event, name, outcome);
    },
  };
}
