// The optional index template (`indexTemplate.install`): the event field mappings in
// index-template.json, with patterns, priority and data stream set from the receiver's options.
import { readFileSync } from 'node:fs';
import type { OpType } from './options.ts';
import { parseIndexFormat } from './index-name.ts';

export const INDEX_TEMPLATE_FILE = new URL('./index-template.json', import.meta.url);

export type Flavour = 'elasticsearch' | 'opensearch';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

let base: { [key: string]: Json } | undefined;

function baseTemplate(): { [key: string]: Json } {
  base ??= JSON.parse(readFileSync(INDEX_TEMPLATE_FILE, 'utf8')) as { [key: string]: Json };
  return base;
}

/** The patterns a template needs to match every index the options can name. */
export function defaultIndexPatterns(index: string | undefined, indexFormat: string | undefined): string[] {
  if (indexFormat !== undefined && indexFormat !== '') {
    const pattern = parseIndexFormat(indexFormat)
      .parts.map((p) => ('literal' in p ? p.literal : '*'))
      .join('');
    return [pattern.replace(/\*+/g, '*')];
  }
  return [index ?? ''];
}

// OpenSearch names Elasticsearch's `flattened` type `flat_object` (OpenSearch 2.7+).
function forFlavour(value: Json, flavour: Flavour): Json {
  if (Array.isArray(value)) return value.map((v) => forFlavour(v, flavour));
  if (value === null || typeof value !== 'object') return value;
  const out: { [key: string]: Json } = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] =
      key === 'type' && v === 'flattened' && flavour === 'opensearch'
        ? 'flat_object'
        : forFlavour(v, flavour);
  }
  return out;
}

export interface TemplateChoice {
  readonly indexPatterns: readonly string[];
  readonly priority: number;
  readonly opType: OpType;
  readonly flavour: Flavour;
}

/** The body of `PUT _index_template/<name>`. */
export function indexTemplateBody(choice: TemplateChoice): { [key: string]: Json } {
  const { _comment: _ignored, ...rest } = baseTemplate();
  const body = forFlavour(rest, choice.flavour) as { [key: string]: Json };
  body['index_patterns'] = [...choice.indexPatterns];
  body['priority'] = choice.priority;
  // Data streams take `create` only; the template makes the first write create the stream.
  if (choice.opType === 'create') body['data_stream'] = {};
  return body;
}
