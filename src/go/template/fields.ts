// Field access `.A.B`: resolved at compile time on a known struct type (one composed getter),
// otherwise looked up at run time on maps and structs with Go's errors.
import { TIME_METHODS } from '../time/methods.ts';
import { GoMap, GoNilPointer, GoStruct, GoTime } from './value.ts';
import type { FieldDef, GoValue, StructType } from './value.ts';
import { goTypeName } from './print.ts';
import type { Thrower } from './exec-context.ts';
import { editDistance } from '../../util/edit-distance.ts';

/** One run-time step of a field chain (Go's evalField). */
export type FieldStep = (receiver: GoValue, fail: Thrower) => GoValue;

/** How Go names the receiver's type in errors: values out of maps and lists are interface {}. */
const typeName = (v: GoValue, isInterface: boolean): string => (isInterface ? 'interface {}' : goTypeName(v));

export function dynamicStep(name: string, hasArgs: boolean, receiverIsInterface: boolean): FieldStep {
  return (receiver, fail) => {
    if (receiver instanceof GoMap) {
      if (hasArgs) fail(`${name} is not a method but has arguments`);
      return receiver.get(name);
    }
    if (receiver === undefined) return undefined;
    if (receiver === null) return fail(`nil pointer evaluating ${typeName(receiver, true)}.${name}`);
    if (receiver instanceof GoNilPointer) return fail(`nil pointer evaluating ${receiver.typeName}.${name}`);
    if (receiver instanceof GoStruct) {
      const def = receiver.type.fields.get(name);
      if (def !== undefined) {
        if (hasArgs) fail(`${name} has arguments but cannot be invoked as function`);
        return def.get(receiver.source);
      }
    }
    if (receiver instanceof GoTime) {
      const method = TIME_METHODS.get(name);
      if (method !== undefined) {
        if (hasArgs) fail(`wrong number of args for ${name}: want 0 got 1`);
        return method(receiver);
      }
    }
    return fail(`can't evaluate field ${name} in type ${typeName(receiver, receiverIsInterface)}`);
  };
}

/** Composes the steps of `.A.B.C` into one function of the first receiver. */
export function chainSteps(
  names: readonly string[],
  hasArgs: boolean,
  firstIsInterface: boolean,
  fail: Thrower,
): (r: GoValue) => GoValue {
  const steps = names.map((n, i) =>
    dynamicStep(n, hasArgs && i === names.length - 1, i === 0 ? firstIsInterface : true),
  );
  if (steps.length === 1) {
    const [s0] = steps as [FieldStep];
    const name = names[0] as string;
    if (!hasArgs) return (r) => (r instanceof GoMap ? r.get(name) : s0(r, fail));
    return (r) => s0(r, fail);
  }
  if (steps.length === 2 && !hasArgs) {
    const [s0, s1] = steps as [FieldStep, FieldStep];
    const [n0, n1] = names as [string, string];
    return (r) => {
      const a = r instanceof GoMap ? r.get(n0) : s0(r, fail);
      return a instanceof GoMap ? a.get(n1) : s1(a, fail);
    };
  }
  return (r) => {
    let v = r;
    for (const s of steps) v = s(v, fail);
    return v;
  };
}

export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 2)) ? best : undefined;
}

export interface StaticChain {
  /** Reads the resolved prefix from the dot (a GoStruct of the static type). */
  readonly read: (dot: GoValue, fail: Thrower) => GoValue;
  /** Names left for run-time lookup (after a non-struct field such as a map). */
  readonly rest: readonly string[];
  /** The static type of the value read, when it is a struct. */
  readonly type: StructType | undefined;
}

/** A source reader for one struct-typed hop. */
function hopSource(def: FieldDef): (source: unknown) => unknown {
  if (def.sourceOf !== undefined) return def.sourceOf;
  return (source) => {
    const v = def.get(source);
    return v instanceof GoStruct ? v.source : v;
  };
}

/**
 * Resolves as much of `names` as the static type allows. Unknown fields are reported through
 * `unknown(index, typeName, hint)`, which throws a compile error.
 */
export function resolveStatic(
  type: StructType,
  names: readonly string[],
  unknown: (index: number, typeName: string, hint: string | undefined) => never,
): StaticChain {
  let cur = type;
  const hops: ((s: unknown) => unknown)[] = [];
  const nilMessages: string[] = [];
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const def = cur.fields.get(name);
    if (def === undefined) return unknown(i, cur.name, nearestName(name, cur.fields.keys()));
    const isLast = i === names.length - 1;
    if (def.struct !== undefined && !isLast) {
      hops.push(hopSource(def));
      nilMessages.push(`nil pointer evaluating *${def.struct.name}.${names[i + 1]}`);
      cur = def.struct;
      continue;
    }
    return {
      read: composeHops(hops, nilMessages, def.get),
      rest: names.slice(i + 1),
      type: isLast ? def.struct : undefined,
    };
  }
  return unknown(0, type.name, undefined); // unreachable: names is never empty
}

const isNilSource = (v: unknown): boolean => v === null || v === undefined || v instanceof GoNilPointer;

/** One closure per chain shape, so the common `.A` and `.A.B` cost a single call. */
function composeHops(
  hops: ((s: unknown) => unknown)[],
  nilMessages: string[],
  get: (s: unknown) => GoValue,
): (dot: GoValue, fail: Thrower) => GoValue {
  if (hops.length === 0) return (dot) => get((dot as GoStruct).source);
  if (hops.length === 1) {
    const [h0] = hops as [(s: unknown) => unknown];
    const msg = nilMessages[0] as string;
    return (dot, fail) => {
      const inner = h0((dot as GoStruct).source);
      return isNilSource(inner) ? fail(msg) : get(inner);
    };
  }
  return (dot, fail) => {
    let cur: unknown = (dot as GoStruct).source;
    for (let i = 0; i < hops.length; i++) {
      cur = (hops[i] as (s: unknown) => unknown)(cur);
      if (isNilSource(cur)) fail(nilMessages[i] as string);
    }
    return get(cur);
  };
}
