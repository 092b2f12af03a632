// Go's fmt %v for the template value model, plus strconv float formatting, time.Time.String
// and time.Duration.String.
import { GoDuration, GoFloat, GoFuncValue, GoMap, GoNilPointer, GoStruct, GoTime } from './value.ts';
import type { GoValue } from './value.ts';
import { durationString } from '../time/duration.ts';

/** Shortest decimal digits of |f| and the decimal point position: f = 0.digits × 10^dp. */
export function shortestDigits(f: number): { digits: string; dp: number } {
  const [mant = '0', exp = '0'] = Math.abs(f).toExponential().split('e');
  return { digits: mant.replace('.', ''), dp: Number(exp) + 1 };
}

export interface Digits {
  readonly digits: string;
  readonly dp: number;
}

/** The exact decimal expansion of |f| (finite): |f| = 0.digits × 10^dp, no trailing zeros. */
export function exactDigits(f: number): Digits {
  if (f === 0) return { digits: '', dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(f));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let e = -1074;
  if (biased !== 0) {
    mant |= 1n << 52n;
    e = biased - 1075;
  }
  let text: string;
  let dp: number;
  if (e >= 0) {
    text = (mant << BigInt(e)).toString();
    dp = text.length;
  } else {
    text = (mant * 5n ** BigInt(-e)).toString();
    dp = text.length + e;
  }
  const digits = text.replace(/0+$/, '');
  return { digits, dp: digits === '' ? 0 : dp };
}

/** Go's decimal.Round(nd): round half to even on the exact digits, trailing zeros trimmed. */
export function roundDigits(d: Digits, nd: number): Digits {
  const { digits, dp } = d;
  if (nd < 0 || nd >= digits.length) return d;
  const next = digits[nd] as string;
  const exactHalf = next === '5' && nd + 1 === digits.length;
  const up = exactHalf ? nd > 0 && Number(digits[nd - 1]) % 2 === 1 : next >= '5';
  let kept = digits.slice(0, nd);
  let newDp = dp;
  if (up) {
    let i = kept.length - 1;
    while (i >= 0 && kept[i] === '9') i--;
    if (i < 0) {
      kept = '1';
      newDp++;
    } else {
      kept = kept.slice(0, i) + String(Number(kept[i]) + 1);
    }
  }
  kept = kept.replace(/0+$/, '');
  return { digits: kept, dp: kept === '' ? 0 : newDp };
}

/** Digits of |f| rounded to prec significant digits (Go's %e/%g with a precision). */
export function precisionDigits(f: number, prec: number): Digits {
  return roundDigits(exactDigits(f), prec);
}

/** |f| with fracDigits digits after the point (Go's %f), rounded half to even. */
export function fixedDigits(f: number, fracDigits: number): string {
  const d = exactDigits(f);
  const r = roundDigits(d, d.dp + fracDigits);
  return fmtF(false, r.digits, r.dp, fracDigits);
}

function specialFloat(f: number, plus = false): string | null {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : plus ? '+0' : '0';
  return null;
}

export function fmtE(neg: boolean, digits: string, dp: number, prec: number, e: string): string {
  let d = digits;
  if (prec >= 0) d = d.padEnd(prec + 1, '0');
  const first = d[0] ?? '0';
  const rest = prec < 0 ? d.slice(1) : d.slice(1, prec + 1);
  const exp = digits === '' || digits === '0' ? 0 : dp - 1;
  const expStr = Math.abs(exp).toString().padStart(2, '0');
  return `${neg ? '-' : ''}${first}${rest.length > 0 ? '.' + rest : ''}${e}${exp < 0 ? '-' : '+'}${expStr}`;
}

export function fmtF(neg: boolean, digits: string, dp: number, fracDigits: number): string {
  let intPart: string;
  let frac: string;
  if (dp <= 0) {
    intPart = '0';
    frac = '0'.repeat(-dp) + digits;
  } else if (dp >= digits.length) {
    intPart = digits + '0'.repeat(dp - digits.length);
    frac = '';
  } else {
    intPart = digits.slice(0, dp);
    frac = digits.slice(dp);
  }
  frac = frac.padEnd(fracDigits, '0').slice(0, fracDigits);
  return `${neg ? '-' : ''}${intPart}${fracDigits > 0 ? '.' + frac : ''}`;
}

