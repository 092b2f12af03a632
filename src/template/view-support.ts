// Building blocks of the Go-field event view: string maps that remember being nil, per-event
// caches, and field-definition helpers.
import type { NilMarker } from '../go/json.ts';
import { GoMap, GoNilPointer, GoStruct, type FieldDef, type GoValue, type StructType } from '../go/template/value.ts';

/** A map[string]string; `isNil` when Go would hold a nil map (prints `map[]`, encodes `null`). */
export class StringMap extends GoMap implements NilMarker {
  constructor(
    entries: Readonly<Record<string, string>>,
    readonly isNil: boolean,
  ) {
    super(entries, '');
  }
}

const EMPTY_RECORD: Readonly<Record<string, string>> = Object.freeze({});
export const NIL_STRING_MAP = new StringMap(EMPTY_RECORD, true);

export function stringMap(entries: Readonly<Record<string, string>> | undefined | null): StringMap {
  if (entries === undefined || entries === null) return NIL_STRING_MAP;
  return new StringMap(entries, false);
}

/** A WeakMap-backed per-object cache, so several templates over one event convert once. */
export function cached<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>();
  return (key: K): V => {
    let v = cache.get(key);
    if (v === undefined) {
      v = compute(key);
      cache.set(key, v);
    }
    return v;
  };
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function int(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : 0;
}

export function field(get: (source: unknown) => GoValue): FieldDef {
  return { get };
}

/** A struct-valued field: `sourceOf` gives the nested backing value (null for a nil pointer). */
export function structField(struct: StructType, sourceOf: (source: unknown) => unknown): FieldDef {
  const nilPointer = new GoNilPointer('*' + struct.name);
  return {
    struct,
    sourceOf,
    get: (source) => {
      const inner = sourceOf(source);
      return inner === null || inner === undefined ? nilPointer : new GoStruct(struct, inner);
    },
  };
}

export function structType(
  name: string,
  fields: Readonly<Record<string, FieldDef>>,
  toJson: (source: unknown, escapeHtml: boolean) => string,
): StructType {
  return { name, fields: new Map(Object.entries(fields)), toJson };
}
