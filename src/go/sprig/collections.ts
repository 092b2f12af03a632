// sprig's list, dict, default/flow and type functions. Go map iteration is random, so `keys`
// and `values` are given in sorted key order (one of the orders Go may produce, and stable).
// Functions returning interface{} give undefined for a nil result, as Go prints `<no value>`.
import { argBool, argMap, argString, empty, fn, goTypeName, strslice, strval } from './support.ts';
import {
  GoDuration,
  GoFloat,
  GoMap,
  GoNilPointer,
  GoStruct,
  GoTime,
  type GoValue,
  type TemplateFunction,
} from '../template/value.ts';

const nilToNoValue = (v: GoValue): GoValue => (v === null ? undefined : v);

export function newMap(): Record<string, GoValue> {
  return Object.create(null) as Record<string, GoValue>;
}

function dict(...args: GoValue[]): GoMap {
  const out = newMap();
  for (let i = 0; i < args.length; i += 2)
    out[strval(args[i] as GoValue)] = i + 1 < args.length ? (args[i + 1] as GoValue) : '';
  return new GoMap(out);
}

function pick(map: GoMap, keys: readonly GoValue[], keep: boolean): GoMap {
  const wanted = new Set(keys.map((k) => argString(k)));
  const out = newMap();
  for (const key of map.sortedKeys()) if (wanted.has(key) === keep) out[key] = map.entries[key] as GoValue;
  return new GoMap(out);
}

/** reflect.DeepEqual over template values. */
export function deepEqual(a: GoValue, b: GoValue): boolean {
  if (a === b) return true;
  if (goTypeName(a) !== goTypeName(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v: GoValue, i: number) => deepEqual(v, b[i] as GoValue));
  if (a instanceof GoMap && b instanceof GoMap) {
    const keys = a.sortedKeys();
    return keys.length === b.size && keys.every((k) => b.has(k) && deepEqual(a.get(k), b.get(k)));
  }
  if (a instanceof GoFloat && b instanceof GoFloat) return a.value === b.value;
  if (a instanceof GoTime && b instanceof GoTime)
    return a.epochMs === b.epochMs && a.extraNanos === b.extraNanos && a.offsetSeconds === b.offsetSeconds;
  if (a instanceof GoDuration && b instanceof GoDuration) return a.nanos === b.nanos;
  if (a instanceof GoStruct && b instanceof GoStruct) return a.type === b.type && a.source === b.source;
  return false;
}

function asList(v: GoValue, op: string): readonly GoValue[] {
  if (Array.isArray(v)) return v;
  throw new Error(`Cannot ${op} on type ${goTypeName(v)}`);
}

function kindOf(v: GoValue): string {
  if (v === null || v === undefined) return 'invalid';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
    case 'bigint':
      return 'int';
    case 'boolean':
      return 'bool';
  }
  if (Array.isArray(v)) return 'slice';
  if (v instanceof GoFloat) return 'float64';
  if (v instanceof GoMap) return 'map';
  if (v instanceof GoStruct) return v.type.name.startsWith('*') ? 'ptr' : 'struct';
  if (v instanceof GoTime) return 'struct';
  if (v instanceof GoDuration) return 'int64';
  if (v instanceof GoNilPointer) return 'ptr';
  return 'func';
}

function uniq(list: readonly GoValue[]): GoValue[] {
  const out: GoValue[] = [];
  for (const v of list) if (!out.some((o) => deepEqual(o, v))) out.push(v);
  return out;
}

function untilStep(start: number, stop: number, step: number): number[] {
  const out: number[] = [];
  if (stop < start) {
    if (step >= 0) return out;
    for (let i = start; i > stop; i += step) out.push(i);
    return out;
  }
  if (step <= 0) return out;
  for (let i = start; i < stop; i += step) out.push(i);
  return out;
}

