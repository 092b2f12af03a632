// eventbridge — options and description (exporter's EventBridgeConfig: detailType, source,
// eventBusName, region, details as the layout; ours: endpoint, timeoutMs, deDot). No SDK
// import: the config loader reads this file alone. Send: ./send.ts. Classifier: ./classify.ts
// (entries) and ../aws/classify.ts (a failed call). Doc: docs/receivers/eventbridge.md.
import { z } from 'zod';
import { goString } from '../../config/zod-helpers.ts';
import { awsOptionShape } from '../aws/options.ts';
import { typeOptions } from '../common/options.ts';
import type { ReceiverSpec } from '../common/types.ts';

/** The PutEvents caps (Amazon EventBridge API reference). */
export const EVENTBRIDGE_LIMITS = {
  maxEntries: 10,
  /** Per call, every entry's size as EventBridge counts it (see entrySize). */
  maxRequestBytes: 256 * 1024,
} as const;

const required = (what: string) =>
  goString.pipe(z.string().min(1, { message: `is required: the ${what} of every event put` }));

export const eventbridgeSchema = typeOptions({
  detailType: required('detail-type'),
  source: required('source'),
  /** A bus name or ARN; unset = the account's default bus. */
  eventBusName: goString.optional(),
  /** The layout of the `detail` (the exporter's name); unset = the whole event. */
  details: z.unknown().optional(),
  ...awsOptionShape,
  deDot: z.boolean().default(false),
});
export type EventbridgeOptions = z.output<typeof eventbridgeSchema>;

/**
 * An entry's size as EventBridge counts it against the 256 KiB cap: 14 bytes for Time, then the
 * UTF-8 bytes of Source, DetailType, Detail (and the bus name, counted here to stay below).
 */
export function entrySize(entry: {
  readonly source: string;
  readonly detailType: string;
  readonly detail: string;
  readonly eventBusName?: string | undefined;
}): number {
  return (
    14 +
    Buffer.byteLength(entry.source, 'utf8') +
    Buffer.byteLength(entry.detailType, 'utf8') +
    Buffer.byteLength(entry.detail, 'utf8') +
    Buffer.byteLength(entry.eventBusName ?? '', 'utf8')
  );
}

export const eventbridgeSpec: ReceiverSpec<EventbridgeOptions> = {
  type: 'eventbridge',
  schema: eventbridgeSchema,
  batchDefaults: {
    maxEvents: EVENTBRIDGE_LIMITS.maxEntries,
    maxBytes: EVENTBRIDGE_LIMITS.maxRequestBytes,
    flushIntervalMs: 500,
  },
  limits: { maxEvents: EVENTBRIDGE_LIMITS.maxEntries, maxBytes: EVENTBRIDGE_LIMITS.maxRequestBytes },
  layoutKey: 'details',
  deDot: (opts) => opts.deDot,
  docs: 'docs/receivers/eventbridge.md',
  load: () => import('./send.ts').then((m) => m.create),
};
