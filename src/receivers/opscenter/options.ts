// opscenter options (exporter's OpsCenterConfig: title, description, source, category, severity,
// priority, operationalData, tags, relatedOpsItems, notifications, region — each a template;
// ours: dedupString, endpoint, timeoutMs). No SDK import: the config loader reads this file alone.
import { z } from 'zod';
import type { ReceiverSpec } from '../common/types.ts';
import { formatPath } from '../../config/problem.ts';
import { goString } from '../../config/zod-helpers.ts';
import { awsOptionShape } from '../aws/options.ts';
import { typeOptions } from '../common/options.ts';
import type { TemplatedOption } from '../common/types.ts';

/** CreateOpsItem's field lengths (AWS Systems Manager API reference). */
export const OPSITEM_LIMITS = {
  title: 1024,
  description: 2048,
  source: 128,
  category: 64,
  severity: 64,
} as const;

const required = goString.pipe(z.string().min(1, { message: 'is required' }));
const templateMap = z.record(z.string().min(1), goString);

export const opscenterSchema = typeOptions({
  title: required,
  description: required,
  source: required,
  category: goString.optional(),
  severity: goString.optional(),
  /** Rendered, it must be an integer (1-5 in OpsCenter). */
  priority: goString.optional(),
  operationalData: templateMap.optional(),
  tags: templateMap.optional(),
  /** OpsItem ids. */
  relatedOpsItems: z.array(goString).optional(),
  /** SNS topic ARNs. */
  notifications: z.array(goString).optional(),
  /** OpsCenter's `/aws/dedup` string; unset = the occurrence id, so a retried call creates no second OpsItem. */
  dedupString: goString.optional(),
  ...awsOptionShape,
});
export type OpscenterOptions = z.output<typeof opscenterSchema>;

const SCALARS = [
  'title',
  'description',
  'source',
  'category',
  'severity',
  'priority',
  'dedupString',
] as const;

/** Every option is a template: the scalars, each map value and each list item. */
export function opscenterTemplates(opts: OpscenterOptions): TemplatedOption[] {
  const out: TemplatedOption[] = [];
  for (const key of SCALARS) {
    const source = opts[key];
    if (source !== undefined) out.push({ path: [key], source });
  }
  for (const key of ['operationalData', 'tags'] as const)
    for (const [name, source] of Object.entries(opts[key] ?? {})) out.push({ path: [key, name], source });
  for (const key of ['relatedOpsItems', 'notifications'] as const)
    (opts[key] ?? []).forEach((source, i) => out.push({ path: [key, i], source }));
  return out;
}

/** The key of a rendered option in `payload.templated`. */
export const templatedKey = (...path: (string | number)[]): string => formatPath(path);

export const opscenterSpec: ReceiverSpec<OpscenterOptions> = {
  type: 'opscenter',
  schema: opscenterSchema,
  // One call per event whatever the batch; a small batch bounds what one throttled call delays.
  batchDefaults: { maxEvents: 10, maxBytes: 1_048_576, flushIntervalMs: 200 },
  templatedOptions: opscenterTemplates,
  docs: 'docs/receivers/opscenter.md',
  load: () => import('./send.ts').then((m) => m.create),
};
