import { parseAllDocuments } from 'yaml';

/**
 * The input as a whole cannot be read (a truncated JSON document, text that is neither JSON nor
 * YAML). One error for the input, not one per line: the caller adds the file name.
 */
export class InputFormatError extends Error {
  readonly code = 'E_INPUT_FORMAT';
  constructor(message: string) {
    super(message);
    this.name = 'InputFormatError';
  }
}

/** A JSON input: one document (an Event, a List, an array), or NDJSON lines each parsed alone. */
export type JsonInput =
  | { readonly kind: 'document'; readonly value: unknown }
  | { readonly kind: 'lines'; readonly lines: readonly JsonLine[] };

export type JsonLine =
  { readonly line: number; readonly value: unknown } | { readonly line: number; readonly error: string };

/** 1-based line and column of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** How many objects and arrays are open at the end of `text` (strings skipped). */
function openBrackets(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return depth;
}

function describeJsonError(text: string, err: SyntaxError): string {
  const match = / at position (\d+)/.exec(err.message);
  const end = text.trimEnd().length;
  const offset = match === null ? end : Number(match[1]);
  const reason = err.message.replace(/ in JSON at position \d+.*$/s, '').replace(/ at position \d+.*$/s, '');
  if (offset >= end) {
    const { line, column } = lineColumn(text, end);
    const open = openBrackets(text);
    const unclosed = open > 0 ? ` with ${open} bracket${open === 1 ? '' : 's'} still open` : '';
    return `the JSON document ends early, at line ${line}, column ${column}${unclosed}: it looks truncated`;
  }
  const { line, column } = lineColumn(text, offset);
  return `invalid JSON at line ${line}, column ${column}: ${reason}`;
}

/** A line that fails where it ends, with no newline after it, is the end of a file cut short. */
function lineError(line: string, err: Error, last: boolean): string {
  const match = / at position (\d+)/.exec(err.message);
  const atEnd = match === null || Number(match[1]) >= line.length;
  if (last && atEnd) return `the last line ends early, at column ${line.length + 1}: it looks truncated`;
  return `invalid JSON: ${err.message}`;
}

function parseLines(text: string): JsonLine[] {
  const lines: JsonLine[] = [];
  const raws = text.split('\n');
  raws.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    try {
      lines.push({ line: index + 1, value: JSON.parse(line) });
    } catch (err) {
      lines.push({ line: index + 1, error: lineError(line, err as Error, index === raws.length - 1) });
    }
  });
  return lines;
}

/**
 * Reads text starting with `{` or `[`. When the whole text is not one document, it is NDJSON only
 * if its first line is a document by itself; otherwise it is one broken document (a pretty-printed
 * `kubectl get -o json` cut short), reported once with where it ends.
 */
export function parseJsonInput(text: string): JsonInput {
  try {
    return { kind: 'document', value: JSON.parse(text) };
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    const first = text.trimStart().split('\n', 1)[0] ?? '';
    try {
      JSON.parse(first);
    } catch {
      throw new InputFormatError(describeJsonError(text, err));
    }
    return { kind: 'lines', lines: parseLines(text) };
  }
}

function isContainer(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

/** Reads YAML documents; text that is not YAML, or YAML holding only plain values, is refused. */
export function parseYamlInput(text: string, what: 'events' | 'objects' = 'events'): unknown[] {
  const values: unknown[] = [];
  for (const doc of parseAllDocuments(text)) {
    const [error] = doc.errors;
    if (error !== undefined) {
      const at = error.linePos?.[0];
      const where = at === undefined ? '' : ` at line ${at.line}, column ${at.col}`;
      const message = error.message.split('\n', 1)[0] ?? '';
      throw new InputFormatError(
        `neither JSON nor YAML: invalid YAML${where}: ${message.replace(/ at line \d+.*$/, '')}`,
      );
    }
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) values.push(value);
  }
  if (values.length > 0 && !values.some(isContainer)) {
    const start = text.trim().split('\n', 1)[0] ?? '';
    const shown = start.length > 40 ? `${start.slice(0, 40)}…` : start;
    throw new InputFormatError(
      `neither JSON nor YAML ${what}: the input is plain text ("${shown}"), expected Kubernetes ${what === 'events' ? 'Event objects' : 'objects'}`,
    );
  }
  return values;
}
