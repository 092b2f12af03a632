// sprig's numeric functions: int64 arithmetic through spf13/cast conversions (failures are 0),
// float functions returning float64, and strconv.Atoi.
import { argInt, fn, GoPanicError, toFloat64, toInt64 } from './support.ts';
import { GoFloat, type GoValue, type TemplateFunction } from '../template/value.ts';

function atoi(v: GoValue): number {
  if (typeof v !== 'string') return argInt(v);
  return /^[+-]?\d+$/.test(v) ? Number(v) : 0;
}

function intDiv(a: number, b: number, op: '/' | '%'): number {
  if (b === 0) throw new GoPanicError('runtime error: integer divide by zero');
  return op === '/' ? Math.trunc(a / b) : a % b;
}

function round(a: GoValue, places: number, roundOn = 0.5): number {
  const pow = 10 ** places;
  const digit = pow * toFloat64(a);
  const frac = digit - Math.trunc(digit);
  return (frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow;
}

function seq(...params: number[]): string {
  const range = (start: number, end: number, step: number): number[] => {
    const out: number[] = [];
    if (step > 0) for (let i = start; i < end; i += step) out.push(i);
    else if (step < 0) for (let i = start; i > end; i += step) out.push(i);
    return out;
  };
  switch (params.length) {
    case 1: {
      const end = params[0] as number;
      const inc = end < 1 ? -1 : 1;
      return range(1, end + inc, inc).join(' ');
    }
    case 2: {
      const [start, end] = params as [number, number];
      const step = end < start ? -1 : 1;
      return range(start, end + step, step).join(' ');
    }
    case 3: {
      const [start, step, end] = params as [number, number, number];
      const inc = end < start ? -1 : 1;
      if (end < start && step > 0) return '';
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
  add: fn(0, (...args) => args.reduce<number>((sum, v) => sum + toInt64(v), 0), true),
  add1: fn(1, (v) => toInt64(v) + 1),
  sub: fn(2, (a, b) => toInt64(a) - toInt64(b)),
  mul: fn(1, (a, ...rest) => rest.reduce<number>((p, v) => p * toInt64(v), toInt64(a)), true),
  div: fn(2, (a, b) => intDiv(toInt64(a), toInt64(b), '/')),
  mod: fn(2, (a, b) => intDiv(toInt64(a), toInt64(b), '%')),
  max: fn(1, (a, ...rest) => rest.reduce<number>((m, v) => Math.max(m, toInt64(v)), toInt64(a)), true),
  biggest: fn(1, (a, ...rest) => rest.reduce<number>((m, v) => Math.max(m, toInt64(v)), toInt64(a)), true),
  min: fn(1, (a, ...rest) => rest.reduce<number>((m, v) => Math.min(m, toInt64(v)), toInt64(a)), true),
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
  seq: fn(0, (...params) => seq(...params.map(argInt)), true, ['int']),
};
