// Go's fmt.Sprintf / Sprint / Sprintln for the template value model: the verbs layouts use,
// flags, width and precision, and Go's %!verb(type=value) / MISSING / EXTRA markers.
import { GoDuration, GoFloat, GoMap, GoNilPointer, GoStruct, GoTime } from './value.ts';
import type { GoValue } from './value.ts';
import {
  fmtE,
  fixedDigits,
  formatDuration,
  formatFloatG,
  formatInt,
  formatTime,
  formatValue,
  goTypeName,
  precisionDigits,
} from './print.ts';
import { goQuote } from './quote.ts';
import type { GoInt } from '../int64.ts';

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number; // -1 when absent
  prec: number; // -1 when absent
  verb: string;
  plusV?: boolean;
  sharpV?: boolean;
}

const runeCount = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

function pad(s: string, spec: Spec, zeroOk = true): string {
  const n = runeCount(s);
  if (spec.width <= n) return s;
  const fill = spec.width - n;
  if (spec.minus) return s + ' '.repeat(fill);
  if (spec.zero && zeroOk) {
    const sign = /^[+\- ]/.test(s) ? (s[0] as string) : '';
    return sign + '0'.repeat(fill) + s.slice(sign.length);
  }
  return ' '.repeat(fill) + s;
}

/** Go's %!verb(type=value): the value is printed with %v and the same flags and width. */
function badVerb(v: GoValue, spec: Spec): string {
  if (v === null || v === undefined) return `%!${spec.verb}(<nil>)`;
  // Go prints the bad operand without calling its String method: a Duration shows its nanoseconds.
  const shown = v instanceof GoDuration ? Number(v.nanos) : v;
  return `%!${spec.verb}(${goTypeName(v)}=${formatArg(shown, { ...spec, verb: 'v' })})`;
}

