// stdout — options and description: one JSON document per line (exporter's StdoutConfig).
// Send: ./send.ts (a failed write is retried as ioError). Doc: docs/configuration.md#stdout.
import { z } from 'zod';
import { typeOptions } from '../common/options.ts';
import type { ReceiverSpec } from '../common/types.ts';

export const stdoutSchema = typeOptions({
  /** Replace dots in label and annotation keys with underscores. */
  deDot: z.boolean().default(false),
});
export type StdoutOptions = z.output<typeof stdoutSchema>;

export const stdoutSpec: ReceiverSpec<StdoutOptions> = {
  type: 'stdout',
  schema: stdoutSchema,
  // Lines are cheap to write; batching only saves syscalls under a burst.
  batchDefaults: { maxEvents: 100, maxBytes: 1_048_576, flushIntervalMs: 0 },
  deDot: (opts) => opts.deDot,
  docs: 'docs/configuration.md#stdout',
  load: () => import('./send.ts').then((m) => m.create),
};
