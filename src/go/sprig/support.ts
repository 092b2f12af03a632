// Shared pieces of the sprig function table: Go-typed argument checks, fmt's %v, sprig's
// strval/empty and spf13/cast's conversions, over the template value model.
import { type GoInt, intFromBigInt, intFromFloat, MAX_INT64, MIN_INT64 } from '../int64.ts';
import { formatValue, goTypeName } from '../template/print.ts';
import {
  GoDuration,
  GoFloat,
  GoMap,
  GoNilPointer,
  GoTime,
  type GoParamType,
  type GoValue,
  type TemplateFunction,
} from '../template/value.ts';

/**
 * An argument of the wrong Go type. text/template reports these without the
 * "error calling <fn>:" prefix it puts on errors the function itself returns.
 */
export class GoArgTypeError extends Error {
  readonly code = 'E_TEMPLATE_EXEC';
  constructor(message: string) {
    super(message);
    this.name = 'GoArgTypeError';
  }
}

/** A Go runtime panic inside a function (Go prints these as the panic text). */
export class GoPanicError extends Error {
  readonly code = 'E_TEMPLATE_EXEC';
  constructor(message: string) {
    super(message);
    this.name = 'GoPanicError';
  }
}

/** A table entry; `params` are the Go parameter types the engine checks arguments against. */
export function fn(
  arity: number,
  call: (...args: GoValue[]) => GoValue,
  variadic = false,
  params?: readonly GoParamType[],
): TemplateFunction {
  const base = variadic ? { call, arity, variadic } : { call, arity };
  return params === undefined ? base : { ...base, params };
}

const STRING_PARAMS: readonly GoParamType[] = ['string', 'string', 'string'];

/** A function of n string parameters. */
export function strings(n: number, call: (...args: string[]) => GoValue): TemplateFunction {
  return fn(n, (...args) => call(...args.map((a) => argString(a))), false, STRING_PARAMS.slice(0, n));
}

export { goTypeName };

function wrongType(expected: string, v: GoValue): never {
  if (v === null || v === undefined) throw new GoArgTypeError(`invalid value; expected ${expected}`);
  throw new GoArgTypeError(`wrong type for value; expected ${expected}; got ${goTypeName(v)}`);
}

export function argString(v: GoValue): string {
  return typeof v === 'string' ? v : wrongType('string', v);
}

/** An `int` parameter used as a count or an index (a bigint is beyond any string or list). */
export function argInt(v: GoValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof GoFloat && Number.isInteger(v.value)) return v.value;
  return wrongType('int', v);
}

/** An `int` parameter used as a number (exact). */
export function argInt64(v: GoValue): GoInt {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (v instanceof GoFloat && Number.isInteger(v.value)) return intFromFloat(v.value);
  return wrongType('int', v);
}

export function argBool(v: GoValue): boolean {
  return typeof v === 'boolean' ? v : wrongType('bool', v);
}

export function argMap(v: GoValue): GoMap {
  return v instanceof GoMap ? v : wrongType('map[string]interface {}', v);
}

export function argTime(v: GoValue): GoTime {
  return v instanceof GoTime ? v : wrongType('time.Time', v);
}

/** fmt's %v for template values (nil as <nil>, maps sorted, lists in brackets). */
export function formatV(v: GoValue): string {
  return v === undefined ? '<nil>' : formatValue(v);
}

/** sprig's strval: strings as is, Stringers (times, durations) via String, else %v. */
export function strval(v: GoValue): string {
  return typeof v === 'string' ? v : formatV(v);
}

/** sprig's empty: the zero value of its kind (structs are never empty). */
export function empty(v: GoValue): boolean {
  if (v === null || v === undefined) return true;
  switch (typeof v) {
    case 'string':
      return v.length === 0;
    case 'number':
      return v === 0;
    case 'bigint':
      return false; // beyond 2^53, never zero
    case 'boolean':
      return !v;
  }
  if (Array.isArray(v)) return v.length === 0;
  if (v instanceof GoFloat) return v.value === 0;
  if (v instanceof GoMap) return v.size === 0;
  if (v instanceof GoDuration) return v.nanos === 0n;
  if (v instanceof GoNilPointer) return true;
  return false;
}

/** Go's strconv.ParseInt(s, 0, 64): optional sign, 0x/0o/0b/0 prefixes, underscores; exact; undefined on error. */
export function parseGoInt(text: string): GoInt | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]+|[1-9][0-9_]*|0)$/.exec(text);
  if (m === null) return undefined;
  let body = m[2] as string;
  if (body.includes('_') && !/^0[xXbBoO]?_?[0-9a-fA-F]+(_[0-9a-fA-F]+)*$/.test(body)) return undefined;
  body = body.replace(/_/g, '');
  if (/^0[0-7]+$/.test(body)) body = `0o${body.slice(1)}`;
  const magnitude = BigInt(body);
  const value = m[1] === '-' ? -magnitude : magnitude;
  // Out of range is an error (ErrRange), which cast turns into 0 like any other.
  if (value > MAX_INT64 || value < MIN_INT64) return undefined;
  return intFromBigInt(value);
}

function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === '.') return foundZero ? s.slice(0, i - 1) : s;
    if (c === '0') foundZero = true;
    else return s;
  }
  return s;
}

/** Go's strconv.ParseFloat(s, 64) syntax; undefined on a syntax error. */
export function parseGoFloat(text: string): number | undefined {
  if (/^[+-]?(inf|infinity)$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(text)) return NaN;
  if (!/^[+-]?(\d+(_\d+)*\.?(\d+(_\d+)*)?|\.\d+(_\d+)*)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text.replace(/_/g, ''));
}

/** spf13/cast.ToInt64 (also ToInt): failures are 0. */
export function toInt64(v: GoValue): GoInt {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof GoFloat) return intFromFloat(v.value);
  if (typeof v === 'string') return parseGoInt(trimZeroDecimal(v)) ?? 0;
  return 0;
}

/** spf13/cast.ToFloat64: failures are 0. */
export function toFloat64(v: GoValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof GoFloat) return v.value;
  if (typeof v === 'string') return parseGoFloat(v) ?? 0;
  return 0;
}

/** sprig's strslice: lists element-wise (nils dropped), nil → [], anything else → [strval]. */
export function strslice(v: GoValue): string[] {
  if (Array.isArray(v))
    return v.filter((e: GoValue) => e !== null && e !== undefined).map((e: GoValue) => strval(e));
  if (v === null || v === undefined) return [];
  return [strval(v)];
}
