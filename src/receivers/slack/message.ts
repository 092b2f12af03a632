// The Slack message of one event: text, the exporter's attachment (color, title, author_name,
// footer, fields sorted by title) and optional Block Kit blocks whose strings are templates.
// Every templated value was rendered by the output into `payload.templated`, keyed by path.
import { formatPath } from '../../config/problem.ts';
import type { ConfigPath } from '../../config/problem.ts';
import type { Payload, TemplatedOption } from '../common/types.ts';

export interface MessageOptions {
  readonly channel?: string;
  readonly message: string;
  readonly color?: string;
  readonly title?: string;
  readonly author_name?: string;
  readonly footer?: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly blocks?: readonly unknown[];
}

export interface SlackAttachment {
  color?: string;
  title?: string;
  author_name?: string;
  footer?: string;
  fields?: { title: string; value: string; short: boolean }[];
}

export interface SlackMessage {
  channel?: string;
  text: string;
  attachments?: SlackAttachment[];
  blocks?: unknown[];
}

const ATTACHMENT_KEYS = ['color', 'title', 'author_name', 'footer'] as const;

/** Every string leaf of a Block Kit structure, with its path under `blocks`. */
function stringLeaves(value: unknown, path: ConfigPath, out: TemplatedOption[]): void {
  if (typeof value === 'string') out.push({ path, source: value });
  else if (Array.isArray(value)) value.forEach((v, i) => stringLeaves(v, [...path, i], out));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) stringLeaves(v, [...path, k], out);
  }
}

/** The options the output renders per event. */
export function messageTemplates(opts: MessageOptions): TemplatedOption[] {
  const out: TemplatedOption[] = [{ path: ['message'], source: opts.message }];
  if (opts.channel !== undefined) out.push({ path: ['channel'], source: opts.channel });
  for (const key of ATTACHMENT_KEYS) {
    const source = opts[key];
    if (source !== undefined) out.push({ path: [key], source });
  }
  for (const [title, source] of Object.entries(opts.fields)) out.push({ path: ['fields', title], source });
  if (opts.blocks !== undefined) stringLeaves(opts.blocks, ['blocks'], out);
  return out;
}

/** The blocks with each string replaced by its rendering. */
function renderBlocks(value: unknown, path: ConfigPath, templated: Payload['templated']): unknown {
  if (typeof value === 'string') return templated[formatPath(path)] ?? '';
  if (Array.isArray(value)) return value.map((v, i) => renderBlocks(v, [...path, i], templated));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, renderBlocks(v, [...path, k], templated)]),
    );
  }
  return value;
}

function attachment(opts: MessageOptions, templated: Payload['templated']): SlackAttachment | undefined {
  const titles = Object.keys(opts.fields).sort();
  const out: SlackAttachment = {};
  for (const key of ATTACHMENT_KEYS) if (opts[key] !== undefined) out[key] = templated[key] ?? '';
  if (titles.length > 0) {
    out.fields = titles.map((title) => ({
      title,
      value: templated[formatPath(['fields', title])] ?? '',
      short: false,
    }));
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** The chat.postMessage arguments (or incoming-webhook body) for one rendered event. */
export function buildMessage(opts: MessageOptions, payload: Payload): SlackMessage {
  const t = payload.templated;
  const out: SlackMessage = { text: t.message ?? '' };
  if (opts.channel !== undefined) out.channel = t.channel ?? '';
  const att = attachment(opts, t);
  if (att !== undefined) out.attachments = [att];
  if (opts.blocks !== undefined) out.blocks = renderBlocks(opts.blocks, ['blocks'], t) as unknown[];
  return out;
}
