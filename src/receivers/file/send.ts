// file — send: lines appended through the rotating file; a line above maxsize is dead-lettered,
// a failed write retried as ioError.
import type { BuildContext, Payload, Receiver, ReceiverFactory, SendResult } from '../common/types.ts';
import { SendError } from '../common/types.ts';
import { RotatingFile } from '../common/rotating-file.ts';
import type { FileOptions } from './options.ts';

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

export const create: ReceiverFactory<FileOptions> = (name, opts, ctx) => new FileReceiver(name, opts, ctx);
