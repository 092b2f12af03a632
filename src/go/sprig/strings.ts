// sprig's string functions, with Go's semantics where JavaScript differs: byte offsets for
// substr/trunc/abbrev, Unicode simple case mapping, Go's whitespace set, strings.Title's
// word boundaries, strings.Replace with an empty needle.
import { argInt, argString, fn, formatV, GoPanicError, strings, strslice, strval } from './support.ts';
import { goQuote } from '../template/quote.ts';
import { GoMap, type GoValue, type TemplateFunction } from '../template/value.ts';

// eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL
const ASCII = /^[\x00-\x7f]*$/;
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const TRIM_SPACE = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'g');
const IS_SPACE = new RegExp(`^[${GO_SPACE}]$`);

/** Per-code-point case mapping (Go's unicode.ToUpper/ToLower never changes a string's rune count). */
function mapRunes(s: string, map: (c: string) => string): string {
  if (ASCII.test(s)) return map(s);
  let out = '';
  for (const c of s) {
    const m = map(c);
    out += [...m].length === 1 ? m : c === '\u0130' ? 'i' : c;
  }
  return out;
}

export const upper = (s: string): string => mapRunes(s, (c) => c.toUpperCase());
export const lower = (s: string): string => mapRunes(s, (c) => c.toLowerCase());

function isTitleSeparator(c: string): boolean {
  if (c.charCodeAt(0) <= 0x7f) return !/[0-9A-Za-z_]/.test(c);
  if (/[\p{L}\p{Nd}]/u.test(c)) return false;
  return IS_SPACE.test(c);
}

/** strings.Title: upper-cases the first letter of each word. */
export function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const c of s) {
    out += isTitleSeparator(prev) ? upper(c) : c;
    prev = c;
  }
  return out;
}

/** s[start:end] on UTF-8 bytes, panicking as Go's slice expression does. */
export function byteSlice(s: string, start: number, end?: number): string {
  const ascii = ASCII.test(s);
  const length = ascii ? s.length : Buffer.byteLength(s);
  const hi = end ?? length;
  if (hi < 0 || hi > length)
    throw new GoPanicError(`runtime error: slice bounds out of range [:${hi}] with length ${length}`);
  if (start < 0 || start > hi)
    throw new GoPanicError(`runtime error: slice bounds out of range [${start}:${hi}]`);
  if (ascii) return s.slice(start, hi);
  return Buffer.from(s).subarray(start, hi).toString('utf8');
}

function byteLength(s: string): number {
  return ASCII.test(s) ? s.length : Buffer.byteLength(s);
}

function substr(start: number, end: number, s: string): string {
  if (start < 0) return byteSlice(s, 0, end);
  if (end < 0 || end > byteLength(s)) return byteSlice(s, start);
  return byteSlice(s, start, end);
}

function trunc(c: number, s: string): string {
  const len = byteLength(s);
  if (c < 0 && len + c > 0) return byteSlice(s, len + c);
  if (c >= 0 && len > c) return byteSlice(s, 0, c);
  return s;
}

function abbrev(width: number, s: string): string {
  if (width < 4 || s === '' || byteLength(s) <= width) return s;
  return byteSlice(s, 0, width - 3) + '...';
}

/** strings.Replace(src, old, new, -1), including Go's rule for an empty `old`. */
export function replaceAll(src: string, old: string, replacement: string): string {
  if (old === '') return replacement + [...src].map((c) => c + replacement).join('');
  return src.split(old).join(replacement);
}

function splitGo(orig: string, sep: string, n = -1): string[] {
  if (n === 0) return [];
  const parts = sep === '' ? [...orig] : orig.split(sep);
  if (n < 0 || parts.length <= n) return parts;
  const head = parts.slice(0, n - 1);
  return [...head, parts.slice(n - 1).join(sep)];
}