/** strconv's 'x' format with the shortest precision: 0x1.8p+01. */
function hexFloat(f: number, upper: boolean): string {
  let body: string;
  if (f === 0) body = '0x0p+00';
  else {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, f);
    const bits = view.getBigUint64(0);
    let exp = Number((bits >> 52n) & 0x7ffn) - 1023;
    let mant = bits & ((1n << 52n) - 1n);
    if (exp === -1023) {
      exp = -1022;
      while ((mant & (1n << 52n)) === 0n) {
        mant <<= 1n;
        exp--;
      }
      mant &= (1n << 52n) - 1n;
    }
    const frac = mant.toString(16).padStart(13, '0').replace(/0+$/, '');
    body = `0x1${frac === '' ? '' : '.' + frac}p${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return upper ? body.toUpperCase() : body;
}

function signed(body: string, neg: boolean, spec: Spec): string {
  if (neg) return '-' + body;
  if (spec.plus) return '+' + body;
  if (spec.space) return ' ' + body;
  return body;
}

function fmtInteger(n: GoInt, spec: Spec): string {
  const v = spec.verb;
  const rune =
    typeof n === 'bigint' || n < 0 || n > 0x10ffff || (n >= 0xd800 && n < 0xe000)
      ? '\ufffd'
      : String.fromCodePoint(n);
  if (v === 'c') return pad(rune, spec, false);
  if (v === 'q') return pad(goQuote(rune, "'", spec.plus), spec, false);
  if (v === 'U') {
    // fmtUnicode prints the operand as uint64.
    const u = 'U+' + BigInt.asUintN(64, BigInt(n)).toString(16).toUpperCase().padStart(4, '0');
    return pad(spec.sharp ? `${u} '${rune}'` : u, spec, false);
  }
  const base = v === 'b' ? 2 : v === 'o' || v === 'O' ? 8 : v === 'x' || v === 'X' ? 16 : 10;
  const neg = n < 0;
  let digits =
    typeof n === 'bigint'
      ? (neg ? -n : n).toString(base)
      : base === 10
        ? formatInt(Math.abs(n))
        : BigInt(Math.abs(n)).toString(base);
  if (v === 'X') digits = digits.toUpperCase();
  if (spec.prec >= 0) {
    digits = spec.prec === 0 && n === 0 ? '' : digits.padStart(spec.prec, '0');
  } else if (spec.zero && !spec.minus && spec.width > 0) {
    const signLen = neg || spec.plus || spec.space ? 1 : 0;
    const prefixLen = spec.sharp && (base === 16 || base === 2) ? 2 : 0;
    digits = digits.padStart(spec.width - signLen - prefixLen, '0');
  }
  let prefix = '';
  if (spec.sharp)
    prefix =
      base === 16
        ? v === 'X'
          ? '0X'
          : '0x'
        : base === 2
          ? '0b'
          : base === 8 && !digits.startsWith('0')
            ? '0'
            : '';
  if (v === 'O') prefix = '0o';
  return pad(signed(prefix + digits, neg, spec), { ...spec, zero: false });
}

function fmtFloat(f: number, spec: Spec): string {
  let v = spec.verb;
  let body: string;
  const neg = f < 0 || Object.is(f, -0);
  const abs = Math.abs(f);
  if (!Number.isFinite(f)) {
    body = Number.isNaN(f) ? 'NaN' : 'Inf';
    const s = Number.isNaN(f)
      ? spec.plus
        ? '+NaN'
        : spec.space
          ? ' NaN'
          : 'NaN'
      : signed(body, f < 0, { ...spec, plus: spec.plus || !spec.space });
    return pad(s, { ...spec, zero: false });
  }
  if (v === 'v') v = 'g';
  if (v === 'f' || v === 'F') body = fixedDigits(abs, spec.prec < 0 ? 6 : spec.prec);
  else if (v === 'e' || v === 'E') {
    const p = spec.prec < 0 ? 6 : spec.prec;
    const { digits, dp } = precisionDigits(abs, p + 1);
    body = fmtE(false, digits, dp, p, v);
  } else if (v === 'g' || v === 'G') {
    body = formatFloatG(abs, spec.prec, v === 'G' ? 'E' : 'e');
    if (spec.sharp && !body.includes('.') && !body.includes('e')) body += '.';
  } else if ((v === 'x' || v === 'X') && spec.prec < 0) body = hexFloat(abs, v === 'X');
  else return badVerb(new GoFloat(f), spec);
  return pad(signed(body, neg, spec), spec);
}

/** strconv.CanBackquote's test: control characters other than tab. */
const hasControl = (s: string): boolean => [...s].some((c) => (c < ' ' && c !== '\t') || c === '\x7f');

function fmtString(s: string, spec: Spec): string {
  let str = s;
  if (spec.prec >= 0) str = [...str].slice(0, spec.prec).join('');
  switch (spec.verb) {
    case 'v':
    case 's':
      return pad(str, spec);
    case 'q':
      return pad(
        spec.sharp && !str.includes('`') && !hasControl(str) ? '`' + str + '`' : goQuote(str, '"', spec.plus),
        spec,
      );
    case 'x':
    case 'X': {
      const bytes = [...Buffer.from(str, 'utf8')].map((b) => b.toString(16).padStart(2, '0'));
      let hex = spec.space
        ? bytes.map((b) => (spec.sharp ? '0x' + b : b)).join(' ')
        : (spec.sharp && bytes.length > 0 ? '0x' : '') + bytes.join('');
      if (spec.verb === 'X') hex = hex.toUpperCase();
      return pad(hex, spec);
    }
  }
  return badVerb(s, spec);
}

