// Template values as JSON-ready JS values, for typedLayout leaves that are exactly one action:
// maps become objects, times their JSON text (null when unset), floats numbers, structs their
// Go JSON.
import { intFromBigInt } from '../go/int64.ts';
import { timeJson } from '../go/time/time.ts';
import { GoDuration, GoFloat, GoMap, GoStruct, GoTime, type GoValue } from '../go/template/value.ts';

export function toJsonReady(v: GoValue): unknown {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'bigint': // an int beyond 2^53: goJsonStringify writes its exact digits
    case 'boolean':
      return v;
  }
  if (Array.isArray(v)) return v.map((e: GoValue) => toJsonReady(e));
  if (v instanceof GoFloat) return Number.isFinite(v.value) ? v.value : null;
  if (v instanceof GoMap) {
    if ((v as GoMap & { isNil?: boolean }).isNil === true) return null;
    return Object.fromEntries(v.sortedKeys().map((k) => [k, toJsonReady(v.entries[k])]));
  }
  if (v instanceof GoTime) return timeJson(v);
  if (v instanceof GoDuration) return intFromBigInt(v.nanos);
  if (v instanceof GoStruct) return JSON.parse(v.type.toJson(v.source, false)) as unknown;
  return null;
}
