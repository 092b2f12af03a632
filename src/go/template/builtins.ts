// Go's text/template builtin functions (Go 1.19 funcs.go) with Go's results and error texts.
// `and`, `or` and `call` also have special handling in the compiler (short-circuit, callee).
import { GO_PARAM_TYPE_NAMES, GoDuration, GoFloat, GoFuncValue, GoMap, GoNilPointer } from './value.ts';
import type { FunctionTable, GoParamType, GoValue, TemplateFunction } from './value.ts';
import { type GoInt, intFromBigInt, isGoInt } from '../int64.ts';
import { isTrue } from './truth.ts';
import { formatValue, goTypeName } from './print.ts';
import { sprint, sprintf, sprintln } from './printf.ts';
import { escapeHtml, escapeJs, queryEscape } from './escape.ts';

const fail = (message: string): never => {
  throw new Error(message);
};

/** reflect's indirectInterface: a nil interface becomes Go's invalid value. */
const unwrapNil = (v: GoValue): GoValue => (v === null ? undefined : v);

const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');

function indexArg(index: GoValue, cap: number): number {
  if (index === undefined) return fail('cannot index slice/array with nil');
  let x: number;
  if (typeof index === 'number') x = index;
  // A bigint int is beyond 2^53: out of range of any slice.
  else if (typeof index === 'bigint') return fail(`index out of range: ${index}`);
  else if (index instanceof GoDuration) x = Number(index.nanos);
  else return fail(`cannot index slice/array with type ${goTypeName(index)}`);
  if (x < 0 || x > cap) fail(`index out of range: ${x}`);
  return x;
}

function index(item: GoValue, ...indexes: GoValue[]): GoValue {
  let cur = unwrapNil(item);
  if (cur === undefined) return fail('index of untyped nil');
  for (const raw of indexes) {
    const idx = unwrapNil(raw);
    if (cur === null || cur === undefined || cur instanceof GoNilPointer) return fail('index of nil pointer');
    if (typeof cur === 'string' || Array.isArray(cur)) {
      const bytes: Buffer | null = typeof cur === 'string' ? Buffer.from(cur, 'utf8') : null;
      const len: number = bytes !== null ? bytes.length : (cur as readonly GoValue[]).length;
      const x = indexArg(idx, len);
      if (x === len) fail(`reflect: ${bytes !== null ? 'string' : 'slice'} index out of range`);
      cur = bytes !== null ? (bytes[x] as number) : (cur as readonly GoValue[])[x];
    } else if (cur instanceof GoMap) {
      if (idx === undefined) fail('value is nil; should be of type string');
      if (typeof idx !== 'string') fail(`value has type ${goTypeName(idx)}; should be string`);
      cur = cur.has(idx as string) ? cur.get(idx as string) : cur.zero;
    } else {
      fail(`can't index item of type ${goTypeName(cur)}`);
    }
  }
  return cur;
}

/**
 * An index argument Go passes to `slice` still typed interface{} (read out of a map or list):
 * unlike `index`, Go's `slice` does not unwrap it and rejects it.
 */
export class InterfaceArg {
  constructor(readonly value: GoValue) {}
}

function slice(item: GoValue, ...indexes: GoValue[]): GoValue {
  const v = unwrapNil(item);
  if (v === undefined) return fail('slice of untyped nil');
  if (indexes.length > 3) fail(`too many slice indexes: ${indexes.length}`);
  let len: number;
  if (typeof v === 'string') {
    if (indexes.length === 3) fail('cannot 3-index slice a string');
    len = utf8Length(v);
  } else if (Array.isArray(v)) len = v.length;
  else return fail(`can't slice item of type ${goTypeName(v)}`);
  const idx = [0, len, len];
  indexes.forEach((x, i) => {
    if (x instanceof InterfaceArg) fail('cannot index slice/array with type interface {}');
    idx[i] = indexArg(unwrapNil(x), len);
  });
  const [i = 0, j = len, k = len] = idx;
  if (i > j) fail(`invalid slice index: ${i} > ${j}`);
  if (indexes.length === 3 && j > k) fail(`invalid slice index: ${j} > ${k}`);
  if (typeof v === 'string') {
    return len === v.length ? v.slice(i, j) : Buffer.from(v, 'utf8').subarray(i, j).toString('utf8');
  }
  return (v as readonly GoValue[]).slice(i, j);
}

