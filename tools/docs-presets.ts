// Regenerates the preset table in docs/routing.md from src/route/preset-defs.ts, so the doc can
// never list a preset the code does not have (test/docs/presets-doc.test.ts fails when they
// differ). `npm run docs:presets` rewrites the file; `-- --check` only reports.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PRESET_DEFINITIONS, type PresetDefinition } from '../src/route/preset-defs.ts';

export const ROUTING_DOC = fileURLToPath(new URL('../docs/routing.md', import.meta.url));
export const TABLE_BEGIN =
  '<!-- presets:begin: generated from src/route/preset-defs.ts by `npm run docs:presets`; do not edit -->';
export const TABLE_END = '<!-- presets:end -->';

export class MissingMarkersError extends Error {
  readonly code = 'E_DOC_MARKERS';
  constructor(file: string) {
    super(`${file} has no "${TABLE_BEGIN}" ... "${TABLE_END}" block.`);
    this.name = 'MissingMarkersError';
  }
}

// A rule value as it would be written in YAML flow style: `{ kind: ^Node$, not: { message: x } }`.
function flow(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k}: ${flow(v)}`)
      .join(', ')} }`;
  }
  return String(value);
}

// Pipes would end a Markdown table cell; backticks would end the code span.
function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

function row(def: PresetDefinition): string {
  const rules = def.rules.map((rule) => `\`${cell(flow(rule))}\``).join(' or ');
  return `| \`${def.name}\` | ${cell(def.description)} | ${rules} | ${cell(def.source)} |`;
}

/** The Markdown table of every preset, in definition order. */
export function presetTable(defs: readonly PresetDefinition[] = PRESET_DEFINITIONS): string {
  return [
    '| preset | matches | rules (any of) | source |',
    '| --- | --- | --- | --- |',
    ...defs.map(row),
  ].join('\n');
}

/** `doc` with the text between the markers replaced by the current table. */
export function withPresetTable(doc: string, file = ROUTING_DOC): string {
  const begin = doc.indexOf(TABLE_BEGIN);
  const end = doc.indexOf(TABLE_END, begin);
  if (begin < 0 || end < 0) throw new MissingMarkersError(file);
  return `${doc.slice(0, begin + TABLE_BEGIN.length)}\n${presetTable()}\n${doc.slice(end)}`;
}

function main(argv: readonly string[]): number {
  const doc = readFileSync(ROUTING_DOC, 'utf8');
  const next = withPresetTable(doc);
  if (next === doc) {
    process.stdout.write(`${ROUTING_DOC}: the preset table is up to date.\n`);
    return 0;
  }
  if (argv.includes('--check')) {
    process.stderr.write(`${ROUTING_DOC}: the preset table is out of date; run npm run docs:presets.\n`);
    return 1;
  }
  writeFileSync(ROUTING_DOC, next);
  process.stdout.write(`${ROUTING_DOC}: preset table regenerated (${PRESET_DEFINITIONS.length} presets).\n`);
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
