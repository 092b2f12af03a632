// Escapes and bracket classes of the RE2 → ECMAScript translator. Positions are UTF-16 indexes
// into the source pattern; every reader returns the index just past what it consumed.
import {
  TranslateError,
  caseExtras,
  formatCodePoint,
  posixClass,
  unicodeClass,
  type ClassText,
  type Range,
} from './charset.ts';

export interface CharEscape {
  readonly cp: number;
  readonly end: number;
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
const HEX = /^[0-9A-Fa-f]+$/;

/** A code point at `pos` (surrogate pairs joined). */
export function codePointAt(src: string, pos: number): CharEscape {
  const cp = src.codePointAt(pos) ?? 0;
  return { cp, end: pos + (cp > 0xffff ? 2 : 1) };
}

/**
 * An escape standing for one code point; `pos` is just after the backslash. Returns undefined
 * for escapes that are not one character (`\d`, `\b`, a back-reference `\1` ...).
 */
export function readCharEscape(src: string, pos: number): CharEscape | undefined {
  const c = src[pos] ?? '';
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return { cp: simple, end: pos + 1 };
  if (c === 'x') return readHexEscape(src, pos + 1);
  if (c === 'u') return readUnicodeEscape(src, pos + 1);
  if (c === 'c') return readControlEscape(src, pos + 1);
  if (c >= '0' && c <= '7') return readOctalEscape(src, pos);
  if (c !== '' && c < '\x80' && !/[0-9A-Za-z]/.test(c)) return { cp: c.charCodeAt(0), end: pos + 1 };
  return undefined;
}

// Go: `\0` + up to two octal digits, or `\1`–`\7` followed by another octal digit.
// A lone `\1`–`\7` is a back-reference, which Go rejects and ECMAScript accepts.
function readOctalEscape(src: string, pos: number): CharEscape | undefined {
  const digits = /^[0-7]{1,3}/.exec(src.slice(pos, pos + 3))?.[0] ?? '';
  if (digits[0] !== '0' && digits.length < 2) return undefined;
  const octal = digits[0] === '0' ? digits.slice(0, 3) : digits;
  return { cp: parseInt(octal, 8), end: pos + octal.length };
}

function readHexEscape(src: string, pos: number): CharEscape {
  if (src[pos] === '{') {
    const close = src.indexOf('}', pos);
    const hex = close < 0 ? '' : src.slice(pos + 1, close);
    const cp = HEX.test(hex) && hex.length <= 8 ? parseInt(hex, 16) : NaN;
    if (!(cp <= 0x10ffff))
      throw new TranslateError(`invalid escape sequence: \\x${src.slice(pos, close + 1)}`);
    return { cp, end: close + 1 };
  }
  const hex = src.slice(pos, pos + 2);
  if (hex.length !== 2 || !HEX.test(hex)) throw new TranslateError(`invalid escape sequence: \\x${hex}`);
  return { cp: parseInt(hex, 16), end: pos + 2 };
}

// ECMAScript-only `\uXXXX` and `\u{X…}`; a surrogate pair written as two escapes is one character.
function readUnicodeEscape(src: string, pos: number): CharEscape {
  if (src[pos] === '{') {
    const close = src.indexOf('}', pos);
    const hex = close < 0 ? '' : src.slice(pos + 1, close);
    const cp = HEX.test(hex) ? parseInt(hex, 16) : NaN;
    if (!(cp <= 0x10ffff))
      throw new TranslateError(`invalid escape sequence: \\u${src.slice(pos, close + 1)}`);
    return { cp, end: close + 1 };
  }
  const hex = src.slice(pos, pos + 4);
  if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw new TranslateError(`invalid escape sequence: \\u${hex}`);
  const cp = parseInt(hex, 16);
  const low = /^\\u([dD][c-fC-F][0-9A-Fa-f]{2})/.exec(src.slice(pos + 4, pos + 10));
  if (cp >= 0xd800 && cp <= 0xdbff && low?.[1] !== undefined) {
    const lo = parseInt(low[1], 16);
    return { cp: 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00), end: pos + 10 };
  }
  return { cp, end: pos + 4 };
}

function readControlEscape(src: string, pos: number): CharEscape {
  const letter = src[pos] ?? '';
  if (!/^[A-Za-z]$/.test(letter)) throw new TranslateError(`invalid escape sequence: \\c${letter}`);
  return { cp: letter.charCodeAt(0) % 32, end: pos + 1 };
}

export interface UnicodeEscape extends ClassText {
  readonly end: number;
}