export const COLLECTION_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  list: fn(0, (...args) => args, true),
  tuple: fn(0, (...args) => args, true),
  dict: fn(0, dict, true),
  get: fn(
    2,
    (m, k) => {
      const map = argMap(m);
      const key = argString(k);
      return map.has(key) ? nilToNoValue(map.get(key)) : '';
    },
    false,
    ['any', 'string'],
  ),
  hasKey: fn(2, (m, k) => argMap(m).has(argString(k)), false, ['any', 'string']),
  keys: fn(0, (...maps) => maps.flatMap((m) => argMap(m).sortedKeys()), true),
  values: fn(1, (m) => {
    const map = argMap(m);
    return map.sortedKeys().map((k) => map.entries[k] as GoValue);
  }),
  pick: fn(1, (m, ...keys) => pick(argMap(m), keys, true), true, ['any', 'string']),
  omit: fn(1, (m, ...keys) => pick(argMap(m), keys, false), true, ['any', 'string']),
  pluck: fn(
    1,
    (k, ...maps) => {
      const key = argString(k);
      return maps
        .map(argMap)
        .filter((m) => m.has(key))
        .map((m) => m.get(key));
    },
    true,
    ['string', 'any'],
  ),
  first: fn(1, (l) => nilToNoValue(asList(l, 'first')[0] ?? null)),
  last: fn(1, (l) => {
    const list = asList(l, 'last');
    return nilToNoValue(list[list.length - 1] ?? null);
  }),
  rest: fn(1, (l) => asList(l, 'rest').slice(1)),
  initial: fn(1, (l) => asList(l, 'initial').slice(0, -1)),
  reverse: fn(1, (l) => [...asList(l, 'reverse')].reverse()),
  uniq: fn(1, (l) => uniq(asList(l, 'uniq'))),
  compact: fn(1, (l) => asList(l, 'compact').filter((v) => !empty(v))),
  without: fn(
    1,
    (l, ...omit) => asList(l, 'without').filter((v) => !omit.some((o) => deepEqual(o, v))),
    true,
  ),
  has: fn(2, (needle, hay) =>
    hay === null || hay === undefined ? false : asList(hay, 'has').some((v) => deepEqual(v, needle)),
  ),
  append: fn(2, (l, v) => [...asList(l, 'push'), v]),
  push: fn(2, (l, v) => [...asList(l, 'push'), v]),
  prepend: fn(2, (l, v) => [v, ...asList(l, 'prepend')]),
  concat: fn(0, (...lists) => lists.flatMap((l) => asList(l, 'concat')), true),
  sortAlpha: fn(1, (l) => (Array.isArray(l) ? strslice(l).sort() : [strval(l)])),
  until: fn(
    1,
    (n) => {
      const count = Number(n);
      return untilStep(0, count, count < 0 ? -1 : 1);
    },
    false,
    ['int'],
  ),
  untilStep: fn(3, (a, b, c) => untilStep(Number(a), Number(b), Number(c)), false, ['int', 'int', 'int']),
  default: fn(
    1,
    (d, ...given) =>
      nilToNoValue(given.length === 0 || empty(given[0] as GoValue) ? d : (given[0] as GoValue)),
    true,
  ),
  empty: fn(1, (v) => empty(v)),
  coalesce: fn(0, (...args) => nilToNoValue(args.find((v) => !empty(v)) ?? null), true),
  all: fn(0, (...args) => args.every((v) => !empty(v)), true),
  any: fn(0, (...args) => args.some((v) => !empty(v)), true),
  ternary: fn(3, (vt, vf, v) => nilToNoValue(argBool(v) ? vt : vf), false, ['any', 'any', 'bool']),
  typeOf: fn(1, (v) => goTypeName(v)),
  kindOf: fn(1, (v) => kindOf(v)),
  kindIs: fn(2, (k, v) => argString(k) === kindOf(v), false, ['string', 'any']),
  typeIs: fn(2, (t, v) => argString(t) === goTypeName(v), false, ['string', 'any']),
  deepEqual: fn(2, (a, b) => deepEqual(a, b)),
  fail: fn(
    1,
    (msg) => {
      throw new Error(argString(msg));
    },
    false,
    ['string'],
  ),
};
