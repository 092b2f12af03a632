// sprig's numeric functions: int64 arithmetic through spf13/cast conversions (failures are 0),
// float functions returning float64, and strconv.Atoi.
import { argInt, argInt64, fn, GoPanicError, toFloat64, toInt64 } from './support.ts';
import { GoFloat, type GoValue, type TemplateFunction } from '../template/value.ts';
import {
  type GoInt,
  intAdd,
  intDiv as intDiv64,
  intMax,
  intMin,
  intMod,
  intMul,
  intSub,
  parseDecimalInt,
} from '../int64.ts';

/** strconv.Atoi with its error ignored: 0 on a syntax error, the int64 bound on overflow. */
function atoi(v: GoValue): GoInt {
  if (typeof v !== 'string') return argInt(v);
  return parseDecimalInt(v)?.value ?? 0;
}

function intDiv(a: GoInt, b: GoInt, op: '/' | '%'): GoInt {
  if (b === 0) throw new GoPanicError('runtime error: integer divide by zero');
  return op === '/' ? intDiv64(a, b) : intMod(a, b);
}

/** A fold over int64 operands, as sprig's variadic int functions loop. */
const fold =
  (step: (acc: GoInt, v: GoInt) => GoInt) =>
  (first: GoValue, ...rest: GoValue[]): GoInt => {
    let acc = toInt64(first);
    for (const v of rest) acc = step(acc, toInt64(v));
    return acc;
  };

function round(a: GoValue, places: number, roundOn = 0.5): number {
  const pow = 10 ** places;
  const digit = pow * toFloat64(a);
  const frac = digit - Math.trunc(digit);
  return (frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow;
}

/** sprig's seq (GNU seq's rules), in int64: exact near and beyond 2^53. */
function seq(...params: bigint[]): string {
  const range = (start: bigint, end: bigint, step: bigint): bigint[] => {
    const out: bigint[] = [];
    if (step > 0n) for (let i = start; i < end; i += step) out.push(i);
    else if (step < 0n) for (let i = start; i > end; i += step) out.push(i);
    return out;
  };
  switch (params.length) {
    case 1: {
      const end = params[0] as bigint;
      const inc = end < 1n ? -1n : 1n;
      return range(1n, end + inc, inc).join(' ');
    }
    case 2: {
      const [start, end] = params as [bigint, bigint];
      const step = end < start ? -1n : 1n;
      return range(start, end + step, step).join(' ');
    }
    case 3: {
      const [start, step, end] = params as [bigint, bigint, bigint];
      const inc = end < start ? -1n : 1n;
      if (end < start && step > 0n) return '';
      return range(start, end + inc, step).join(' ');
    }
    default:
      return '';
  }
}

const float = (n: number): GoFloat => new GoFloat(n);

export const NUMBER_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  int: fn(1, (v) => toInt64(v)),
  int64: fn(1, (v) => toInt64(v)),
  float64: fn(1, (v) => float(toFloat64(v))),
  atoi: fn(1, atoi, false, ['string']),
  add: fn(0, (...args) => fold(intAdd)(0, ...args), true),
  add1: fn(1, (v) => intAdd(toInt64(v), 1)),
  sub: fn(2, (a, b) => intSub(toInt64(a), toInt64(b))),
  mul: fn(1, fold(intMul), true),
  div: fn(2, (a, b) => intDiv(toInt64(a), toInt64(b), '/')),
  mod: fn(2, (a, b) => intDiv(toInt64(a), toInt64(b), '%')),
  max: fn(1, fold(intMax), true),
  biggest: fn(1, fold(intMax), true),
  min: fn(1, fold(intMin), true),
  maxf: fn(
    1,
    (a, ...rest) => float(rest.reduce<number>((m, v) => Math.max(m, toFloat64(v)), toFloat64(a))),
    true,
  ),
  minf: fn(
    1,
    (a, ...rest) => float(rest.reduce<number>((m, v) => Math.min(m, toFloat64(v)), toFloat64(a))),
    true,
  ),
  floor: fn(1, (a) => float(Math.floor(toFloat64(a)))),
  ceil: fn(1, (a) => float(Math.ceil(toFloat64(a)))),
  round: fn(
    2,
    (a, p, ...opt) => float(round(a, argInt(p), opt.length > 0 ? toFloat64(opt[0] as GoValue) : 0.5)),
    true,
    ['any', 'int', 'float64'],
  ),
  seq: fn(0, (...params) => seq(...params.map((p) => BigInt(argInt64(p)))), true, ['int']),
};
