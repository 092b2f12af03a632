import type { Payload, Receiver, SendResult } from './types.ts';

const OK: SendResult = { kind: 'ok' };

/**
 * Stands in, under `render` and `run --dry-run`, for a receiver whose requests are not captured
 * (preview.ts): prints each payload body, as `receiver  payload` lines (text) or one
 * `{"receiver","body"}` object per event (json).
 */
export function createDryRunReceiver(
  name: string,
  out: NodeJS.WritableStream,
  width: number,
  format: 'text' | 'json' = 'text',
): Receiver {
  const label = width > 0 ? `${name.padEnd(width)}  ` : '';
  const line =
    format === 'json'
      ? (p: Payload): string => `${JSON.stringify({ receiver: name, body: p.body })}\n`
      : (p: Payload): string => `${label}${p.body}\n`;
  return {
    name,
    send(batch: readonly Payload[]): Promise<SendResult> {
      out.write(batch.map(line).join(''));
      return Promise.resolve(OK);
    },
    close: () => Promise.resolve(),
  };
}
