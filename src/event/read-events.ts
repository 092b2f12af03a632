import { parseAllDocuments } from 'yaml';
import { MalformedEventError } from './errors.ts';
import type { ChangeType, EventChange } from '../sources/types.ts';
import type { RawEvent } from './event.ts';
import { normalizeEvent } from './normalize.ts';

export interface EventReadError {
  /** 1-based line of the NDJSON input, or the item index in a list (0-based) when `item` is set. */
  readonly line?: number;
  readonly item?: number;
  readonly message: string;
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

function readNdjson(text: string): ReadChangesResult {
  const changes: EventChange[] = [];
  const errors: EventReadError[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      errors.push({ line: index + 1, message: `invalid JSON: ${(err as Error).message}` });
      return;
    }
    const result = collect(itemsOf(value), () => ({ line: index + 1 }));
    changes.push(...result.changes);
    errors.push(...result.errors);
  });
  return { changes, errors };
}

function readYaml(text: string): ReadChangesResult {
  const items: unknown[] = [];
  for (const doc of parseAllDocuments(text)) {
    if ('errors' in doc && doc.errors.length > 0) {
      return {
        changes: [],
        errors: [{ message: `invalid YAML: ${doc.errors[0]?.message ?? 'parse error'}` }],
      };
    }
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) items.push(...itemsOf(value));
  }
  return collect(items, (index) => ({ item: index }));
}

/**
 * Reads changes from text holding one Event, a List (`kubectl get events -o json`), a JSON array,
 * NDJSON of Events or watch lines, or YAML of the same. Bad items are reported, never fatal.
 */
export function readChanges(text: string): ReadChangesResult {
  const trimmed = text.trim();
  if (trimmed === '') return { changes: [], errors: [] };
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return collect(itemsOf(JSON.parse(trimmed)), (index) => ({ item: index }));
    } catch (err) {
      if (err instanceof SyntaxError) return readNdjson(trimmed);
      throw err;
    }
  }
  return readYaml(trimmed);
}

/** The Events of `readChanges`, each once, for commands that look at a snapshot. */
export function readEvents(text: string): ReadEventsResult {
  const { changes, errors } = readChanges(text);
  return { events: changes.filter((c) => c.type !== 'DELETED').map((c) => c.event), errors };
}
