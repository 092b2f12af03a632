// stdout: one JSON document per line (exporter's StdoutConfig).
import { z } from 'zod';
import { typeOptions } from './common-options.ts';
import type { BuildContext, Payload, Receiver, ReceiverSpec, SendResult } from './types.ts';
import { SendError } from './types.ts';

export const stdoutSchema = typeOptions({
  /** Replace dots in label and annotation keys with underscores. */
  deDot: z.boolean().default(false),
});
export type StdoutOptions = z.output<typeof stdoutSchema>;

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

export const stdoutSpec: ReceiverSpec<StdoutOptions> = {
  type: 'stdout',
  schema: stdoutSchema,
  // Lines are cheap to write; batching only saves syscalls under a burst.
  batchDefaults: { maxEvents: 100, maxBytes: 1_048_576, flushIntervalMs: 0 },
  deDot: (opts) => opts.deDot,
  create: (name, _opts, ctx) => new StdoutReceiver(name, ctx),
};
