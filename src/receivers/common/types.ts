// Receiver contracts (docs/architecture.md): a receiver turns a batch of rendered payloads into requests
// and classifies the answer; the output (src/output/) queues, batches, retries and dead-letters.
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { ConfigPath } from '../../config/problem.ts';
import type { Clock } from '../../util/clock.ts';
import type { BatchPolicy } from '../../output/policy.ts';
import type { RequestCapture } from './capture.ts';

export type { BatchPolicy };

/** Why an event (or an attempt) failed; a metrics label, so the set stays small. */
export const FAILURE_REASONS = [
  'clientError',
  'serverError',
  'rateLimited',
  'timeout',
  'network',
  'ioError',
  'renderError',
  'queueFull',
  'shutdown',
  'internal',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export type SendResult =
  | { kind: 'ok' }
  | { kind: 'retry'; reason: FailureReason; error: Error; retryAfterMs?: number }
  | { kind: 'drop'; reason: FailureReason; error: Error }
  /**
   * Some items failed: `retry` lists the indexes to send again, `drop` those that never will;
   * every other index was delivered. `reason` labels the retried ones (default serverError).
   */
  | {
      kind: 'partial';
      retry: number[];
      drop: { index: number; error: Error; reason?: FailureReason }[];
      reason?: FailureReason;
      retryAfterMs?: number;
    };

/** One rendered event as a receiver sees it. */
export interface Payload {
  /** Stable id of this occurrence, `<event uid>-<occurrence>` (stable ids, docs/architecture.md). */
  readonly id: string;
  /** The layout, or the enhanced event JSON, as Go's encoding/json writes it (no newline). */
  readonly body: string;
  /** UTF-8 length of `body`. */
  readonly bytes: number;
  /** Templated options rendered for this event, keyed like ReceiverConfig.templates (`headers.X-Token`). */
  readonly templated: Readonly<Record<string, string>>;
}

export interface Receiver {
  readonly name: string;
  /** Never retries and never throws for a failed delivery: the answer is classified. */
  send(batch: readonly Payload[], signal: AbortSignal): Promise<SendResult>;
  close(): Promise<void>;
}

/** What a receiver factory gets besides its options. */
export interface BuildContext {
  readonly clock: Clock;
  readonly logger: Logger;
  /** The receiver's batch policy (webhook: `maxEvents > 1` switches the body to a JSON array). */
  readonly batch: BatchPolicy;
  /** stdout's stream; process.stdout when unset (tests pass a collector). */
  readonly stdout?: NodeJS.WritableStream;
  /** Whether the receiver has a `layout` (teams: the layout replaces the default card). */
  readonly hasLayout?: boolean;
  /** `render` and `run --dry-run`: the receiver records its requests here instead of sending them. */
  readonly capture?: RequestCapture;
}

/** A receiver could not be built (unreadable CA file, ...): the config is fine but the machine is not. */
export class ReceiverSetupError extends Error {
  readonly code = 'E_RECEIVER_SETUP';
}

/** A failed delivery as the output records it (dead letter, logs). Never holds a secret. */
export class SendError extends Error {
  readonly code = 'E_SEND';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** A templated option of a receiver (a webhook header value, a Slack message...). */
export interface TemplatedOption {
  /** Path inside the receiver's type block, e.g. `['headers', 'X-Token']`. */
  readonly path: ConfigPath;
  readonly source: string;
}

/** Builds a receiver's runtime; throws ReceiverSetupError when the machine lacks what the options name. */
// Method syntax on purpose: parameters of methods are bivariant, so the spec of one type (its
// options) still fits the registry's list of all types, the schema having validated them.
export type ReceiverFactory<Options = unknown> = {
  create(name: string, options: Options, ctx: BuildContext): Receiver;
}['create'];

/**
 * The description of one receiver type: all the config loader, `check` and `render` need to
 * know, in a file that imports no SDK (the receiver's options.ts). The schema validates the
 * whole type block (`webhook: {...}`), built with `typeOptions` so it also accepts the options
 * every type shares (common/options.ts); the loader lifts those out. The implementation (and
 * its SDK) is imported by `load()`, only when a running config uses the type.
 */
export interface ReceiverSpec<Options = unknown> {
  /** The YAML key: 'stdout', 'file', 'webhook', ... */
  readonly type: string;
  readonly schema: z.ZodType<Options>;
  readonly batchDefaults: BatchPolicy;
  /** Hard caps of the service's API: a configured batch above them is a config error. */
  readonly limits?: Partial<BatchPolicy>;
  /** The option holding the layout when the exporter names it otherwise (eventbridge: `details`). */
  readonly layoutKey?: string;
  /** Options whose values are event templates; compiled at load so syntax errors are config errors. */
  templatedOptions?(options: Options): readonly TemplatedOption[];
  /** Whether the output replaces dots in label and annotation keys before rendering (exporter `deDot`); read once, when the config is compiled. */
  deDot?(options: Options): boolean;
  /** The receiver's doc page, from the repository root: `docs/receivers/<type>.md`. */
  readonly docs: string;
  /** Imports the implementation (and its SDK) and returns its factory. */
  load(): Promise<ReceiverFactory<Options>>;
}