/** strconv.FormatFloat(f, 'g', prec, 64); prec -1 is shortest (what %v uses). */
export function formatFloatG(f: number, prec = -1, e = 'e'): string {
  const special = specialFloat(f);
  if (special !== null) return special;
  const shortest = prec < 0;
  const p = prec === 0 ? 1 : prec;
  const { digits, dp } = shortest ? shortestDigits(f) : precisionDigits(f, p);
  let eprec = shortest ? 6 : p;
  if (!shortest && eprec > digits.length && digits.length >= dp) eprec = digits.length;
  const exp = dp - 1;
  const neg = f < 0;
  if (exp < -4 || exp >= eprec) {
    const q = shortest || p > digits.length ? digits.length : p;
    return fmtE(neg, digits, dp, q - 1, e);
  }
  const q = shortest || p > dp ? digits.length : p;
  return fmtF(neg, digits, dp, Math.max(q - dp, 0));
}

export function formatInt(n: number): string {
  if (Object.is(n, -0)) return '0';
  return Number.isSafeInteger(n) ? String(n) : BigInt(Math.trunc(n)).toString();
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** time.Time.String(): 2006-01-02 15:04:05.999999999 -0700 MST. */
export function formatTime(t: GoTime): string {
  if (t.isZero) return '0001-01-01 00:00:00 +0000 UTC';
  const local = new Date(t.epochMs + t.offsetSeconds * 1000);
  const year = local.getUTCFullYear();
  const yearStr = year < 0 ? '-' + String(-year).padStart(4, '0') : String(year).padStart(4, '0');
  const nanos = (((t.epochMs % 1000) + 1000) % 1000) * 1e6 + t.extraNanos;
  const frac = nanos === 0 ? '' : '.' + String(nanos).padStart(9, '0').replace(/0+$/, '');
  const off = Math.abs(t.offsetSeconds);
  const offStr = `${t.offsetSeconds < 0 ? '-' : '+'}${pad2(Math.floor(off / 3600))}${pad2(Math.floor(off / 60) % 60)}`;
  return (
    `${yearStr}-${pad2(local.getUTCMonth() + 1)}-${pad2(local.getUTCDate())} ` +
    `${pad2(local.getUTCHours())}:${pad2(local.getUTCMinutes())}:${pad2(local.getUTCSeconds())}${frac} ` +
    `${offStr} ${t.zoneName}`
  );
}

/** time.Duration.String(): 1h2m0.5s, 1.5ms, 0s. */
export function formatDuration(d: GoDuration): string {
  return durationString(d.nanos);
}

/** fmt.Sprint of one operand (%v). undefined (Go's invalid value) prints as <no value>. */
export function formatValue(v: GoValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatInt(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (v === null) return '<nil>';
  if (v === undefined) return '<no value>';
  if (v instanceof GoFloat) return formatFloatG(v.value);
  if (Array.isArray(v)) return formatList(v as readonly GoValue[], formatValue);
  if (v instanceof GoMap) return formatMap(v, formatValue);
  if (v instanceof GoTime) return formatTime(v);
  if (v instanceof GoDuration) return formatDuration(v);
  if (v instanceof GoStruct) return formatStruct(v, formatValue);
  if (v instanceof GoNilPointer) return '<nil>';
  if (v instanceof GoFuncValue) return '0x0';
  return String(v);
}

export function formatList(list: readonly GoValue[], each: (v: GoValue) => string): string {
  let out = '[';
  for (let i = 0; i < list.length; i++) out += (i > 0 ? ' ' : '') + each(list[i]);
  return out + ']';
}

export function formatMap(m: GoMap, each: (v: GoValue) => string): string {
  let out = 'map[';
  let first = true;
  for (const k of m.sortedKeys()) {
    out += (first ? '' : ' ') + k + ':' + each(m.get(k));
    first = false;
  }
  return out + ']';
}

export function formatStruct(s: GoStruct, each: (v: GoValue) => string): string {
  const parts: string[] = [];
  for (const def of s.type.fields.values()) parts.push(each(def.get(s.source)));
  return '{' + parts.join(' ') + '}';
}

/** The Go type name fmt's %T prints and errors mention. */
export function goTypeName(v: GoValue): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number' || typeof v === 'bigint') return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (v === null || v === undefined) return '<nil>';
  if (v instanceof GoFloat) return 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  if (v instanceof GoMap) return 'map[string]interface {}';
  if (v instanceof GoTime) return 'time.Time';
  if (v instanceof GoDuration) return 'time.Duration';
  if (v instanceof GoStruct) return v.type.name;
  if (v instanceof GoNilPointer) return v.typeName;
  if (v instanceof GoFuncValue) return 'func(...)';
  return 'interface {}';
}
