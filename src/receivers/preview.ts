// `render` and `run --dry-run`: each receiver shows the requests it would make. The receiver's
// own implementation builds them; a RequestCapture (common/capture.ts) stands where the request
// would leave the process. Types whose sending is not captured yet print their payload body,
// after a note line saying so.
import type { Logger } from 'pino';
import type { ReceiverConfig } from '../config/schema.ts';
import type { Clock } from '../util/clock.ts';
import { RequestCapture } from './common/capture.ts';
import type { CapturedRequest } from './common/capture.ts';
import { createDryRunReceiver } from './common/dry-run.ts';
import type { Receiver } from './common/types.ts';
import { createReceiver, loadReceivers } from './registry.ts';

export const PREVIEW_FORMATS = ['text', 'json'] as const;
export type PreviewFormat = (typeof PREVIEW_FORMATS)[number];

/** Receiver types whose requests are captured at the point where they would be sent. */
export const CAPTURED_TYPES: ReadonlySet<string> = new Set([
  'webhook',
  'slack',
  'opsgenie',
  'teams',
  'dingtalk',
  'wechat',
  'loki',
]);

/** Types whose output is the payload body itself. */
const WRITES_BODY: ReadonlySet<string> = new Set(['stdout', 'file']);

export interface PreviewOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly out: NodeJS.WritableStream;
  /** Where the fallback note goes (`render`: stderr, so stdout stays bodies; `--dry-run`: `out`). */
  readonly notes: NodeJS.WritableStream;
  readonly format: PreviewFormat;
  /** Text lines start with the receiver's name padded to this width; 0 = no prefix (`render`). */
  readonly labelWidth: number;
}

/** One captured request as text: the request line, its headers, a blank line, the body. */
export function formatRequestText(request: CapturedRequest): string[] {
  const headers = Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`);
  const body = request.body === '' ? [] : ['', ...request.body.split('\n')];
  return [`${request.method} ${request.url}`, ...headers, ...body];
}

/** One captured request as one JSON object (one line). */
export function formatRequestJson(receiver: string, request: CapturedRequest): string {
  return JSON.stringify({ receiver, ...request });
}

function prefixed(lines: readonly string[], receiver: string, width: number): string {
  const label = width > 0 ? `${receiver.padEnd(width)}  ` : '';
  return lines.map((line) => `${label}${line}`.trimEnd() + '\n').join('');
}

/** The line saying a receiver type prints bodies, not requests. */
export function fallbackNote(config: ReceiverConfig, format: PreviewFormat): string {
  const note = `${config.type} requests are not captured yet; showing the payload body of each event`;
  return format === 'json'
    ? `${JSON.stringify({ receiver: config.name, note })}\n`
    : `# ${config.name}: ${note}\n`;
}

/**
 * The receiver as `render` and `--dry-run` run it: the real implementation with its requests
 * captured and printed, or (for a type not captured) a printer of payload bodies.
 */
export async function createPreviewReceiver(
  config: ReceiverConfig,
  options: PreviewOptions,
): Promise<Receiver> {
  const { out, format, labelWidth } = options;
  if (!CAPTURED_TYPES.has(config.type)) {
    // stdout and file write the body itself: nothing else to show, nothing to note.
    if (!WRITES_BODY.has(config.type)) options.notes.write(fallbackNote(config, format));
    return createDryRunReceiver(config.name, out, labelWidth, format);
  }
  await loadReceivers([config.type]);
  const capture = new RequestCapture((request) => {
    out.write(
      format === 'json'
        ? `${formatRequestJson(config.name, request)}\n`
        : `${prefixed(formatRequestText(request), config.name, labelWidth)}\n`,
    );
  });
  return createReceiver(config, { clock: options.clock, logger: options.logger, capture });
}
