// eventbridge: events put on an EventBridge bus (see docs/receivers/eventbridge.md).
import type { ReceiverSpec } from '../types.ts';
import { EVENTBRIDGE_LIMITS, eventbridgeSchema } from './options.ts';
import type { EventbridgeOptions } from './options.ts';
import { EventbridgeReceiver } from './send.ts';

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
  create: (name, opts, ctx) => new EventbridgeReceiver(name, opts, ctx),
};
