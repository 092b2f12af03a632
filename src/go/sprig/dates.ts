// sprig's date functions. Go's Local zone is UTC here (the exporter runs in a UTC container).
// Deviation, on purpose: Kubernetes timestamps (`.FirstTimestamp`, a metav1.Time) are accepted
// wherever sprig wants a time; Go would silently format time.Now() for them or fail.
import { durationString, parseDuration } from '../time/duration.ts';
import { addNanos, formatGoTime, inZone, unixNanos, unixSeconds, ZERO_TIME } from '../time/time.ts';
import { parseGoTime } from '../time/parse.ts';
import { loadZone, UTC_ZONE } from '../time/zone.ts';
import { argString, argTime, fn } from './support.ts';
import { GoTime, type GoValue, type TemplateFunction } from '../template/value.ts';

export function timeInZone(t: GoTime, zoneName: string): GoTime {
  const zone = loadZone(zoneName) ?? UTC_ZONE;
  const { offsetSeconds, name } = zone.at(t.epochMs);
  return inZone(t, offsetSeconds, name);
}

function timeFromMs(epochMs: number): GoTime {
  return new GoTime(epochMs, 0, 0, 'UTC', false);
}

function durationRound(v: GoValue, now: () => Date): string {
  let nanos = 0n;
  if (typeof v === 'string') nanos = parseDuration(v) ?? 0n;
  else if (typeof v === 'number' || typeof v === 'bigint') nanos = BigInt(v);
  else if (v instanceof GoTime) nanos = BigInt(now().getTime()) * 1000000n - unixNanos(v);
  const u = nanos < 0n ? -nanos : nanos;
  const units: [bigint, string][] = [
    [31536000000000000n, 'y'],
    [2592000000000000n, 'mo'],
    [86400000000000n, 'd'],
    [3600000000000n, 'h'],
    [60000000000n, 'm'],
    [1000000000n, 's'],
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
    if (typeof v === 'number' || typeof v === 'bigint') return timeFromMs(Number(v) * 1000);
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
    if (t === undefined && must)
      throw new Error(
        `parsing time ${JSON.stringify(argString(text))} as ${JSON.stringify(argString(layout))}: cannot parse`,
      );
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
      else if (typeof sec === 'number' || typeof sec === 'bigint') n = BigInt(sec);
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