function length(item: GoValue): GoValue {
  if (item === undefined) return fail('reflect: call of reflect.Value.Type on zero Value');
  if (item === null || item instanceof GoNilPointer) return fail('len of nil pointer');
  if (typeof item === 'string') return utf8Length(item);
  if (Array.isArray(item)) return item.length;
  if (item instanceof GoMap) return item.size;
  return fail(`len of type ${goTypeName(item)}`);
}

// --- comparison ---
type Kind = 'invalid' | 'bool' | 'int' | 'float' | 'string';

function basicKind(v: GoValue): Kind {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number' || typeof v === 'bigint' || v instanceof GoDuration) return 'int';
  if (typeof v === 'string') return 'string';
  if (v instanceof GoFloat) return 'float';
  return 'invalid';
}

/** An int or float operand, exact for ints (a number and a bigint compare exactly in JS). */
const num = (v: GoValue): GoInt =>
  typeof v === 'number' || typeof v === 'bigint'
    ? v
    : v instanceof GoDuration
      ? intFromBigInt(v.nanos)
      : v instanceof GoFloat
        ? v.value
        : 0;

function valueKind(v: GoValue): string {
  if (v === undefined) return 'invalid';
  if (v === null) return 'interface';
  if (Array.isArray(v)) return 'slice';
  if (v instanceof GoMap) return 'map';
  if (v instanceof GoFuncValue) return 'func';
  if (v instanceof GoNilPointer) return 'ptr';
  return 'struct';
}

function eqNonBasic(a: GoValue, b: GoValue): boolean {
  const ka = valueKind(a);
  const kb = valueKind(b);
  if (ka !== kb && ka !== 'invalid' && kb !== 'invalid') {
    fail(`non-comparable types ${sprintf('%s', [a])}: ${goTypeName(a)}, ${goTypeName(b)}: ${formatValue(b)}`);
  }
  const nilA = a === undefined || a === null || a instanceof GoNilPointer;
  const nilB = b === undefined || b === null || b instanceof GoNilPointer;
  if (nilA || nilB) return nilA === nilB;
  if (kb === 'slice' || kb === 'map' || kb === 'func')
    fail(`non-comparable type ${sprintf('%s', [b])}: ${goTypeName(b)}`);
  return formatValue(a) === formatValue(b) && goTypeName(a) === goTypeName(b);
}

function eq(arg1: GoValue, ...rest: GoValue[]): GoValue {
  const a = unwrapNil(arg1);
  if (rest.length === 0) fail('missing argument for comparison');
  const k1 = basicKind(a);
  for (const raw of rest) {
    const b = unwrapNil(raw);
    const k2 = basicKind(b);
    let truth: boolean;
    if (k1 !== k2) {
      if (a !== undefined && b !== undefined) fail('incompatible types for comparison');
      truth = false;
    } else if (k1 === 'int' || k1 === 'float') truth = num(a) === num(b);
    else if (k1 === 'invalid') truth = eqNonBasic(a, b);
    else truth = a === b;
    if (truth) return true;
  }
  return false;
}

function lt(arg1: GoValue, arg2: GoValue): boolean {
  const a = unwrapNil(arg1);
  const b = unwrapNil(arg2);
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'invalid' || k2 === 'invalid') fail('invalid type for comparison');
  if (k1 !== k2) fail('incompatible types for comparison');
  if (k1 === 'bool') fail('invalid type for comparison');
  if (k1 === 'string') return (a as string) < (b as string);
  return num(a) < num(b);
}

