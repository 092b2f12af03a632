// file — options and description: JSON lines with size/age rotation (exporter's FileConfig,
// lumberjack option names). Send: ./send.ts over ./rotating-file.ts. Doc: docs/configuration.md#file.
import { z } from 'zod';
import { nonNegativeInt } from '../../config/zod-helpers.ts';
import { typeOptions } from '../common/options.ts';
import type { ReceiverSpec } from '../common/types.ts';

export const fileSchema = typeOptions({
  path: z.string().min(1),
  deDot: z.boolean().default(false),
  /** Megabytes before rotation; lumberjack's default when 0 or unset. */
  maxsize: nonNegativeInt.default(100),
  /** Rotated files to keep; 0 keeps all. */
  maxbackups: nonNegativeInt.default(0),
  /** Days to keep rotated files; 0 keeps them regardless of age. */
  maxage: nonNegativeInt.default(0),
});
export type FileOptions = z.output<typeof fileSchema>;

export const fileSpec: ReceiverSpec<FileOptions> = {
  type: 'file',
  schema: fileSchema,
  batchDefaults: { maxEvents: 500, maxBytes: 1_048_576, flushIntervalMs: 100 },
  deDot: (opts) => opts.deDot,
  docs: 'docs/configuration.md#file',
  load: () => import('./send.ts').then((m) => m.create),
};
