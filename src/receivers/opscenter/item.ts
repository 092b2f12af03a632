// One OpsItem from a payload's rendered options, as CreateOpsItem takes it. Pure (no SDK), so a
// value OpsCenter would refuse (a priority that is not a number) is found before the call.
import type { Payload } from '../common/types.ts';
import { OPSITEM_LIMITS, templatedKey } from './options.ts';
import type { OpscenterOptions } from './options.ts';

export interface OpsItemInput {
  Title: string;
  Description: string;
  Source: string;
  Category?: string;
  Severity?: string;
  Priority?: number;
  OperationalData: Record<string, { Type: 'SearchableString'; Value: string }>;
  Tags?: { Key: string; Value: string }[];
  RelatedOpsItems?: { OpsItemId: string }[];
  Notifications?: { Arn: string }[];
}

export class OpsItemValueError extends Error {
  readonly code = 'E_OPSITEM_VALUE';
}

function cut(value: string, maxChars: number): string {
  const chars = [...value];
  return chars.length > maxChars ? chars.slice(0, maxChars).join('') : value;
}

/** Builds the CreateOpsItem input; throws OpsItemValueError for a value OpsCenter cannot take. */
export function opsItemOf(payload: Payload, opts: OpscenterOptions): OpsItemInput {
  const get = (...path: (string | number)[]) => payload.templated[templatedKey(...path)] ?? '';
  const optional = (key: 'category' | 'severity', max: number) =>
    opts[key] === undefined ? undefined : cut(get(key), max);
  const item: OpsItemInput = {
    Title: cut(get('title'), OPSITEM_LIMITS.title),
    Description: cut(get('description'), OPSITEM_LIMITS.description),
    Source: cut(get('source'), OPSITEM_LIMITS.source),
    OperationalData: {},
  };
  const category = optional('category', OPSITEM_LIMITS.category);
  if (category !== undefined) item.Category = category;
  const severity = optional('severity', OPSITEM_LIMITS.severity);
  if (severity !== undefined) item.Severity = severity;
  if (opts.priority !== undefined) item.Priority = priorityOf(get('priority'));
  for (const key of Object.keys(opts.operationalData ?? {}))
    item.OperationalData[key] = { Type: 'SearchableString', Value: get('operationalData', key) };
  // OpsCenter creates no second open OpsItem with the same dedup string: a retried call is harmless.
  item.OperationalData['/aws/dedup'] ??= {
    Type: 'SearchableString',
    Value: JSON.stringify({ dedupString: opts.dedupString === undefined ? payload.id : get('dedupString') }),
  };
  if (opts.tags !== undefined)
    item.Tags = Object.keys(opts.tags).map((key) => ({ Key: key, Value: get('tags', key) }));
  // The exporter sent its operationalData values here (a bug); these are the listed ids.
  if (opts.relatedOpsItems !== undefined)
    item.RelatedOpsItems = opts.relatedOpsItems.map((_, i) => ({ OpsItemId: get('relatedOpsItems', i) }));
  if (opts.notifications !== undefined)
    item.Notifications = opts.notifications.map((_, i) => ({ Arn: get('notifications', i) }));
  return item;
}

function priorityOf(rendered: string): number {
  const text = rendered.trim();
  if (!/^-?\d+$/.test(text))
    throw new OpsItemValueError(`priority must be an integer, got ${JSON.stringify(rendered)}`);
  return Number(text);
}
