import type { Payload, Receiver, SendResult } from './types.ts';

const OK: SendResult = { kind: 'ok' };

/**
 * Stands in for a receiver under `run --dry-run`: prints what would be sent, one line per event
 * (`receiver  payload`), so a config can be tried end to end without touching any service.
 */
export function createDryRunReceiver(name: string, out: NodeJS.WritableStream, width: number): Receiver {
  const label = name.padEnd(width);
  return {
    name,
    send(batch: readonly Payload[]): Promise<SendResult> {
      out.write(batch.map((p) => `${label}  ${p.body}\n`).join(''));
      return Promise.resolve(OK);
    },
    close: () => Promise.resolve(),
  };
}
