// file: JSON lines with size/age rotation (exporter's FileConfig, lumberjack option names).
import { z } from 'zod';
import { nonNegativeInt } from '../config/zod-helpers.ts';
import { typeOptions } from './common-options.ts';
import { RotatingFile } from './rotating-file.ts';
import type { BuildContext, Payload, Receiver, ReceiverSpec, SendResult } from './types.ts';
import { SendError } from './types.ts';

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

class FileReceiver implements Receiver {
  private readonly file: RotatingFile;

  constructor(
    readonly name: string,
    options: FileOptions,
    ctx: BuildContext,
  ) {
    this.file = new RotatingFile({
      path: options.path,
      maxSizeMb: options.maxsize,
      maxBackups: options.maxbackups,
      maxAgeDays: options.maxage,
      clock: ctx.clock,
    });
  }

  async send(batch: readonly Payload[]): Promise<SendResult> {
    // One line per event, as json.Encoder writes it; a line above maxsize can never be written.
    const lines = batch.map((p) => Buffer.from(`${p.body}\n`, 'utf8'));
    const drop: { index: number; error: Error }[] = [];
    let i = 0;
    try {
      while (i < lines.length) {
        const size = (lines[i] as Buffer).length;
        if (size > this.file.maxBytes) {
          drop.push({
            index: i,
            error: new SendError(`line of ${size} bytes exceeds maxsize (${this.file.maxBytes} bytes)`),
          });
          i++;
          continue;
        }
        const end = firstTooLarge(lines, i, this.file.maxBytes);
        i += await this.file.writeSome(lines.slice(0, end), i);
      }
    } catch (err) {
      const error = new SendError(`cannot write: ${(err as Error).message}`);
      const retry = lines
        .map((_, index) => index)
        .slice(i)
        .filter((index) => !drop.some((d) => d.index === index));
      if (i === 0 && drop.length === 0) return { kind: 'retry', reason: 'ioError', error };
      return { kind: 'partial', retry, drop, reason: 'ioError' };
    }
    return drop.length === 0 ? { kind: 'ok' } : { kind: 'partial', retry: [], drop };
  }

  close(): Promise<void> {
    return this.file.close();
  }
}

function firstTooLarge(lines: readonly Buffer[], from: number, maxBytes: number): number {
  for (let i = from; i < lines.length; i++) if ((lines[i] as Buffer).length > maxBytes) return i;
  return lines.length;
}

export const fileSpec: ReceiverSpec<FileOptions> = {
  type: 'file',
  schema: fileSchema,
  batchDefaults: { maxEvents: 500, maxBytes: 1_048_576, flushIntervalMs: 100 },
  deDot: (opts) => opts.deDot,
  create: (name, opts, ctx) => new FileReceiver(name, opts, ctx),
};
