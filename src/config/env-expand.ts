// Environment expansion, `$VAR` and `${VAR}` as the exporter's os.ExpandEnv, done scalar by
// scalar on the parsed document (not on the raw text) so that positions stay those of the
// file, a value can never change the YAML structure, and `{{ $x := .Reason }}` survives.
import type { Document, Node, Scalar } from 'yaml';
import { isMap, isScalar, isSeq, parse } from 'yaml';
import type { ConfigPath } from './problem.ts';
import { error, warning } from './problem.ts';
import type { ConfigProblem } from './positions.ts';

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface EnvIssue {
  /** Offset of the `$` in the input string. */
  readonly offset: number;
  readonly message: string;
  /** The variable, when the issue is that it is not set. */
  readonly unset?: string;
}

export interface ExpandOptions {
  /** Offline commands: an unset variable expands to the placeholder `${NAME}` (still an issue). */
  readonly placeholders?: boolean;
}

export interface Expansion {
  readonly value: string;
  /** Variables substituted, with their values (to redact them from messages). */
  readonly used: ReadonlyMap<string, string>;
  readonly issues: readonly EnvIssue[];
}

/** Index just past the `}}` closing the action opened before `from`, skipping Go literals. */
function endOfAction(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (text.startsWith('}}', i)) return i + 2;
    if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === '"' || c === "'") {
      i++;
      while (i < text.length && text[i] !== c) i += text[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '`') {
      const end = text.indexOf('`', i + 1);
      i = end < 0 ? text.length : end + 1;
    } else {
      i++;
    }
  }
  return text.length;
}

/** Expand one string. Undefined variables become "" and are reported by name, never by value. */
export function expandEnv(text: string, env: NodeJS.ProcessEnv, options: ExpandOptions = {}): Expansion {
  const used = new Map<string, string>();
  const issues: EnvIssue[] = [];
  let out = '';
  let i = 0;
  const substitute = (name: string, offset: number): void => {
    const value = env[name];
    if (value === undefined) {
      const placeholder = options.placeholders === true ? `\${${name}}` : '';
      const message =
        options.placeholders === true
          ? `environment variable "${name}" is not set; checked with the placeholder "${placeholder}" (run refuses it)`
          : `environment variable "${name}" is not set`;
      issues.push({ offset, message, unset: name });
      out += placeholder;
    } else {
      used.set(name, value);
      out += value;
    }
  };
  while (i < text.length) {
    if (text.startsWith('{{', i)) {
      const end = endOfAction(text, i + 2);
      out += text.slice(i, end);
      i = end;
      continue;
    }
    const next = text[i + 1] ?? '';
    if (text[i] !== '$') {
      out += text[i];
      i++;
    } else if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const close = text.indexOf('}', i + 2);
      const name = close < 0 ? '' : text.slice(i + 2, close);
      if (close < 0) issues.push({ offset: i, message: 'unterminated "${" (write "$$" for a literal "$")' });
      else if (!NAME.test(name))
        issues.push({ offset: i, message: `invalid environment variable name "${name}"` });
      else substitute(name, i);
      i = close < 0 ? text.length : close + 1;
    } else if (NAME_START.test(next)) {
      let end = i + 2;
      while (end < text.length && NAME_CHAR.test(text[end] ?? '')) end++;
      substitute(text.slice(i + 1, end), i);
      i = end;
    } else {
      // `$` before anything else stays as is, like Go's os.Expand: regex anchors (`^prod$`).
      out += '$';
      i++;
    }
  }
  return { value: out, used, issues };
}

/** 1-based line and column of `offset` inside a (possibly multi-line) string. */
export function positionIn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastNewline = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastNewline };
}

// A plain scalar that was `${QPS}` reads as the number the exporter would have parsed from
// the expanded text; quoted scalars stay strings.
function retype(node: Scalar, expanded: string): unknown {
  if (node.type !== 'PLAIN') return expanded;
  if (/^(|~|null|Null|NULL)$/.test(expanded.trim())) return null;
  try {
    const typed: unknown = parse(expanded);
    return typeof typed === 'number' || typeof typed === 'boolean' ? typed : expanded;
  } catch {
    return expanded;
  }
}

export interface DocumentExpansion {
  readonly problems: ConfigProblem[];
  /** Paths whose value came (partly) from the environment, with the values used. */
  readonly expanded: { path: ConfigPath; used: ReadonlyMap<string, string> }[];
  /** Paths where expansion failed: later problems there would only repeat the cause. */
  readonly failed: ConfigPath[];
  /** Offline: paths holding a placeholder for an unset variable, with the variables' names. */
  readonly placeholders: { path: ConfigPath; names: readonly string[] }[];
}

function expandScalar(
  node: Scalar,
  path: ConfigPath,
  at: 'key' | 'value',
  env: NodeJS.ProcessEnv,
  out: DocumentExpansion,
  options: ExpandOptions,
): void {
  if (typeof node.value !== 'string' || !node.value.includes('$')) return;
  const original = node.value;
  const result = expandEnv(original, env, options);
  const offline = options.placeholders === true;
  for (const issue of result.issues) {
    const inValue = positionIn(original, issue.offset);
    const problem = offline && issue.unset !== undefined ? warning : error;
    out.problems.push({
      ...problem(path, issue.message),
      at,
      valueLine: inValue.line,
      valueColumn: inValue.column,
    });
  }
  const unset = result.issues.flatMap((issue) => (issue.unset === undefined ? [] : [issue.unset]));
  if (offline && unset.length === result.issues.length && unset.length > 0)
    out.placeholders.push({ path, names: unset });
  else if (result.issues.length > 0) out.failed.push(path);
  if (result.used.size > 0) out.expanded.push({ path, used: result.used });
  if (result.value !== original) node.value = retype(node, result.value);
}

function walk(
  node: Node | null | undefined,
  path: ConfigPath,
  env: NodeJS.ProcessEnv,
  out: DocumentExpansion,
  options: ExpandOptions,
): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key))
        expandScalar(pair.key, [...path, String(pair.key.value)], 'key', env, out, options);
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      walk(pair.value as Node | null, [...path, key], env, out, options);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => walk(item as Node | null, [...path, index], env, out, options));
  } else if (isScalar(node)) {
    expandScalar(node, path, 'value', env, out, options);
  }
}

/** Expand every scalar (keys included) of `doc` in place. Aliases share their anchor's node. */
export function expandDocument(
  doc: Document,
  env: NodeJS.ProcessEnv,
  options: ExpandOptions = {},
): DocumentExpansion {
  const out: DocumentExpansion = { problems: [], expanded: [], failed: [], placeholders: [] };
  walk(doc.contents, [], env, out, options);
  return out;
}