/** One operand with one verb (fmt's printArg). */
export function formatArg(v: GoValue, spec: Spec, depth = 0): string {
  const verb = spec.verb;
  if (v === null || v === undefined)
    return verb === 'v' || verb === 'T' || depth > 0 ? pad('<nil>', spec) : badVerb(v, spec);
  if (verb === 'T') return pad(goTypeName(v), spec);
  if (v instanceof GoNilPointer)
    return verb === 'v' ? pad('<nil>', spec) : 'dxXob'.includes(verb) ? pad('0', spec) : badVerb(v, spec);
  if (typeof v === 'boolean') return verb === 't' || verb === 'v' ? pad(String(v), spec) : badVerb(v, spec);
  if (typeof v === 'number' || typeof v === 'bigint')
    return 'vdbcoOqxXU'.includes(verb)
      ? fmtInteger(v, { ...spec, verb: verb === 'v' ? 'd' : verb })
      : badVerb(v, spec);
  if (typeof v === 'string') return spec.sharpV === true ? pad(goQuote(v), spec) : fmtString(v, spec);
  if (v instanceof GoFloat) return fmtFloat(v.value, spec);
  if (v instanceof GoTime || v instanceof GoDuration) {
    if ('vsxXq'.includes(verb))
      return fmtString(v instanceof GoTime ? formatTime(v) : formatDuration(v), spec);
    if (v instanceof GoDuration && 'dbcoOxXU'.includes(verb)) return fmtInteger(v.nanos, spec);
    return badVerb(v, spec);
  }
  const each = (e: GoValue): string => formatArg(e, spec, depth + 1);
  if (Array.isArray(v)) return '[' + (v as readonly GoValue[]).map(each).join(' ') + ']';
  if (v instanceof GoMap)
    return (
      'map[' +
      v
        .sortedKeys()
        .map((k) => each(k) + ':' + each(v.get(k)))
        .join(' ') +
      ']'
    );
  if (v instanceof GoStruct) {
    const parts: string[] = [];
    for (const [name, def] of v.type.fields)
      parts.push((spec.plusV === true ? name + ':' : '') + each(def.get(v.source)));
    return '{' + parts.join(' ') + '}';
  }
  return pad(formatValue(v), spec);
}

function parseNum(format: string, i: number): { n: number; next: number } {
  let j = i;
  while (j < format.length && format.charCodeAt(j) >= 48 && format.charCodeAt(j) <= 57) j++;
  return { n: j > i ? Number(format.slice(i, j)) : -1, next: j };
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let argNum = 0;
  for (let i = 0; i < format.length;) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = {
      minus: false,
      plus: false,
      sharp: false,
      space: false,
      zero: false,
      width: -1,
      prec: -1,
      verb: '',
    };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '-') spec.minus = true;
      else if (c === '+') spec.plus = true;
      else if (c === '#') spec.sharp = true;
      else if (c === ' ') spec.space = true;
      else if (c === '0') spec.zero = !spec.minus;
      else break;
    }
    if (format[i] === '*') {
      const w = args[argNum++];
      // A bigint width (beyond 2^53) is as bad a width as a non-int one.
      spec.width = typeof w === 'number' ? w : -1;
      if (spec.width < 0 && typeof w === 'number') {
        spec.minus = true;
        spec.width = -spec.width;
      }
      i++;
    } else {
      const w = parseNum(format, i);
      spec.width = w.n;
      i = w.next;
    }
    if (format[i] === '.') {
      i++;
      if (format[i] === '*') {
        const p = args[argNum++];
        spec.prec = typeof p === 'number' && p >= 0 ? p : -1;
        i++;
      } else {
        const p = parseNum(format, i);
        spec.prec = Math.max(p.n, 0);
        i = p.next;
      }
    }
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    i += verb.length;
    spec.verb = verb;
    if (verb === 'v') {
      // Go moves + and # of %v into "plusV"/"sharpV" (field names, Go syntax), not number flags.
      spec.plusV = spec.plus;
      spec.sharpV = spec.sharp;
      spec.plus = false;
      spec.sharp = false;
    }
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatArg(args[argNum++] as GoValue, spec);
  }
  if (argNum < args.length) {
    const extra = args
      .slice(argNum)
      .map((a) => (a === null || a === undefined ? '<nil>' : `${goTypeName(a)}=${formatValue(a)}`));
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}

/** fmt.Sprint: operands separated by a space when neither side is a string. */
export function sprint(args: readonly GoValue[]): string {
  let out = '';
  let prevString = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as GoValue;
    const isString = typeof a === 'string';
    if (i > 0 && !isString && !prevString) out += ' ';
    out += a === undefined ? '<nil>' : formatValue(a);
    prevString = isString;
  }
  return out;
}

/** fmt.Sprintln: always separated by spaces, newline at the end. */
export function sprintln(args: readonly GoValue[]): string {
  return args.map((a) => (a === undefined ? '<nil>' : formatValue(a))).join(' ') + '\n';
}
