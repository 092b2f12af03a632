import { MalformedEventError } from './errors.ts';
import { type JsonLine, parseJsonInput, parseYamlInput } from './input-format.ts';
import type { ChangeType, EventChange } from '../sources/types.ts';
import type { RawEvent } from './event.ts';
import { normalizeEvent } from './normalize.ts';

export interface EventReadError {
  /** 1-based line of the NDJSON input, or the item index in a list (0-based) when `item` is set. */
  readonly line?: number;
  readonly item?: number;
  readonly message: string;
  /** Which input it came from ("--events file x.json"), so the report can name the file. */
  readonly source?: string;
}

export interface ReadEventsResult {
  readonly events: RawEvent[];
  readonly errors: EventReadError[];
}

export interface ReadChangesResult {
  /** Watch lines keep their type; plain Events read as ADDED. */
  readonly changes: EventChange[];
  readonly errors: EventReadError[];
}

const WATCH_TYPES: ReadonlySet<string> = new Set<ChangeType>(['ADDED', 'MODIFIED', 'DELETED']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A watch line `{"type": "ADDED", "object": {...}}` carries its Event under `object`. */
function unwrap(value: unknown): { type: ChangeType; object: unknown } {
  if (
    isObject(value) &&
    typeof value['type'] === 'string' &&
    isObject(value['object']) &&
    !('metadata' in value)
  ) {
    const type = WATCH_TYPES.has(value['type']) ? (value['type'] as ChangeType) : 'ADDED';
    return { type, object: value['object'] };
  }
  return { type: 'ADDED', object: value };
}

function itemsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isObject(value) && Array.isArray(value['items'])) return value['items'];
  return [value];
}

function collect(
  items: unknown[],
  position: (index: number) => Omit<EventReadError, 'message'>,
): ReadChangesResult {
  const changes: EventChange[] = [];
  const errors: EventReadError[] = [];
  items.forEach((item, index) => {
    try {
      const { type, object } = unwrap(item);
      changes.push({ type, event: normalizeEvent(object) });
    } catch (err) {
      if (!(err instanceof MalformedEventError)) throw err;
      errors.push({ ...position(index), message: err.message });
    }
  });
  return { changes, errors };
}

function readJsonLines(lines: readonly JsonLine[]): ReadChangesResult {
  const changes: EventChange[] = [];
  const errors: EventReadError[] = [];
  for (const entry of lines) {
    if ('error' in entry) {
      errors.push({ line: entry.line, message: entry.error });
      continue;
    }
    const result = collect(itemsOf(entry.value), () => ({ line: entry.line }));
    changes.push(...result.changes);
    errors.push(...result.errors);
  }
  return { changes, errors };
}

/**
 * Reads changes from text holding one Event, a List (`kubectl get events -o json`), a JSON array,
 * NDJSON of Events or watch lines, or YAML of the same. Bad items are reported, never fatal; an
 * input that cannot be read as a whole (truncated, not JSON nor YAML) throws `InputFormatError`.
 * An empty input gives no changes and no errors: the caller warns.
 */
export function readChanges(text: string): ReadChangesResult {
  const start = text.trimStart();
  if (start === '') return { changes: [], errors: [] };
  if (start.startsWith('{') || start.startsWith('[')) {
    const input = parseJsonInput(text);
    return input.kind === 'document'
      ? collect(itemsOf(input.value), (index) => ({ item: index }))
      : readJsonLines(input.lines);
  }
  const items = parseYamlInput(text).flatMap(itemsOf);
  return collect(items, (index) => ({ item: index }));
}

/** The Events of `readChanges`, each once, for commands that look at a snapshot. */
export function readEvents(text: string): ReadEventsResult {
  const { changes, errors } = readChanges(text);
  return { events: changes.filter((c) => c.type !== 'DELETED').map((c) => c.event), errors };
}
