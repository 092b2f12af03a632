// The message kube-eventer's DingTalk and WeChat sinks send, built from a payload: without a
// layout the payload is the enhanced event JSON and becomes kube-eventer's text ("Level:…
// \nKind:…"); a layout rendering to a string is the text itself; a layout map with `msgtype`
// is a complete message sent as it is; any other layout map becomes one `key: value` line per
// key (in the rendered JSON's order: sorted, as Go encodes maps).
import { parseJsonObject } from './http.ts';

/** The event fields kube-eventer prints, in its order. */
export interface EventLines {
  readonly level: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly reason: string;
  /** The last time the event was seen; undefined when the event has none. */
  readonly timestamp: Instant | undefined;
  readonly message: string;
}

export type ChatContent =
  | { readonly kind: 'event'; readonly event: EventLines }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'fields'; readonly fields: readonly (readonly [string, string])[] }
  | { readonly kind: 'message'; readonly message: Record<string, unknown> };

export type TimestampStyle = 'dingtalk' | 'wechat';

/** An instant to the second, plus the sub-second digits as written (JS dates stop at ms). */
export interface Instant {
  readonly date: Date;
  readonly fraction: string;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function instant(value: unknown): Instant | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  const fraction = /T\d\d:\d\d:\d\d\.(\d+)/.exec(value)?.[1] ?? '';
  return { date: new Date(ms), fraction };
}

// kube-eventer's GetLastEventTimestamp: the last sighting, whichever field carries it.
function lastSeen(event: Record<string, unknown>): Instant | undefined {
  return (
    instant(event.lastTimestamp) ??
    instant(obj(event.series).lastObservedTime) ??
    instant(event.eventTime) ??
    instant(event.firstTimestamp)
  );
}

/** kube-eventer's lines for an enhanced-event JSON object. */
export function eventLines(event: Record<string, unknown>): EventLines {
  const metadata = obj(event.metadata);
  return {
    level: str(event.type),
    kind: str(obj(event.involvedObject).kind),
    // kube-eventer prints the Event's own namespace and name (`<object>.<hash>`).
    namespace: str(metadata.namespace),
    name: str(metadata.name),
    reason: str(event.reason),
    timestamp: lastSeen(event),
    message: str(event.message),
  };
}

function looksLikeEvent(value: Record<string, unknown>): boolean {
  return 'involvedObject' in value && 'metadata' in value;
}

/** What a payload body asks to send. */
export function chatContent(body: string): ChatContent {
  const object = parseJsonObject(body);
  if (object !== undefined) {
    if (looksLikeEvent(object)) return { kind: 'event', event: eventLines(object) };
    if (typeof object.msgtype === 'string') return { kind: 'message', message: object };
    const fields = Object.entries(object).map(
      ([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)] as const,
    );
    return { kind: 'fields', fields };
  }
  try {
    const value = JSON.parse(body) as unknown;
    return { kind: 'text', text: typeof value === 'string' ? value : body };
  } catch {
    return { kind: 'text', text: body };
  }
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function dateTime(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/**
 * The timestamp as each sink prints it: DingTalk formats `2006-01-02 15:04:05`, WeChat prints Go's
 * time.String() (`2006-01-02 15:04:05.999999999 +0000 UTC`); both in UTC, zero time when unset.
 */
export function formatTimestamp(t: Instant | undefined, style: TimestampStyle): string {
  if (style === 'dingtalk') return t === undefined ? '0001-01-01 00:00:00' : dateTime(t.date);
  if (t === undefined) return '0001-01-01 00:00:00 +0000 UTC';
  const digits = t.fraction.slice(0, 9).replace(/0+$/, '');
  return `${dateTime(t.date)}${digits === '' ? '' : `.${digits}`} +0000 UTC`;
}

const FIELDS: readonly (readonly [string, (e: EventLines, style: TimestampStyle) => string])[] = [
  ['Level', (e) => e.level],
  ['Kind', (e) => e.kind],
  ['Namespace', (e) => e.namespace],
  ['Name', (e) => e.name],
  ['Reason', (e) => e.reason],
  ['Timestamp', (e, style) => formatTimestamp(e.timestamp, style)],
  ['Message', (e) => e.message],
];

/** kube-eventer's text: one line per label, then `Level:… \nKind:… \n…Message:…`. */
export function kubeEventerText(event: EventLines, labels: readonly string[], style: TimestampStyle): string {
  const body = FIELDS.map(([key, value]) => `${key}:${value(event, style)}`).join(' \n');
  return labels.map((label) => `${label}\n`).join('') + body;
}

/** The same fields as Markdown: labels as a quote, one bold key per line. */
export function kubeEventerMarkdown(
  event: EventLines,
  labels: readonly string[],
  style: TimestampStyle,
  title: string,
): string {
  const head = [`### ${title}`, ...labels.map((label) => `> ${label}`)];
  const lines = FIELDS.map(([key, value]) => `- **${key}**: ${value(event, style)}`);
  return [...head, '', ...lines].join('\n');
}

/** The text (or markdown) of any content but a complete message. */
export function chatText(
  content: Exclude<ChatContent, { kind: 'message' }>,
  labels: readonly string[],
  style: TimestampStyle,
  markdown: { readonly title: string } | undefined,
): string {
  if (content.kind === 'text') return content.text;
  if (content.kind === 'event')
    return markdown
      ? kubeEventerMarkdown(content.event, labels, style, markdown.title)
      : kubeEventerText(content.event, labels, style);
  if (markdown)
    return [
      `### ${markdown.title}`,
      ...labels.map((l) => `> ${l}`),
      '',
      ...content.fields.map(([k, v]) => `- **${k}**: ${v}`),
    ].join('\n');
  return [...labels, ...content.fields.map(([k, v]) => `${k}: ${v}`)].join('\n');
}
