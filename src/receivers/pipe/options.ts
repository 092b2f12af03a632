// pipe — options and description (exporter's PipeConfig: path, deDot, layout): one JSON line
// per event to a named pipe, a device or a file. Send: ./send.ts over ./sink.ts (no reader or a
// reader gone = retried as ioError). Doc: docs/receivers/pipe.md.
import { z } from 'zod';
import { typeOptions } from '../common/options.ts';
import type { ReceiverSpec } from '../common/types.ts';

export const pipeSchema = typeOptions({
  /** A named pipe (FIFO), a device such as /dev/stdout, or a file (truncated at start, as the exporter does). */
  path: z.string().min(1),
  deDot: z.boolean().default(false),
});
export type PipeOptions = z.output<typeof pipeSchema>;

export const pipeSpec: ReceiverSpec<PipeOptions> = {
  type: 'pipe',
  schema: pipeSchema,
  // Lines are cheap to write; batching only saves syscalls under a burst.
  batchDefaults: { maxEvents: 100, maxBytes: 1_048_576, flushIntervalMs: 0 },
  deDot: (opts) => opts.deDot,
  docs: 'docs/receivers/pipe.md',
  load: () => import('./send.ts').then((m) => m.create),
};
