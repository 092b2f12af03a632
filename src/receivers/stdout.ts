// stdout: one JSON document per line (exporter's StdoutConfig).
import { z } from 'zod';
import { typeOptions } from './common-options.ts';
import type { ReceiverSpec } from './types.ts';

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
};
