// Go's layout-based time formatting (time.Time.Format): the layout is split into the same
// "std chunks" Go's nextStdChunk finds, so odd layouts behave as in Go.
import { civil } from './time.ts';
import type { GoTime } from '../template/value.ts';

export type StdChunk =
  | 'Jan'
  | 'January'
  | 'Mon'
  | 'Monday'
  | 'MST'
  | '01'
  | '02'
  | '03'
  | '04'
  | '05'
  | '06'
  | '002'
  | '__2'
  | '_2'
  | '15'
  | '1'
  | '2'
  | '2006'
  | '3'
  | '4'
  | '5'
  | 'PM'
  | 'pm'
  | '-070000'
  | '-07:00:00'
  | '-0700'
  | '-07:00'
  | '-07'
  | 'Z070000'
  | 'Z07:00:00'
  | 'Z0700'
  | 'Z07:00'
  | 'Z07'
  | 'frac0'
  | 'frac9';

export interface LayoutPart {
  readonly literal?: string;
  readonly std?: StdChunk;
  /** Fraction digits and separator for frac0 / frac9. */
  readonly digits?: number;
  readonly sep?: string;
}

const TZ_NUM = ['-070000', '-07:00:00', '-0700', '-07:00', '-07'] as const;
const TZ_ISO = ['Z070000', 'Z07:00:00', 'Z0700', 'Z07:00', 'Z07'] as const;
const ZERO_X: Record<string, StdChunk> = { '1': '01', '2': '02', '3': '03', '4': '04', '5': '05', '6': '06' };

function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** The std chunk starting at i, with its length, or undefined for a literal character. */
function stdAt(
  layout: string,
  i: number,
): { std: StdChunk; len: number; digits?: number; sep?: string } | undefined {
  const rest = layout.slice(i);
  switch (layout[i]) {
    case 'J':
      if (rest.startsWith('January')) return { std: 'January', len: 7 };
      if (rest.startsWith('Jan')) return { std: 'Jan', len: 3 };
      return undefined;
    case 'M':
      if (rest.startsWith('Monday')) return { std: 'Monday', len: 6 };
      if (rest.startsWith('Mon')) return { std: 'Mon', len: 3 };
      if (rest.startsWith('MST')) return { std: 'MST', len: 3 };
      return undefined;
    case '0': {
      const x = ZERO_X[layout[i + 1] ?? ''];
      if (x !== undefined) return { std: x, len: 2 };
      if (rest.startsWith('002')) return { std: '002', len: 3 };
      return undefined;
    }
    case '1':
      return rest.startsWith('15') ? { std: '15', len: 2 } : { std: '1', len: 1 };
    case '2':
      return rest.startsWith('2006') ? { std: '2006', len: 4 } : { std: '2', len: 1 };
    case '_':
      if (layout[i + 1] === '2') return rest.startsWith('_2006') ? undefined : { std: '_2', len: 2 };
      if (rest.startsWith('__2')) return { std: '__2', len: 3 };
      return undefined;
    case '3':
    case '4':
    case '5':
      return { std: layout[i] as '3' | '4' | '5', len: 1 };
    case 'P':
      return rest.startsWith('PM') ? { std: 'PM', len: 2 } : undefined;
    case 'p':
      return rest.startsWith('pm') ? { std: 'pm', len: 2 } : undefined;
    case '-':
      for (const z of TZ_NUM) if (rest.startsWith(z)) return { std: z, len: z.length };
      return undefined;
    case 'Z':
      for (const z of TZ_ISO) if (rest.startsWith(z)) return { std: z, len: z.length };
      return undefined;
    case '.':
    case ',': {
      const ch = layout[i + 1];
      if (ch !== '0' && ch !== '9') return undefined;
      let j = i + 1;
      while (layout[j] === ch) j++;
      if (isDigitAt(layout, j)) return undefined;
      return { std: ch === '0' ? 'frac0' : 'frac9', len: j - i, digits: j - i - 1, sep: layout[i] as string };
    }
    default:
      return undefined;
  }
}

const layoutCache = new Map<string, readonly LayoutPart[]>();

