import { parseAllDocuments } from 'yaml';
import { MalformedEventError } from './errors.ts';
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A watch line `{"type": "ADDED", "object": {...}}` carries its Event under `object`. */
function unwrap(value: unknown): unknown {
  if (isObject(value) && typeof value['type'] === 'string' && isObject(value['object']) && !('metadata' in value)) {
    return value['object'];
  }
  return value;
}

function itemsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isObject(value) && Array.isArray(value['items'])) return value['items'];
  return [value];
}

function collect(items: unknown[], position: (index: number) => Omit<EventReadError, 'message'>): ReadEventsResult {
  const events: RawEvent[] = [];
  const errors: EventReadError[] = [];
  items.forEach((item, index) => {
    try {
      events.push(normalizeEvent(unwrap(item)));
    } catch (err) {
      if (!(err instanceof MalformedEventError)) throw err;
      errors.push({ ...position(index), message: err.message });
    }
  });
  return { events, errors };
}

function readNdjson(text: string): ReadEventsResult {
  const events: RawEvent[] = [];
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
    events.push(...result.events);
    errors.push(...result.errors);
  });
  return { events, errors };
}

function readYaml(text: string): ReadEventsResult {
  const items: unknown[] = [];
  for (const doc of parseAllDocuments(text)) {
    if ('errors' in doc && doc.errors.length > 0) {
      return { events: [], errors: [{ message: `invalid YAML: ${doc.errors[0]?.message ?? 'parse error'}` }] };
    }
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) items.push(...itemsOf(value));
  }
  return collect(items, (index) => ({ item: index }));
}

/**
 * Reads events from text holding one Event, a List (`kubectl get events -o json`), a JSON array,
 * NDJSON of Events or watch lines, or YAML of the same. Bad items are reported, never fatal.
 */
export function readEvents(text: string): ReadEventsResult {
  const trimmed = text.trim();
  if (trimmed === '') return { events: [], errors: [] };
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
