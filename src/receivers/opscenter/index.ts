// opscenter: events as AWS Systems Manager OpsItems (see docs/receivers/opscenter.md).
import type { ReceiverSpec } from '../types.ts';
import { opscenterSchema, opscenterTemplates } from './options.ts';
import type { OpscenterOptions } from './options.ts';
import { OpscenterReceiver } from './send.ts';

export const opscenterSpec: ReceiverSpec<OpscenterOptions> = {
  type: 'opscenter',
  schema: opscenterSchema,
  // One call per event whatever the batch; a small batch bounds what one throttled call delays.
  batchDefaults: { maxEvents: 10, maxBytes: 1_048_576, flushIntervalMs: 200 },
  templatedOptions: opscenterTemplates,
  create: (name, opts, ctx) => new OpscenterReceiver(name, opts, ctx),
};