function indexedMap(parts: readonly string[]): GoMap {
  const entries: Record<string, GoValue> = {};
  parts.forEach((p, i) => (entries['_' + i] = p));
  return new GoMap(entries, '');
}

function trimCutset(s: string, cutset: string): string {
  const set = new Set(cutset);
  const chars = [...s];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi && set.has(chars[lo] as string)) lo++;
  while (hi > lo && set.has(chars[hi - 1] as string)) hi--;
  return chars.slice(lo, hi).join('');
}

function indent(spaces: number, v: string): string {
  const pad = repeat(spaces, ' ');
  return pad + v.split('\n').join('\n' + pad);
}

function repeat(count: number, s: string): string {
  if (count < 0) throw new GoPanicError('strings: negative Repeat count');
  return s.repeat(count);
}

const s1 = (f: (s: string) => GoValue): TemplateFunction => strings(1, f);
const s2 = (f: (a: string, b: string) => GoValue): TemplateFunction => strings(2, f);
const is = (f: (n: number, s: string) => GoValue): TemplateFunction =>
  fn(2, (a, b) => f(argInt(a), argString(b)), false, ['int', 'string']);

export const STRING_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  lower: s1(lower),
  upper: s1(upper),
  title: s1(title),
  untitle: s1((s) => (s === '' ? s : lower([...s][0] as string) + [...s].slice(1).join(''))),
  trim: s1((s) => s.replace(TRIM_SPACE, '')),
  trimAll: s2((cutset, s) => trimCutset(s, cutset)),
  trimall: s2((cutset, s) => trimCutset(s, cutset)),
  trimPrefix: s2((prefix, s) => (s.startsWith(prefix) ? s.slice(prefix.length) : s)),
  trimSuffix: s2((suffix, s) =>
    suffix !== '' && s.endsWith(suffix) ? s.slice(0, s.length - suffix.length) : s,
  ),
  nospace: s1((s) => [...s].filter((c) => !IS_SPACE.test(c)).join('')),
  replace: strings(3, (o, n, s) => replaceAll(s, o, n)),
  contains: s2((sub, s) => s.includes(sub)),
  hasPrefix: s2((prefix, s) => s.startsWith(prefix)),
  hasSuffix: s2((suffix, s) => s.endsWith(suffix)),
  quote: fn(
    0,
    (...args) =>
      args
        .filter((a) => a !== null && a !== undefined)
        .map((a) => goQuote(strval(a)))
        .join(' '),
    true,
  ),
  squote: fn(
    0,
    (...args) =>
      args
        .filter((a) => a !== null && a !== undefined)
        .map((a) => `'${formatV(a)}'`)
        .join(' '),
    true,
  ),
  cat: fn(
    0,
    (...args) =>
      args
        .filter((a) => a !== null && a !== undefined)
        .map((a) => formatV(a))
        .join(' '),
    true,
  ),
  split: s2((sep, orig) => indexedMap(splitGo(orig, sep))),
  splitList: s2((sep, orig) => splitGo(orig, sep)),
  splitn: fn(3, (sep, n, orig) => indexedMap(splitGo(argString(orig), argString(sep), argInt(n))), false, [
    'string',
    'int',
    'string',
  ]),
  join: fn(2, (sep, v) => strslice(v).join(argString(sep)), false, ['string', 'any']),
  toStrings: fn(1, (v) => strslice(v)),
  substr: fn(3, (start, end, s) => substr(argInt(start), argInt(end), argString(s)), false, [
    'int',
    'int',
    'string',
  ]),
  trunc: is(trunc),
  abbrev: is(abbrev),
  indent: is(indent),
  nindent: is((n, s) => '\n' + indent(n, s)),
  repeat: is(repeat),
  plural: fn(3, (one, many, count) => (argInt(count) === 1 ? argString(one) : argString(many)), false, [
    'string',
    'string',
    'int',
  ]),
  toString: fn(1, (v) => strval(v)),
};
