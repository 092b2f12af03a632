// Output policy options, set next to a receiver's `name`: how its output queues, batches,
// retries, dead-letters and throttles. The output (this folder) owns them; config/ validates them.
import { z } from 'zod';
import { goString, nonNegativeInt, options, positiveInt } from '../config/zod-helpers.ts';

/** How an output groups events before handing them to its receiver. */
export interface BatchPolicy {
  readonly maxEvents: number;
  readonly maxBytes: number;
  readonly flushIntervalMs: number;
}

export const QUEUE_POLICIES = ['block', 'dropOldest', 'deadLetter'] as const;
export type QueuePolicy = (typeof QUEUE_POLICIES)[number];

export interface QueueOptions {
  readonly maxEvents: number;
  /** Rendered payload bytes queued; with maxEvents, what bounds the memory an output holds. */
  readonly maxBytes: number;
  /** `block` (default): a full queue stops the source reading (backpressure); nothing is dropped. */
  readonly policy: QueuePolicy;
}

export interface RetryOptions {
  /** Unset = no cap on attempts: retrying is bounded by maxElapsedMs alone. */
  readonly maxAttempts?: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxElapsedMs: number;
}

export interface DeadLetterOptions {
  /** NDJSON file for what cannot be delivered; unset = DEFAULT_DEAD_LETTER_PATH (see dead-letter.ts). */
  readonly path?: string;
  /** The file is rotated when the next line would pass this size. */
  readonly maxBytes: number;
  /** Rotated files kept; the oldest beyond this is deleted (logged), so the disk use is capped. */
  readonly maxFiles: number;
}

/** On the dead-letter volume that the image (Dockerfile) and manifests/deployment.yaml create. */
export const DEFAULT_DEAD_LETTER_DIR = '/var/lib/kube-event-router/dead-letter';
export const DEFAULT_DEAD_LETTER_FILE = 'dead-letter.ndjson';

const MiB = 1024 * 1024;

export const QUEUE_DEFAULTS: QueueOptions = { maxEvents: 10_000, maxBytes: 16 * MiB, policy: 'block' };
export const RETRY_DEFAULTS = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  // Long enough to ride out a receiver restart or a short outage; then the dead letter keeps it.
  maxElapsedMs: 600_000,
} as const satisfies RetryOptions;
// 4 × 100 MiB rotated + the current file: inside the manifests' 1 GiB dead-letter volume.
export const DEAD_LETTER_DEFAULTS = { maxBytes: 100 * MiB, maxFiles: 4 } as const;

/** `batch` has no defaults of its own: they come from the receiver type. */
export function batchSchema(defaults: BatchPolicy) {
  return options({
    maxEvents: positiveInt.default(defaults.maxEvents),
    maxBytes: positiveInt.default(defaults.maxBytes),
    flushIntervalMs: nonNegativeInt.default(defaults.flushIntervalMs),
  }).prefault({});
}

export const queueSchema = options({
  maxEvents: positiveInt.default(QUEUE_DEFAULTS.maxEvents),
  maxBytes: positiveInt.default(QUEUE_DEFAULTS.maxBytes),
  policy: z.enum(QUEUE_POLICIES).default(QUEUE_DEFAULTS.policy),
}).prefault({});

export const retrySchema = options({
  maxAttempts: positiveInt.optional(),
  initialDelayMs: nonNegativeInt.default(RETRY_DEFAULTS.initialDelayMs),
  maxDelayMs: nonNegativeInt.default(RETRY_DEFAULTS.maxDelayMs),
  maxElapsedMs: nonNegativeInt.default(RETRY_DEFAULTS.maxElapsedMs),
}).prefault({});

export const deadLetterSchema = options({
  path: z.string().min(1).optional(),
  maxBytes: positiveInt.default(DEAD_LETTER_DEFAULTS.maxBytes),
  maxFiles: nonNegativeInt.default(DEAD_LETTER_DEFAULTS.maxFiles),
}).prefault({});

/** Which events count as "the same" for throttling: one object and reason. */
export const DEFAULT_THROTTLE_KEY =
  '{{ .InvolvedObject.Namespace }}/{{ .InvolvedObject.Kind }}/{{ .InvolvedObject.Name }}/{{ .Reason }}';
export const THROTTLE_MAX_KEYS_DEFAULT = 10_000;

export interface ThrottleOptions {
  /** Per key, the first event in each interval passes; the rest are counted and suppressed. */
  readonly intervalMs: number;
  /** A template rendering the key of an event. */
  readonly key: string;
  /** Keys remembered (least recently used forgotten first). */
  readonly maxKeys: number;
}

/** `throttle` is off unless given; when given, `intervalMs` is required. */
export const throttleSchema = options({
  intervalMs: positiveInt,
  key: goString.default(DEFAULT_THROTTLE_KEY),
  maxKeys: positiveInt.default(THROTTLE_MAX_KEYS_DEFAULT),
}).optional();

/** The keys allowed next to `name` and the type key in a receiver item. */
export const RECEIVER_SIBLING_KEYS = ['name', 'batch', 'queue', 'retry', 'deadLetter', 'throttle'] as const;
