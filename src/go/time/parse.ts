// time.ParseInLocation(layout, value, Local) for sprig's toDate, with Local = UTC (the zone the
// exporter's container runs in). Follows Go's chunk-by-chunk parse, including its leniencies
// (fraction digits after seconds the layout does not mention, spaces matching runs of spaces).
import { daysIn, utcMs, ZERO_EPOCH_MS } from './time.ts';
import { DAYS, MONTHS, parseLayout, type LayoutPart } from './format.ts';
import { GoTime } from '../template/value.ts';

class ParseFailure extends Error {}

function numericZoneName(offsetSeconds: number): string {
  const abs = Math.abs(offsetSeconds);
  const two = (n: number) => String(n).padStart(2, '0');
  return (offsetSeconds < 0 ? '-' : '+') + two(Math.floor(abs / 3600)) + two(Math.floor((abs % 3600) / 60));
}

interface State {
  value: string;
  year: number;
  month: number;
  day: number;
  hour: number;
  min: number;
  sec: number;
  nanos: number;
  pm?: boolean;
  offsetSeconds?: number;
  zoneName?: string;
}

function fail(): never {
  throw new ParseFailure('cannot parse');
}

function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

function getnum(st: State, fixed: boolean): number {
  if (!isDigit(st.value, 0)) fail();
  if (!isDigit(st.value, 1)) {
    if (fixed) fail();
    const n = st.value.charCodeAt(0) - 48;
    st.value = st.value.slice(1);
    return n;
  }
  const n = Number(st.value.slice(0, 2));
  st.value = st.value.slice(2);
  return n;
}

function lookupName(st: State, names: readonly string[]): number {
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (
      st.value.length >= name.length &&
      st.value.slice(0, name.length).toLowerCase() === name.toLowerCase()
    ) {
      st.value = st.value.slice(name.length);
      return i;
    }
  }
  return fail();
}

function skipLiteral(st: State, literal: string): void {
  let prefix = literal;
  while (prefix.length > 0) {
    if (prefix[0] === ' ') {
      if (st.value.length > 0 && st.value[0] !== ' ') fail();
      prefix = prefix.replace(/^ +/, '');
      st.value = st.value.replace(/^ +/, '');
      continue;
    }
    if (st.value.length === 0 || st.value[0] !== prefix[0]) fail();
    prefix = prefix.slice(1);
    st.value = st.value.slice(1);
  }
}

function parseNanos(st: State, n: number): void {
  if (st.value[0] !== '.' && st.value[0] !== ',') fail();
  const digits = st.value.slice(1, n);
  if (!/^\d*$/.test(digits)) fail();
  st.nanos = Number((digits + '000000000').slice(0, 9));
  st.value = st.value.slice(n);
}

function parseZone(st: State, std: string): void {
  if (std.startsWith('Z') && st.value[0] === 'Z') {
    st.value = st.value.slice(1);
    st.offsetSeconds = 0;
    st.zoneName = 'UTC';
    return;
  }
  const shape = std.slice(1).replace(/\d/g, '9');
  const re = new RegExp('^[+-]' + shape.replace(/9/g, '\\d'));
  const m = re.exec(st.value);
  if (m === null) fail();
  const digits = m[0].slice(1).replace(/:/g, '');
  const h = Number(digits.slice(0, 2));
  const mi = Number(digits.slice(2, 4) || '0');
  const s = Number(digits.slice(4, 6) || '0');
  st.offsetSeconds = (m[0][0] === '-' ? -1 : 1) * (h * 3600 + mi * 60 + s);
  st.value = st.value.slice(m[0].length);
}

