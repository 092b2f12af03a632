// A generated corpus of broken configs, derived from config.example.yaml and the good fixtures:
// YAML-level damage (the document does not parse) and schema violations (it parses, but a value
// somewhere is wrong). Deterministic for a seed.
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { Rng } from './rng.ts';

export type CaseKind = 'yaml' | 'schema';

export interface ConfigCase {
  readonly name: string;
  readonly kind: CaseKind;
  readonly text: string;
}

const ROOT = new URL('../../', import.meta.url);
const BASES = [
  'config.example.yaml',
  'test/fixtures/config/good-minimal.yaml',
  'test/fixtures/config/good-full.yaml',
  'test/fixtures/config/good-exporter-readme.yaml',
];

export function baseConfigs(): { name: string; text: string }[] {
  return BASES.map((name) => ({ name, text: readFileSync(new URL(name, ROOT), 'utf8') }));
}

// --- YAML damage ------------------------------------------------------------------------------

type TextMutation = (text: string, rng: Rng) => string;

function lines(text: string): string[] {
  return text.split('\n');
}

function contentLine(all: string[], rng: Rng): number {
  const candidates = all
    .map((l, i) => (l.trim() !== '' && !l.trim().startsWith('#') ? i : -1))
    .filter((i) => i >= 0);
  return candidates.length === 0 ? 0 : rng.pick(candidates);
}

const TEXT_MUTATIONS: Record<string, TextMutation> = {
  truncate: (t, rng) => t.slice(0, rng.int(t.length)),
  indent: (t, rng) => {
    const all = lines(t);
    const i = contentLine(all, rng);
    all[i] = ' '.repeat(1 + rng.int(3)) + (all[i] ?? '');
    return all.join('\n');
  },
  dedent: (t, rng) => {
    const all = lines(t);
    const i = contentLine(all, rng);
    all[i] = (all[i] ?? '').replace(/^ {1,3}/, '');
    return all.join('\n');
  },
  tab: (t, rng) => {
    const all = lines(t);
    const i = contentLine(all, rng);
    all[i] = (all[i] ?? '').replace(/^( *)/, '$1\t');
    return all.join('\n');
  },
  duplicateKey: (t, rng) => {
    const all = lines(t);
    const i = contentLine(all, rng);
    all.splice(i, 0, all[i] ?? '');
    return all.join('\n');
  },
  unclosedQuote: (t, rng) => {
    const all = lines(t);
    const i = contentLine(all, rng);
    all[i] = (all[i] ?? '').replace(/: /, rng.chance(0.5) ? ': "' : ": '");
    return all.join('\n');
  },
  unclosedFlow: (t, rng) => {
    const all = lines(t);
    const i = contentLine(all, rng);
    all[i] = (all[i] ?? '').replace(/: /, rng.chance(0.5) ? ': { a: ' : ': [ ');
    return all.join('\n');
  },
  garbageByte: (t, rng) => {
    const at = rng.int(t.length + 1);
    return (
      t.slice(0, at) +
      rng.pick(['\u0000', '\ufffd', '%', '@', '`', '&', '*', '!', '|', '>', ':', '\u0007']) +
      t.slice(at)
    );
  },
  deleteSpan: (t, rng) => {
    const at = rng.int(t.length);
    return t.slice(0, at) + t.slice(at + 1 + rng.int(20));
  },
};

/** Documents built to exhaust a naive loader: alias bombs, deep nesting, huge scalars. */
function hostileDocuments(): ConfigCase[] {
  const laughs = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++)
    laughs.push(
      `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  const mergeBomb = ['m0: &m0 { k: v }'];
  for (let i = 1; i < 12; i++) mergeBomb.push(`m${i}: &m${i} { <<: [*m${i - 1}, *m${i - 1}], k${i}: v }`);
  const deep = 5_000;
  return [
    { name: 'billion laughs (top level)', kind: 'yaml', text: `${laughs.join('\n')}\nroute: {}\n` },
    {
      name: 'billion laughs (inside a receiver)',
      kind: 'yaml',
      text: `x: &x [${Array(50).fill('"l"').join(',')}]\ny: &y [${Array(50).fill('*x').join(',')}]\nroute: {}\nreceivers:\n  - name: a\n    stdout:\n      layout: { z: [${Array(50).fill('*y').join(',')}] }\n`,
    },
    { name: 'merge-key bomb', kind: 'yaml', text: `${mergeBomb.join('\n')}\nroute: {}\n` },
    { name: 'deep flow nesting', kind: 'yaml', text: `route: ${'['.repeat(deep)}${']'.repeat(deep)}\n` },
    {
      name: 'deep block nesting',
      kind: 'yaml',
      text: `route:\n${Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')}\n`,
    },
    { name: 'huge integer', kind: 'schema', text: `kubeQPS: ${'9'.repeat(400)}\nroute: {}\n` },
    {
      name: 'float overflow',
      kind: 'schema',
      text: 'kubeBurst: 1e400\nmaxEventAgeSeconds: -1e400\nroute: {}\n',
    },
    {
      name: 'NaN and infinity',
      kind: 'schema',
      text: 'kubeQPS: .nan\nkubeBurst: .inf\ncacheSize: -.inf\nroute: {}\n',
    },
    { name: '1 MB scalar', kind: 'schema', text: `clusterName: [${'x'.repeat(1 << 20)}]\nroute: {}\n` },
    {
      name: 'unknown tag',
      kind: 'yaml',
      text: 'clusterName: !!python/object:os.system "rm -rf /"\nroute: {}\n',
    },
    { name: 'two documents', kind: 'yaml', text: 'route: {}\n---\nroute: {}\n' },
    { name: 'undefined alias', kind: 'yaml', text: 'route: *nothing\n' },
    { name: 'only a scalar', kind: 'yaml', text: '42\n' },
    { name: 'a list at the top', kind: 'yaml', text: '- route: {}\n' },
  ];
}

