// Receiver contracts (DESIGN §3). This issue defines the option schemas and batch defaults;
// `create` and the send/classify logic arrive with the receiver runtimes.
import type { z } from 'zod';
import type { ConfigPath } from '../config/problem.ts';

/** How an output groups events before handing them to its receiver. */
export interface BatchPolicy {
  readonly maxEvents: number;
  readonly maxBytes: number;
  readonly flushIntervalMs: number;
}

export type FailureReason =
  | 'clientError'
  | 'serverError'
  | 'rateLimited'
  | 'timeout'
  | 'network'
  | 'renderError'
  | 'queueFull';

export type SendResult =
  | { kind: 'ok' }
  | { kind: 'retry'; reason: FailureReason; error: Error; retryAfterMs?: number }
  | { kind: 'drop'; reason: FailureReason; error: Error }
  | { kind: 'partial'; retry: number[]; drop: { index: number; error: Error }[] };

/** A templated option of a receiver (a webhook header value, a Slack message...). */
export interface TemplatedOption {
  /** Path inside the receiver's type block, e.g. `['headers', 'X-Token']`. */
  readonly path: ConfigPath;
  readonly source: string;
}

/**
 * What the config loader needs to know about one receiver type. The schema validates the
 * whole type block (`webhook: {...}`), built with `typeOptions` so it also accepts the
 * options every type shares (common-options.ts); the loader lifts those out.
 */
export interface ReceiverSpec<Options = unknown> {
  /** The YAML key: 'stdout', 'file', 'webhook', ... */
  readonly type: string;
  readonly schema: z.ZodType<Options>;
  readonly batchDefaults: BatchPolicy;
  /** Hard caps of the service's API: a configured batch above them is a config error. */
  readonly limits?: Partial<BatchPolicy>;
  /** Options whose values are event templates; compiled at load so syntax errors are config errors. */
  templatedOptions?(options: Options): readonly TemplatedOption[];
}
