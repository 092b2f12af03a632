// pipe — send: one JSON line per event (json.Encoder's), written to the path; the sink is
// (re)opened on demand, so a reader that comes late or goes away and back is picked up.
import type { Writable } from 'node:stream';
import type { BuildContext, Payload, Receiver, ReceiverFactory, SendResult } from '../common/types.ts';
import { SendError } from '../common/types.ts';
import type { PipeOptions } from './options.ts';
import { NoReaderError, openSink, writeLines } from './sink.ts';

class PipeReceiver implements Receiver {
  private sink: Writable | undefined;
  private opened = false;

  constructor(
    readonly name: string,
    private readonly options: PipeOptions,
    private readonly ctx: BuildContext,
  ) {}

  async send(batch: readonly Payload[], signal: AbortSignal): Promise<SendResult> {
    let sink: Writable;
    try {
      sink = await this.open();
    } catch (err) {
      return this.failure(err, 'cannot open');
    }
    // A reader that stops reading holds the write; shutting down must not wait for it.
    const abort = () => sink.destroy(new Error('shutting down'));
    signal.addEventListener('abort', abort, { once: true });
    const { written, error } = await writeLines(
      sink,
      batch.map((p) => `${p.body}\n`),
    );
    signal.removeEventListener('abort', abort);
    // A destroyed socket reports its pending writes as done: after an abort nothing is known.
    if (signal.aborted) {
      this.drop();
      return this.failure(new Error('shutting down'), 'cannot write to');
    }
    if (error === undefined) return { kind: 'ok' };
    this.drop();
    const result = this.failure(error, 'cannot write to');
    if (written === 0 || result.kind !== 'retry') return result;
    const retry = batch.map((_, i) => i).slice(written);
    return { kind: 'partial', retry, drop: [], reason: result.reason };
  }

  private async open(): Promise<Writable> {
    if (this.sink !== undefined && !this.sink.destroyed) return this.sink;
    this.sink = await openSink(this.options.path, !this.opened);
    if (this.opened) this.ctx.logger.info({ receiver: this.name }, 'Pipe reopened.');
    this.opened = true;
    return this.sink;
  }

  private drop(): void {
    this.sink?.destroy();
    this.sink = undefined;
  }

  private failure(err: unknown, doing: string): SendResult & { kind: 'retry' } {
    const reason = err instanceof Error && err.message === 'shutting down' ? 'shutdown' : 'ioError';
    const detail = err instanceof NoReaderError ? err.message : (err as Error).message;
    return { kind: 'retry', reason, error: new SendError(`${doing} ${this.options.path}: ${detail}`) };
  }

  close(): Promise<void> {
    const sink = this.sink;
    this.sink = undefined;
    if (sink === undefined || sink.destroyed) return Promise.resolve();
    return new Promise((resolve) => sink.end(() => resolve()));
  }
}

export const create: ReceiverFactory<PipeOptions> = (name, opts, ctx) => new PipeReceiver(name, opts, ctx);