// --- Schema violations ------------------------------------------------------------------------

type Json = unknown;
type Step = string | number;

function paths(value: Json, prefix: Step[] = [], out: Step[][] = []): Step[][] {
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  }
  if (prefix.length > 0) out.push(prefix);
  return out;
}

function parentOf(root: Json, path: readonly Step[]): Record<string | number, Json> {
  let node = root as Record<string | number, Json>;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, Json>;
  return node;
}

const BAD_REGEXES = ['([', '(?<', '*x', 'a{2,1}', '\\', '(?P<n>x', '[z-a]'];
const BAD_TEMPLATES = [
  '{{ .Message ',
  '{{ nosuchfunc }}',
  '{{ .Reason | }}',
  '{{ end }}',
  '{{ if }}',
  '{{ template "x" }}',
  '{{ .InvolvedObject.Name.Nope.Deeper }}{{',
  '{{ index }}',
];

/** Replaces the value at a path by something of the wrong kind, range or syntax. */
function swapValue(value: Json, key: Step, rng: Rng): Json {
  if (typeof value === 'string') {
    const keyText = String(key).toLowerCase();
    if (rng.chance(0.3)) return rng.pick(BAD_REGEXES);
    if (rng.chance(0.3) || keyText.includes('layout') || value.includes('{{')) return rng.pick(BAD_TEMPLATES);
    return rng.pick<Json>([42, true, [value], { v: value }, null, '']);
  }
  if (typeof value === 'number')
    return rng.pick<Json>([
      -1,
      -value - 1,
      1e15,
      0.5,
      String(value) + 'ms',
      'fast',
      [value],
      true,
      Number.MAX_SAFE_INTEGER * 10,
    ]);
  if (typeof value === 'boolean') return rng.pick<Json>(['yes', 1, [value], 'on', null]);
  if (Array.isArray(value)) return rng.pick<Json>(['a string', 7, { 0: value[0] ?? null }, [null], [[]]]);
  return rng.pick<Json>([[value], 'a string', 12, true]);
}

function renameKey(parent: Record<string, Json>, key: string, rng: Rng): void {
  const renamed = rng.pick([`${key}s`, key.toUpperCase(), key.slice(0, -1) || 'x', `_${key}`, `${key}-x`]);
  const entries = Object.entries(parent).map(([k, v]) => [k === key ? renamed : k, v] as const);
  // Rebuilt in place so the renamed key keeps its position in the file.
  for (const k of Object.keys(parent)) Reflect.deleteProperty(parent, k);
  for (const [k, v] of entries) parent[k] = v;
}

function schemaMutation(base: Json, rng: Rng): { text: string; what: string } {
  const root = structuredClone(base);
  const all = paths(root);
  const path = rng.pick(all);
  const parent = parentOf(root, path);
  const key = path[path.length - 1] as Step;
  const action = rng.pick(['rename', 'swap', 'swap', 'delete', 'unknownKey']);
  if (action === 'rename' && typeof key === 'string') renameKey(parent as Record<string, Json>, key, rng);
  else if (action === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else Reflect.deleteProperty(parent, key);
  } else if (
    action === 'unknownKey' &&
    parent !== null &&
    typeof parent === 'object' &&
    !Array.isArray(parent)
  ) {
    parent[`unknown${rng.int(100)}`] = 1;
  } else parent[key] = swapValue(parent[key], key, rng);
  return { text: stringify(root), what: `${action} at ${path.join('.')}` };
}

export function configCorpus(seed: number, perBase: { yaml: number; schema: number }): ConfigCase[] {
  const rng = new Rng(seed);
  const cases: ConfigCase[] = [...hostileDocuments()];
  const mutationNames = Object.keys(TEXT_MUTATIONS);
  for (const base of baseConfigs()) {
    for (let i = 0; i < perBase.yaml; i++) {
      const name = rng.pick(mutationNames);
      const mutate = TEXT_MUTATIONS[name] as TextMutation;
      let text = base.text;
      for (let n = 1 + rng.int(2); n > 0; n--) text = mutate(text, rng);
      cases.push({ name: `${base.name} #${i} ${name}`, kind: 'yaml', text });
    }
    const parsed = parse(base.text) as Json;
    for (let i = 0; i < perBase.schema; i++) {
      const { text, what } = schemaMutation(parsed, rng);
      cases.push({ name: `${base.name} #${i} ${what}`, kind: 'schema', text });
    }
  }
  return cases;
}
