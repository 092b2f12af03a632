// stdout — send: one write per batch; the write callback is the answer (error = retry as ioError).
import type { BuildContext, Payload, Receiver, ReceiverFactory, SendResult } from '../common/types.ts';
import { SendError } from '../common/types.ts';
import type { StdoutOptions } from './options.ts';

// Once per stream: receivers are rebuilt on every reload.
const guarded = new WeakSet<NodeJS.WritableStream>();

class StdoutReceiver implements Receiver {
  private readonly stream: NodeJS.WritableStream;

  constructor(
    readonly name: string,
    ctx: BuildContext,
  ) {
    this.stream = ctx.stdout ?? process.stdout;
    // A closed pipe (EPIPE) is reported to the write callback below; unheard, the stream's
    // 'error' event would end the process.
    if (!guarded.has(this.stream)) {
      guarded.add(this.stream);
      this.stream.on('error', () => undefined);
    }
  }

  send(batch: readonly Payload[]): Promise<SendResult> {
    // json.Encoder's lines; one write per batch keeps a burst to one syscall.
    let text = '';
    for (const payload of batch) text += `${payload.body}\n`;
    return new Promise((resolve) => {
      // The callback fires once the data is handed to the OS (or failed); waiting for it is the
      // back-pressure: a slow pipe slows this output only.
      this.stream.write(text, (err?: Error | null) => {
        if (err)
          resolve({
            kind: 'retry',
            reason: 'ioError',
            error: new SendError(`cannot write to stdout: ${err.message}`),
          });
        else resolve({ kind: 'ok' });
      });
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export const create: ReceiverFactory<StdoutOptions> = (name, _opts, ctx) => new StdoutReceiver(name, ctx);