/** `\pL`, `\p{Greek}`, `\p{^Greek}`, `\PL`; `pos` is at the `p`/`P`. */
export function readUnicodeClass(src: string, pos: number): UnicodeEscape {
  let negated = src[pos] === 'P';
  let name: string;
  let end: number;
  if (src[pos + 1] === '{') {
    const close = src.indexOf('}', pos);
    if (close < 0) throw new TranslateError(`invalid character class range: \\${src.slice(pos)}`);
    name = src.slice(pos + 2, close);
    end = close + 1;
  } else {
    name = src[pos + 1] ?? '';
    end = pos + 2;
  }
  if (name.startsWith('^')) {
    negated = !negated;
    name = name.slice(1);
  }
  return { ...unicodeClass(name, negated), end };
}

const PERL_CLASSES = new Set(['d', 'D', 's', 'S', 'w', 'W']);

type ClassAtom = { readonly cp: number; readonly end: number } | (ClassText & { readonly end: number });

function readClassAtom(src: string, pos: number): ClassAtom {
  if (src[pos] !== '\\') return codePointAt(src, pos);
  const c = src[pos + 1] ?? '';
  if (c === '') throw new TranslateError('missing closing ]');
  if (PERL_CLASSES.has(c)) return { text: `\\${c}`, caseClosed: true, end: pos + 2 };
  if (c === 'p' || c === 'P') return readUnicodeClass(src, pos + 1);
  if (c === 'b') return { cp: 8, end: pos + 2 }; // ECMAScript: backspace inside a class
  const escape = readCharEscape(src, pos + 1);
  if (escape === undefined) throw new TranslateError(`invalid escape sequence: \\${c}`);
  return escape;
}

// `[:alpha:]` or `[:^alpha:]` at `pos` (the inner `[`); undefined when it is not one.
function readPosix(src: string, pos: number): { ranges: readonly Range[]; end: number } | undefined {
  const match = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(pos, pos + 12));
  if (match === null) return undefined;
  const ranges = posixClass(match[2] ?? '', match[1] === '^');
  if (ranges === undefined) throw new TranslateError(`invalid character class range: ${match[0]}`);
  return { ranges, end: pos + match[0].length };
}

export interface ParsedClass {
  readonly text: string;
  readonly end: number;
}

/** A bracket class starting at `start` (the `[`), as ECMAScript `u`-mode text. */
export function parseClass(src: string, start: number, foldCase: boolean): ParsedClass {
  let pos = start + 1;
  const negated = src[pos] === '^';
  if (negated) pos++;
  const ranges: Range[] = [];
  const texts: string[] = [];
  for (let first = true; src[pos] !== ']' || first; first = false) {
    if (pos >= src.length) throw new TranslateError('missing closing ]');
    const posix = src[pos] === '[' ? readPosix(src, pos) : undefined;
    if (posix !== undefined) {
      ranges.push(...posix.ranges);
      pos = posix.end;
      continue;
    }
    const lo = readClassAtom(src, pos);
    if (!('cp' in lo)) {
      if (foldCase && !lo.caseClosed) throw foldError(lo.text);
      texts.push(lo.text);
      pos = lo.end;
      continue;
    }
    pos = readRangeEnd(src, pos, lo, ranges);
  }
  return { text: emitClass(negated, ranges, texts, foldCase), end: pos + 1 };
}

// After a single character `lo`: a range `lo-hi`, or just `lo`. Returns the next position.
function readRangeEnd(src: string, start: number, lo: CharEscape, ranges: Range[]): number {
  if (src[lo.end] !== '-' || src[lo.end + 1] === ']' || lo.end + 1 >= src.length) {
    ranges.push([lo.cp, lo.cp]);
    return lo.end;
  }
  const hi = readClassAtom(src, lo.end + 1);
  const text = src.slice(start, hi.end);
  if (!('cp' in hi) || hi.cp < lo.cp) throw new TranslateError(`invalid character class range: ${text}`);
  ranges.push([lo.cp, hi.cp]);
  return hi.end;
}

function emitClass(negated: boolean, ranges: Range[], texts: string[], foldCase: boolean): string {
  let out = negated ? '[^' : '[';
  for (const [lo, hi] of ranges) {
    out +=
      lo === hi ? formatCodePoint(lo, true) : `${formatCodePoint(lo, true)}-${formatCodePoint(hi, true)}`;
  }
  out += texts.join('');
  if (foldCase) {
    const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
    for (const cp of caseExtras(sorted)) out += formatCodePoint(cp, true);
  }
  return `${out}]`;
}

export function foldError(text: string): TranslateError {
  return new TranslateError(
    `case-insensitive flag inside the pattern cannot be applied to ${text}; move (?i) to the start`,
  );
}
