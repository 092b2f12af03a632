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
  readonly policy: QueuePolicy;
}

export interface RetryOptions {
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxElapsedMs: number;
}

export interface DeadLetterOptions {
  /** NDJSON file for what cannot be delivered; unset = logged and counted only. */
  readonly path?: string;
}

export const QUEUE_DEFAULTS: QueueOptions = { maxEvents: 10_000, policy: 'dropOldest' };
export const RETRY_DEFAULTS: RetryOptions = {
  maxAttempts: 5,
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  maxElapsedMs: 300_000,
};

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
  policy: z.enum(QUEUE_POLICIES).default(QUEUE_DEFAULTS.policy),
}).prefault({});

export const retrySchema = options({
  maxAttempts: positiveInt.default(RETRY_DEFAULTS.maxAttempts),
  initialDelayMs: nonNegativeInt.default(RETRY_DEFAULTS.initialDelayMs),
  maxDelayMs: nonNegativeInt.default(RETRY_DEFAULTS.maxDelayMs),
  maxElapsedMs: nonNegativeInt.default(RETRY_DEFAULTS.maxElapsedMs),
}).prefault({});

export const deadLetterSchema = options({
  path: z.string().min(1).optional(),
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
