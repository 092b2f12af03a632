// Go literal syntax: strconv.Unquote, strconv.UnquoteChar and the number rules of
// text/template/parse newNumber.
import { type GoInt, intFromBigInt, intFromFloat } from '../int64.ts';

const SIMPLE: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/** Reads one (possibly escaped) character at s[i]; null when the syntax is invalid. */
function readChar(s: string, i: number, quote: string): { ch: string; next: number } | null {
  const c = s[i];
  if (c === undefined) return null;
  if (c !== '\\') {
    if (c === quote || c === '\n') return null;
    const cp = s.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    return { ch, next: i + ch.length };
  }
  const e = s[i + 1];
  if (e === undefined) return null;
  if (SIMPLE[e] !== undefined) return { ch: SIMPLE[e], next: i + 2 };
  if (e === quote && (quote === '"' || quote === "'")) return { ch: e, next: i + 2 };
  const width = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
  if (width > 0) {
    const digits = s.slice(i + 2, i + 2 + width);
    if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(digits)) return null;
    const cp = parseInt(digits, 16);
    if (cp > 0x10ffff || (e !== 'x' && cp >= 0xd800 && cp < 0xe000)) return null;
    // \x is a byte; bytes ≥ 0x80 make invalid UTF-8 that JS cannot hold, so we take the code point.
    return { ch: String.fromCodePoint(cp), next: i + 2 + width };
  }
  if (e >= '0' && e <= '7') {
    const digits = s.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(digits)) return null;
    const v = parseInt(digits, 8);
    if (v > 255) return null;
    return { ch: String.fromCodePoint(v), next: i + 4 };
  }
  return null;
}

/** strconv.Unquote for "..." and `...`; null on invalid syntax. */
export function unquoteString(quoted: string): string | null {
  if (quoted.length < 2) return null;
  const q = quoted[0];
  if (q === '`') {
    if (!quoted.endsWith('`')) return null;
    return quoted.slice(1, -1).replaceAll('\r', '');
  }
  if (q !== '"' || !quoted.endsWith('"')) return null;
  let out = '';
  for (let i = 1; i < quoted.length - 1;) {
    const r = readChar(quoted.slice(0, -1), i, '"');
    if (r === null) return null;
    out += r.ch;
    i = r.next;
  }
  return out;
}

/** A char constant's code point; null for invalid syntax, 'malformed' for extra characters. */
export function unquoteChar(text: string): number | null | 'malformed' {
  const r = readChar(text, 1, "'");
  if (r === null) return null;
  if (text.slice(r.next) !== "'") return 'malformed';
  return r.ch.codePointAt(0) ?? 0;
}

export interface ParsedNumber {
  readonly isInt: boolean;
  /** Exact: a bigint beyond 2^53 (../int64.ts). */
  readonly int: GoInt;
  readonly isFloat: boolean;
  readonly float: number;
}

const INT_SYNTAX =
  /^[+-]?(?:0[xX]_?[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*|0[bB]_?[01]+(?:_[01]+)*|0[oO]_?[0-7]+(?:_[0-7]+)*|0_?[0-7]+(?:_[0-7]+)*|[1-9](?:_?[0-9])*|0)$/;
const MAX_INT64 = 2n ** 63n - 1n;
const MIN_INT64 = -(2n ** 63n);
const MAX_UINT64 = 2n ** 64n - 1n;

function parseIntBig(text: string): bigint | null {
  if (!INT_SYNTAX.test(text)) return null;
  const neg = text.startsWith('-');
  let body = text.replace(/^[+-]/, '').replaceAll('_', '');
  if (/^0[0-7]+$/.test(body)) body = '0o' + body.slice(1);
  const v = BigInt(body);
  return neg ? -v : v;
}

function parseFloatGo(text: string): number | null {
  const t = text.replaceAll('_', '');
  const hexFloat = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(t);
  if (hexFloat) {
    const [, sign, whole = '', frac = '', exp = '0'] = hexFloat;
    if (whole === '' && frac === '') return null;
    const mant = parseInt(whole + frac || '0', 16) / 16 ** frac.length;
    const v = mant * 2 ** Number(exp);
    return sign === '-' ? -v : v;
  }
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t)) return null;
  return Number(t);
}

/** parse.newNumber without complex numbers: a ParsedNumber or Go's error text. */
export function parseNumber(text: string): ParsedNumber | string {
  const big = parseIntBig(text);
  const isInt = big !== null && big >= MIN_INT64 && big <= MAX_INT64;
  const isUint = big !== null && big >= 0n && big <= MAX_UINT64;
  if (isInt || isUint) {
    return { isInt, int: isInt ? intFromBigInt(big) : 0, isFloat: true, float: Number(big) };
  }
  const f = parseFloatGo(text);
  if (f !== null && Number.isFinite(f)) {
    if (!/[.eEpP]/.test(text)) return `integer overflow: ${JSON.stringify(text)}`;
    const integral = Number.isInteger(f) && Math.abs(f) < 2 ** 63;
    return { isInt: integral, int: integral ? intFromFloat(f) : 0, isFloat: true, float: f };
  }
  return `illegal number syntax: ${JSON.stringify(text)}`;
}