const le = (a: GoValue, b: GoValue): boolean => lt(a, b) || (eq(a, b) as boolean);

// --- call ---
function prepareArg(v: GoValue, type: GoParamType): GoValue {
  const x = unwrapNil(v);
  if (type === 'any' || type === 'value') return x === undefined ? (type === 'any' ? null : undefined) : x;
  const goType = GO_PARAM_TYPE_NAMES[type];
  if (x === undefined)
    return type === 'map' || type === 'list' ? null : fail(`value is nil; should be of type ${goType}`);
  const ok =
    (type === 'string' && typeof x === 'string') ||
    (type === 'int' && isGoInt(x)) ||
    (type === 'bool' && typeof x === 'boolean') ||
    (type === 'float64' && x instanceof GoFloat) ||
    (type === 'map' && x instanceof GoMap) ||
    (type === 'list' && Array.isArray(x));
  if (!ok) fail(`value has type ${goTypeName(x)}; should be ${goType}`);
  return x;
}

function call(fnValue: GoValue, ...args: GoValue[]): GoValue {
  const fnv = unwrapNil(fnValue);
  if (fnv === undefined) return fail('call of nil');
  if (!(fnv instanceof GoFuncValue)) return fail(`non-function of type ${goTypeName(fnv)}`);
  const fn = fnv.fn;
  if (fn.variadic === true ? args.length < fn.arity : args.length !== fn.arity) {
    fail(
      `wrong number of args: got ${args.length} want ${fn.variadic === true ? 'at least ' : ''}${fn.arity}`,
    );
  }
  const argv = args.map((a, i) => {
    const type = fn.params?.[Math.min(i, fn.variadic === true ? fn.arity : i)] ?? 'any';
    try {
      return prepareArg(a, type);
    } catch (e) {
      return fail(`arg ${i}: ${(e as Error).message}`);
    }
  });
  return fn.call(...argv);
}

// Builtins whose arguments print the way html/js/urlquery do (printableValue: nil is <no value>).
function evalArgs(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === null || a === undefined ? '<no value>' : a)));
}

const V: GoParamType = 'value';
const fn = (
  call: (...args: GoValue[]) => GoValue,
  arity: number,
  params: GoParamType[],
  variadic = false,
): TemplateFunction => ({ call, arity, params, variadic });

export const BUILTINS: FunctionTable = new Map<string, TemplateFunction>([
  ['and', fn((...a) => a[a.length - 1], 1, [V, V], true)],
  ['or', fn((...a) => a[a.length - 1], 1, [V, V], true)],
  ['not', fn((a) => !isTrue(a), 1, [V])],
  ['len', fn(length, 1, [V])],
  ['index', fn(index, 1, [V, V], true)],
  ['slice', fn(slice, 1, [V, V], true)],
  ['print', fn((...a) => sprint(a), 0, ['any'], true)],
  ['printf', fn((f, ...a) => sprintf(f as string, a), 1, ['string', 'any'], true)],
  ['println', fn((...a) => sprintln(a), 0, ['any'], true)],
  ['eq', fn(eq, 1, [V, V], true)],
  ['ne', fn((a, b) => !eq(a, b), 2, [V, V])],
  ['lt', fn((a, b) => lt(a, b), 2, [V, V])],
  ['le', fn((a, b) => le(a, b), 2, [V, V])],
  ['gt', fn((a, b) => !le(a, b), 2, [V, V])],
  ['ge', fn((a, b) => !lt(a, b), 2, [V, V])],
  ['html', fn((...a) => escapeHtml(evalArgs(a)), 0, ['any'], true)],
  ['js', fn((...a) => escapeJs(evalArgs(a)), 0, ['any'], true)],
  ['urlquery', fn((...a) => queryEscape(evalArgs(a)), 0, ['any'], true)],
  ['call', fn(call, 1, [V, V], true)],
]);