function parseStd(st: State, part: LayoutPart, next: LayoutPart | undefined): void {
  switch (part.std) {
    case '2006':
      if (!/^\d{4}/.test(st.value)) fail();
      st.year = Number(st.value.slice(0, 4));
      st.value = st.value.slice(4);
      return;
    case '06': {
      const y = getnum(st, true);
      st.year = y >= 69 ? 1900 + y : 2000 + y;
      return;
    }
    case 'Jan':
      st.month =
        lookupName(
          st,
          MONTHS.map((m) => m.slice(0, 3)),
        ) + 1;
      return;
    case 'January':
      st.month = lookupName(st, MONTHS) + 1;
      return;
    case 'Mon':
      lookupName(
        st,
        DAYS.map((d) => d.slice(0, 3)),
      );
      return;
    case 'Monday':
      lookupName(st, DAYS);
      return;
    case '1':
    case '01':
      st.month = getnum(st, part.std === '01');
      if (st.month < 1 || st.month > 12) fail();
      return;
    case '_2':
    case '2':
    case '02':
      if (part.std === '_2' && st.value[0] === ' ') st.value = st.value.slice(1);
      st.day = getnum(st, part.std === '02');
      return;
    case '15':
      st.hour = getnum(st, false);
      if (st.hour > 23) fail();
      return;
    case '3':
    case '03':
      st.hour = getnum(st, part.std === '03');
      if (st.hour > 12) fail();
      return;
    case '4':
    case '04':
      st.min = getnum(st, part.std === '04');
      if (st.min > 59) fail();
      return;
    case '5':
    case '05':
      st.sec = getnum(st, part.std === '05');
      if (st.sec > 59) fail();
      if (/^[.,]\d/.test(st.value) && next?.std !== 'frac0' && next?.std !== 'frac9') {
        const n = 1 + (/^[.,](\d+)/.exec(st.value)?.[1]?.length ?? 0);
        parseNanos(st, n);
      }
      return;
    case 'PM':
    case 'pm': {
      const v = st.value.slice(0, 2);
      const [p, a] = part.std === 'PM' ? ['PM', 'AM'] : ['pm', 'am'];
      if (v !== p && v !== a) fail();
      st.pm = v === p;
      st.value = st.value.slice(2);
      return;
    }
    case 'MST':
      if (st.value.startsWith('UTC')) {
        st.value = st.value.slice(3);
        st.offsetSeconds = 0;
        st.zoneName = 'UTC';
        return;
      }
      {
        const m = /^[A-Z]{3,5}/.exec(st.value);
        if (m === null) fail();
        st.zoneName = m[0];
        st.value = st.value.slice(m[0].length);
      }
      return;
    case 'frac0':
      if (st.value.length < 1 + (part.digits ?? 0)) fail();
      parseNanos(st, 1 + (part.digits ?? 0));
      return;
    case 'frac9':
      if (!/^[.,]\d/.test(st.value)) return;
      parseNanos(st, 1 + (/^[.,](\d+)/.exec(st.value)?.[1]?.length ?? 0));
      return;
    case '__2':
    case '002':
      fail();
      return;
    default:
      parseZone(st, part.std ?? '');
  }
}

/** time.ParseInLocation with Local = UTC; undefined where Go returns an error. */
export function parseGoTime(layout: string, value: string): GoTime | undefined {
  const st: State = { value, year: 0, month: 1, day: 1, hour: 0, min: 0, sec: 0, nanos: 0 };
  const parts = parseLayout(layout);
  try {
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as LayoutPart;
      if (part.literal !== undefined) skipLiteral(st, part.literal);
      else parseStd(st, part, parts[i + 1]);
    }
  } catch (err) {
    if (err instanceof ParseFailure) return undefined;
    throw err;
  }
  if (st.value.length > 0) return undefined;
  if (st.pm === true && st.hour < 12) st.hour += 12;
  if (st.pm === false && st.hour === 12) st.hour = 0;
  if (st.day < 1 || st.day > daysIn(st.month, st.year)) return undefined;
  const wallMs = utcMs(st.year, st.month, st.day, st.hour, st.min, st.sec) + Math.floor(st.nanos / 1e6);
  const offset = st.offsetSeconds ?? 0;
  const epochMs = wallMs - offset * 1000;
  // A zone that is not the local one (UTC) keeps its offset; Go names it only when the text did.
  // Go's FixedZone("", offset) prints its offset where MST is asked for; we store that text.
  const zoneName =
    offset === 0 && (st.zoneName === undefined || st.zoneName === 'UTC')
      ? 'UTC'
      : (st.zoneName ?? numericZoneName(offset));
  return new GoTime(epochMs, st.nanos % 1e6, offset, zoneName, epochMs === ZERO_EPOCH_MS && st.nanos === 0);
}
