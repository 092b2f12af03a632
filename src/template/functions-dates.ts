// sprig's date functions. Go's Local zone is UTC here (the exporter runs in a UTC container).
// Deviation, on purpose: Kubernetes timestamps (`.FirstTimestamp`, a metav1.Time) are accepted
// wherever sprig wants a time; Go would silently format time.Now() for them or fail.
import { durationString, parseDuration } from './go-duration.ts';
import { addNanos, formatGoTime, inZone, unixNanos, unixSeconds, ZERO_TIME } from './go-time.ts';
import { parseGoTime } from './go-time-parse.ts';
import { argString, argTime, fn } from './functions-support.ts';
import { GoTime, type GoValue, type TemplateFunction } from './value.ts';

interface Zone {
  readonly offsetAt: (epochMs: number) => number;
  readonly nameAt: (epochMs: number, offsetSeconds: number) => string;
}

const UTC_ZONE: Zone = { offsetAt: () => 0, nameAt: () => 'UTC' };
const zones = new Map<string, Zone>();

function goNumericZoneName(offsetSeconds: number): string {
  const abs = Math.abs(offsetSeconds);
  const h = String(Math.floor(abs / 3600)).padStart(2, '0');
  const m = Math.floor((abs % 3600) / 60);
  return (offsetSeconds < 0 ? '-' : '+') + h + (m === 0 ? '' : String(m).padStart(2, '0'));
}

function intlZone(name: string): Zone {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
  const short = (locale: string) => new Intl.DateTimeFormat(locale, { timeZone: name, timeZoneName: 'short' });
  const us = short('en-US');
  const gb = short('en-GB');
  const offsetAt = (epochMs: number): number => {
    const f: Record<string, number> = {};
    for (const p of parts.formatToParts(new Date(epochMs))) if (p.type !== 'literal') f[p.type] = Number(p.value);
    const wall = Date.UTC(f['year'] ?? 1970, (f['month'] ?? 1) - 1, f['day'] ?? 1, f['hour'] ?? 0, f['minute'] ?? 0, f['second'] ?? 0);
    return Math.round((wall - Math.floor(epochMs / 1000) * 1000) / 1000);
  };
  const zoneText = (fmt: Intl.DateTimeFormat, epochMs: number) =>
    fmt.formatToParts(new Date(epochMs)).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const nameAt = (epochMs: number, offsetSeconds: number): string => {
    for (const fmt of [us, gb]) {
      const text = zoneText(fmt, epochMs);
      if (/^[A-Z]{2,5}$/.test(text) && !(text === 'GMT' && offsetSeconds !== 0)) return text;
    }
    return name === 'Etc/UTC' || name === 'UTC' ? 'UTC' : goNumericZoneName(offsetSeconds);
  };
  return { offsetAt, nameAt };
}

/** time.LoadLocation; unknown names fall back to UTC as sprig does. */
export function loadZone(name: string): Zone {
  if (name === '' || name === 'UTC' || name === 'Local') return UTC_ZONE;
  let zone = zones.get(name);
  if (zone === undefined) {
    try {
      zone = intlZone(name);
    } catch {
      zone = UTC_ZONE;
    }
    if (zones.size < 500) zones.set(name, zone);
  }
  return zone;
}

export function timeInZone(t: GoTime, zoneName: string): GoTime {
  const zone = loadZone(zoneName);
  if (zone === UTC_ZONE) return inZone(t, 0, 'UTC');
  const offset = zone.offsetAt(t.epochMs);
  return inZone(t, offset, zone.nameAt(t.epochMs, offset));
}

function timeFromMs(epochMs: number): GoTime {
  return new GoTime(epochMs, 0, 0, 'UTC', false);
}