/** Splits a Go layout into literals and std chunks (cached: layouts are few). */
export function parseLayout(layout: string): readonly LayoutPart[] {
  const cached = layoutCache.get(layout);
  if (cached !== undefined) return cached;
  const parts: LayoutPart[] = [];
  let literal = '';
  for (let i = 0; i < layout.length;) {
    const found = stdAt(layout, i);
    if (found === undefined) {
      literal += layout[i];
      i++;
      continue;
    }
    if (literal !== '') parts.push({ literal });
    literal = '';
    parts.push({ std: found.std, digits: found.digits, sep: found.sep });
    i += found.len;
  }
  if (literal !== '') parts.push({ literal });
  if (layoutCache.size < 1000) layoutCache.set(layout, parts);
  return parts;
}

export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
export const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function pad(n: number, width: number, fill = '0'): string {
  const s = String(Math.abs(n));
  const padded = s.length >= width ? s : fill.repeat(width - s.length) + s;
  return n < 0 ? '-' + padded : padded;
}

function formatZone(std: StdChunk, offsetSeconds: number): string {
  if (offsetSeconds === 0 && std.startsWith('Z')) return 'Z';
  const abs = Math.abs(offsetSeconds);
  const minutes = Math.floor(abs / 60);
  let out = (offsetSeconds < 0 ? '-' : '+') + pad(Math.floor(minutes / 60), 2);
  const colon = std.includes(':');
  if (colon) out += ':';
  if (std !== '-07' && std !== 'Z07') out += pad(minutes % 60, 2);
  if (std.endsWith('0000') || std.endsWith(':00:00')) out += (colon ? ':' : '') + pad(abs % 60, 2);
  return out;
}

function formatFraction(nanos: number, digits: number, sep: string, trim: boolean): string {
  let s = pad(nanos, 9).slice(0, Math.min(digits, 9));
  if (trim) s = s.replace(/0+$/, '');
  return s === '' ? '' : sep + s;
}

/** time.Time.Format. */
export function formatGoTime(t: GoTime, layout: string): string {
  const c = civil(t);
  let out = '';
  for (const part of parseLayout(layout)) {
    if (part.literal !== undefined) {
      out += part.literal;
      continue;
    }
    out += formatStd(part, c, t);
  }
  return out;
}

function formatStd(part: LayoutPart, c: ReturnType<typeof civil>, t: GoTime): string {
  const std = part.std as StdChunk;
  switch (std) {
    case '2006':
      return pad(c.year, 4);
    case '06':
      return pad(((c.year % 100) + 100) % 100, 2);
    case 'Jan':
      return (MONTHS[c.month - 1] ?? '').slice(0, 3);
    case 'January':
      return MONTHS[c.month - 1] ?? '';
    case '1':
      return String(c.month);
    case '01':
      return pad(c.month, 2);
    case 'Mon':
      return (DAYS[c.weekday] ?? '').slice(0, 3);
    case 'Monday':
      return DAYS[c.weekday] ?? '';
    case '2':
      return String(c.day);
    case '_2':
      return pad(c.day, 2, ' ');
    case '02':
      return pad(c.day, 2);
    case '__2':
      return pad(c.yearDay, 3, ' ');
    case '002':
      return pad(c.yearDay, 3);
    case '15':
      return pad(c.hour, 2);
    case '3':
      return String(c.hour % 12 === 0 ? 12 : c.hour % 12);
    case '03':
      return pad(c.hour % 12 === 0 ? 12 : c.hour % 12, 2);
    case '4':
      return String(c.min);
    case '04':
      return pad(c.min, 2);
    case '5':
      return String(c.sec);
    case '05':
      return pad(c.sec, 2);
    case 'PM':
      return c.hour >= 12 ? 'PM' : 'AM';
    case 'pm':
      return c.hour >= 12 ? 'pm' : 'am';
    case 'MST':
      return t.zoneName !== '' ? t.zoneName : formatZone('-0700', t.offsetSeconds);
    case 'frac0':
      return formatFraction(c.nanos, part.digits ?? 0, part.sep ?? '.', false);
    case 'frac9':
      return formatFraction(c.nanos, part.digits ?? 0, part.sep ?? '.', true);
    default:
      return formatZone(std, t.offsetSeconds);
  }
}
