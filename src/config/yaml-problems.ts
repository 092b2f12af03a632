// YAML syntax problems, placed where the problem starts: an unclosed quote or flow collection
// is reported where it opens, not where the parser gave up (often the end of the file).
import type { Document, LineCounter, Node, YAMLError } from 'yaml';
import { isCollection, isScalar, isSeq, visit } from 'yaml';
import type { PlacedProblem } from './errors.ts';
import { formatProblem } from './positions.ts';
import { error } from './problem.ts';

export interface YamlSource {
  readonly fileName: string;
  readonly text: string;
  readonly doc: Document;
  readonly lines: LineCounter;
}

export function yamlProblem(source: YamlSource, offset: number, message: string): PlacedProblem {
  const { line, col } = source.lines.linePos(offset);
  const lineText = source.text.split('\n')[line - 1] ?? '';
  const hint = lineText.includes('{{') ? ' (a value holding a template must be quoted)' : '';
  const problem = error([], `invalid YAML: ${message}${hint}`);
  return {
    ...problem,
    fileName: source.fileName,
    line,
    column: col,
    text: formatProblem(source.fileName, { line, column: col }, problem),
  };
}

interface Opening {
  readonly offset: number;
  readonly what: string;
}

function opening(node: Node): string | undefined {
  if (isScalar(node)) {
    if (node.type === 'QUOTE_DOUBLE') return 'the "double-quoted" value that starts here is never closed';
    if (node.type === 'QUOTE_SINGLE') return "the 'single-quoted' value that starts here is never closed";
    return undefined;
  }
  if (isCollection(node) && node.flow === true) {
    return isSeq(node)
      ? 'the flow sequence [ that starts here is never closed (missing ])'
      : 'the flow map { that starts here is never closed (missing })';
  }
  return undefined;
}

/** The innermost quoted scalar or flow collection that runs up to `offset` without closing. */
function unclosedAt(doc: Document, offset: number): Opening | undefined {
  let found: Opening | undefined;
  visit(doc, {
    Node(_, node) {
      const start = node.range?.[0];
      const end = node.range?.[1];
      if (start === undefined || end === undefined || start >= offset || end < offset) return;
      const what = opening(node);
      if (what !== undefined && (found === undefined || start > found.offset))
        found = { offset: start, what };
    },
  });
  return found;
}

function isUnclosed(err: YAMLError): boolean {
  return err.code === 'MISSING_CHAR' || (err.code === 'BAD_INDENT' && err.message.startsWith('Flow'));
}

// `message: {{ .Message }}` is valid YAML (a map keyed by a map) that no config means:
// reported with the YAML errors, as the exporter's decoder rejects it.
export function yamlProblems(source: YamlSource): PlacedProblem[] {
  const problems = source.doc.errors.map((err) => {
    const unclosed = isUnclosed(err) ? unclosedAt(source.doc, err.pos[0]) : undefined;
    if (unclosed !== undefined) return yamlProblem(source, unclosed.offset, unclosed.what);
    return yamlProblem(source, err.pos[0], err.message.split('\n')[0] ?? '');
  });
  visit(source.doc, {
    Pair(_, pair) {
      if (isCollection(pair.key))
        problems.push(yamlProblem(source, pair.key.range?.[0] ?? 0, 'a map key must be a scalar'));
    },
  });
  return problems.filter((p, i) => problems.findIndex((q) => q.text === p.text) === i);
}