function durationRound(v: GoValue, now: () => Date): string {
  let nanos = 0n;
  if (typeof v === 'string') nanos = parseDuration(v) ?? 0n;
  else if (typeof v === 'number') nanos = BigInt(Math.trunc(v));
  else if (v instanceof GoTime) nanos = BigInt(now().getTime()) * 1000000n - unixNanos(v);
  const u = nanos < 0n ? -nanos : nanos;
  const units: [bigint, string][] = [
    [31536000000000000n, 'y'], [2592000000000000n, 'mo'], [86400000000000n, 'd'], [3600000000000n, 'h'], [60000000000n, 'm'], [1000000000n, 's'],
  ];
  for (const [size, suffix] of units) if (u > size) return (u / size).toString() + suffix;
  return '0s';
}

/** Duration.Round(time.Second): halves away from zero. */
function roundToSecond(nanos: bigint): bigint {
  const s = 1000000000n;
  const r = nanos % s;
  const base = nanos - r;
  if (r >= 0n) return r + r < s ? base : base + s;
  return -r - r < s ? base : base - s;
}

export function dateFunctions(now: () => Date): Record<string, TemplateFunction> {
  const toTime = (v: GoValue): GoTime => {
    if (v instanceof GoTime) return v;
    if (typeof v === 'number') return timeFromMs(v * 1000);
    return timeFromMs(now().getTime());
  };
  const dateInZone = (layout: GoValue, date: GoValue, zone: GoValue): string =>
    formatGoTime(timeInZone(toTime(date), argString(zone)), argString(layout));
  const modify = (layout: GoValue, date: GoValue, must: boolean): GoTime => {
    const t = argTime(date);
    const d = parseDuration(argString(layout));
    if (d === undefined) {
      if (must) throw new Error(`time: invalid duration "${argString(layout)}"`);
      return t;
    }
    return addNanos(t, d);
  };
  const toDate = (layout: GoValue, text: GoValue, must: boolean): GoTime => {
    const t = parseGoTime(argString(layout), argString(text));
    if (t === undefined && must) throw new Error(`parsing time ${JSON.stringify(argString(text))} as ${JSON.stringify(argString(layout))}: cannot parse`);
    return t ?? ZERO_TIME;
  };
  return {
    now: fn(0, () => timeFromMs(now().getTime())),
    date: fn(2, (layout, date) => dateInZone(layout, date, 'Local'), false, ['string', 'any']),
    dateInZone: fn(3, dateInZone, false, ['string', 'any', 'string']),
    date_in_zone: fn(3, dateInZone, false, ['string', 'any', 'string']),
    htmlDate: fn(1, (date) => dateInZone('2006-01-02', date, 'Local')),
    htmlDateInZone: fn(2, (date, zone) => dateInZone('2006-01-02', date, zone), false, ['any', 'string']),
    unixEpoch: fn(1, (date) => String(unixSeconds(argTime(date)))),
    toDate: fn(2, (layout, text) => toDate(layout, text, false), false, ['string', 'string']),
    mustToDate: fn(2, (layout, text) => toDate(layout, text, true), false, ['string', 'string']),
    dateModify: fn(2, (layout, date) => modify(layout, date, false), false, ['string', 'any']),
    date_modify: fn(2, (layout, date) => modify(layout, date, false), false, ['string', 'any']),
    mustDateModify: fn(2, (layout, date) => modify(layout, date, true), false, ['string', 'any']),
    must_date_modify: fn(2, (layout, date) => modify(layout, date, true), false, ['string', 'any']),
    duration: fn(1, (sec) => {
      let n = 0n;
      if (typeof sec === 'string') n = /^[+-]?\d+$/.test(sec) ? BigInt(sec) : 0n;
      else if (typeof sec === 'number') n = BigInt(Math.trunc(sec));
      return durationString(n * 1000000000n);
    }),
    durationRound: fn(1, (v) => durationRound(v, now)),
    ago: fn(1, (date) => {
      const t = toTime(date);
      const since = BigInt(now().getTime()) * 1000000n - unixNanos(t);
      return durationString(roundToSecond(since));
    }),
  };
}
