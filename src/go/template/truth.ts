// Go's template truthiness (text/template isTrue).
import { GoDuration, GoFloat, GoMap, GoNilPointer } from './value.ts';
import type { GoValue } from './value.ts';

/** Empty strings, zero numbers, nil, empty maps and lists are false; structs and times true. */
export function isTrue(v: GoValue): boolean {
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  // A bigint int is outside the safe range (../int64.ts), so never zero.
  if (typeof v === 'bigint') return true;
  if (v === null || v === undefined) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof GoFloat) return v.value !== 0;
  if (v instanceof GoMap) {
    for (const _ in v.entries) return true;
    return false;
  }
  if (v instanceof GoDuration) return v.nanos !== 0n;
  return !(v instanceof GoNilPointer);
}
