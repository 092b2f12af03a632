// Map a problem's config path to a line:column of the original file, and format it.
import type { Document, LineCounter, Node, Pair } from 'yaml';
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { ConfigPath, Problem } from './problem.ts';
import { formatPath } from './problem.ts';

export interface ConfigProblem extends Problem {
  /** Point at the map key instead of its value (unknown keys); default: the value. */
  readonly at?: 'key' | 'value';
  /** 1-based position inside the scalar's value (a template error, a `$VAR`). */
  readonly valueLine?: number;
  readonly valueColumn?: number;
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

interface Found {
  readonly node: Node | undefined;
  readonly key: Node | undefined;
}

function resolve(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function pairFor(map: { items: Pair[] }, step: string | number): Pair | undefined {
  return map.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === String(step));
}

/** The deepest node along `path`, with the key node of the last map step it took. */
function find(doc: Document, path: ConfigPath): Found {
  let node = resolve(doc, doc.contents);
  let found: Found = { node: doc.contents ?? undefined, key: undefined };
  for (const step of path) {
    if (isMap(node)) {
      const pair = pairFor(node, step);
      // A missing key (`is required`) is reported where its map is named.
      if (!pair) return { node: undefined, key: found.key ?? found.node };
      found = { node: (pair.value as Node | null) ?? undefined, key: pair.key as Node };
      node = resolve(doc, pair.value);
    } else if (isSeq(node) && typeof step === 'number' && node.items[step] !== undefined) {
      found = { node: node.items[step] as Node, key: undefined };
      node = resolve(doc, node.items[step]);
    } else {
      return found;
    }
  }
  return found;
}

function isSimpleOneLineScalar(node: Node | undefined, text: string): boolean {
  if (!isScalar(node) || !node.range || typeof node.source !== 'string') return false;
  const raw = text.slice(node.range[0], node.range[1]);
  if (raw.includes('\n')) return false;
  if (node.type === 'PLAIN') return raw === node.source;
  if (node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE') return raw.slice(1, -1) === node.source;
  return false;
}

export function locate(doc: Document, lines: LineCounter, text: string, problem: ConfigProblem): Position {
  const { node, key } = find(doc, problem.path);
  const target = problem.at === 'key' && key ? key : (node ?? key);
  const offset = target?.range?.[0] ?? 0;
  const { line, col } = lines.linePos(offset);
  if (problem.valueLine === undefined || problem.valueColumn === undefined) return { line, column: col };
  return inScalar(
    target,
    text,
    { line, column: col },
    { line: problem.valueLine, column: problem.valueColumn },
  );
}

// Exact only where the file holds the value verbatim: a one-line plain or quoted scalar
// without escapes, or a `|` block (each value line is a file line after the indentation).
function inScalar(node: Node | undefined, text: string, start: Position, inValue: Position): Position {
  if (!isScalar(node) || !node.range) return start;
  if (inValue.line === 1 && isSimpleOneLineScalar(node, text)) {
    const quote = node.type === 'PLAIN' ? 0 : 1;
    return { line: start.line, column: start.column + quote + inValue.column - 1 };
  }
  if (node.type !== 'BLOCK_LITERAL') return start;
  const contentLines = text.slice(node.range[0], node.range[1]).split('\n').slice(1);
  const indents = contentLines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length);
  if (indents.length === 0 || inValue.line > contentLines.length) return start;
  return { line: start.line + inValue.line, column: Math.min(...indents) + inValue.column };
}

export function formatProblem(fileName: string, position: Position, problem: Problem): string {
  const path = formatPath(problem.path);
  const where = `${fileName}:${position.line}:${position.column}`;
  return path === '' ? `${where} ${problem.message}` : `${where} ${path}: ${problem.message}`;
}
