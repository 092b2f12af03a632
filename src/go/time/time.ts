// Go's time package as far as templates can observe it: RFC 3339 parsing, layout formatting
// (`2006-01-02T15:04:05Z07:00`), Time.String, and the Kubernetes metav1.Time / MicroTime
// flavours whose JSON differs from time.Time's.
import { formatGoTime } from './format.ts';
import { GoTime } from '../template/value.ts';

export { formatGoTime };

/** Milliseconds from the Unix epoch to Go's zero time, 0001-01-01T00:00:00Z. */
export const ZERO_EPOCH_MS = -62135596800000;
export const ZERO_TIME = new GoTime(ZERO_EPOCH_MS, 0, 0, 'UTC', true);

export const KUBE_TIME_KINDS = ['metav1', 'micro'] as const;
export type KubeTimeKind = (typeof KUBE_TIME_KINDS)[number];

/** A metav1.Time (JSON: RFC 3339 seconds, UTC) or metav1.MicroTime (microseconds); zero → null. */
export class KubeTime extends GoTime {
  constructor(
    base: GoTime,
    readonly kind: KubeTimeKind,
  ) {
    super(base.epochMs, base.extraNanos, base.offsetSeconds, base.zoneName, base.isZero);
  }
}

export const ZERO_META_TIME = new KubeTime(ZERO_TIME, 'metav1');
export const ZERO_MICRO_TIME = new KubeTime(ZERO_TIME, 'micro');

const RFC3339_RE =
  /^(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(?:([Zz])|([+-])(\d\d):(\d\d))$/;

/**
 * Parses an RFC 3339 timestamp (any number of fraction digits) into UTC, as the exporter's
 * `pt.Local()` does in a UTC container. Undefined when the text is not a valid timestamp.
 */
export function parseRfc3339(text: string): GoTime | undefined {
  const m = RFC3339_RE.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, min, sec] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year) || hour > 23 || min > 59 || sec > 59)
    return undefined;
  let offsetSeconds = 0;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offsetSeconds = (m[9] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  const frac = ((m[7] ?? '') + '000000000').slice(0, 9);
  const nanos = Number(frac);
  const epochMs = utcMs(year, month, day, hour, min, sec) - offsetSeconds * 1000 + Math.floor(nanos / 1e6);
  return new GoTime(epochMs, nanos % 1e6, 0, 'UTC', epochMs === ZERO_EPOCH_MS && nanos === 0);
}

/** An event timestamp as the exporter sees it: zero when absent, null or unparseable. */
export function kubeTime(text: unknown, kind: KubeTimeKind): KubeTime {
  if (typeof text !== 'string' || text === '') return kind === 'metav1' ? ZERO_META_TIME : ZERO_MICRO_TIME;
  const t = parseRfc3339(text);
  if (t === undefined) return kind === 'metav1' ? ZERO_META_TIME : ZERO_MICRO_TIME;
  return new KubeTime(t, kind);
}

export function utcMs(year: number, month: number, day: number, hour = 0, min = 0, sec = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, min, sec, 0);
  return d.getTime();
}

export function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

export function daysIn(month: number, year: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 31;
}

export interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  min: number;
  sec: number;
  nanos: number;
  weekday: number;
  yearDay: number;
}

/** The wall-clock fields of a time in its own zone. */
export function civil(t: GoTime): Civil {
  const local = t.epochMs + t.offsetSeconds * 1000;
  const d = new Date(local);
  const msInSec = ((local % 1000) + 1000) % 1000;
  const year = d.getUTCFullYear();
  const startOfYear = utcMs(year, 1, 1);
  return {
    year,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    min: d.getUTCMinutes(),
    sec: d.getUTCSeconds(),
    nanos: msInSec * 1e6 + t.extraNanos,
    weekday: d.getUTCDay(),
    yearDay: Math.floor((local - startOfYear) / 86400000) + 1,
  };
}

/** Seconds since the Unix epoch (floor), as Time.Unix. */
export function unixSeconds(t: GoTime): number {
  return Math.floor(t.epochMs / 1000);
}

/** Time.UnixNano with Go's int64 wrap-around (the zero time overflows). */
export function unixNanos(t: GoTime): bigint {
  const sec = BigInt(unixSeconds(t));
  const nanos = BigInt((((t.epochMs % 1000) + 1000) % 1000) * 1e6 + t.extraNanos);
  return BigInt.asIntN(64, sec * 1000000000n + nanos);
}

/** The same instant in another zone. */
export function inZone(t: GoTime, offsetSeconds: number, zoneName: string): GoTime {
  return new GoTime(t.epochMs, t.extraNanos, offsetSeconds, zoneName, t.isZero);
}

export function toUtc(t: GoTime): GoTime {
  return t.offsetSeconds === 0 && t.zoneName === 'UTC' ? t : inZone(t, 0, 'UTC');
}

/** Adds a duration; the result is a plain time.Time. */
export function addNanos(t: GoTime, nanos: bigint): GoTime {
  const total = BigInt(t.epochMs) * 1000000n + BigInt(t.extraNanos) + nanos;
  const ms = total / 1000000n - (total % 1000000n < 0n ? 1n : 0n);
  const extra = Number(total - ms * 1000000n);
  const epochMs = Number(ms);
  return new GoTime(
    epochMs,
    extra,
    t.offsetSeconds,
    t.zoneName,
    epochMs === ZERO_EPOCH_MS && extra === 0 && t.offsetSeconds === 0,
  );
}

export const RFC3339 = '2006-01-02T15:04:05Z07:00';
export const RFC3339_NANO = '2006-01-02T15:04:05.999999999Z07:00';
export const RFC3339_MICRO = '2006-01-02T15:04:05.000000Z07:00';
export const TIME_STRING_LAYOUT = '2006-01-02 15:04:05.999999999 -0700 MST';

/** time.Time.String (without the monotonic clock reading parsed times never have). */
export function timeString(t: GoTime): string {
  return formatGoTime(t, TIME_STRING_LAYOUT);
}

const SECONDS_RE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)Z$/;
const MICROS_RE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

/** What encoding/json writes for a time value (without quotes when not null). */
export function timeJson(t: GoTime, source?: string): string | null {
  if (t instanceof KubeTime) {
    if (t.isZero) return null;
    if (t.kind === 'metav1') {
      if (source !== undefined && SECONDS_RE.test(source)) return source;
      return formatGoTime(toUtc(t), RFC3339);
    }
    if (source !== undefined && MICROS_RE.test(source)) return source;
    return formatGoTime(toUtc(t), RFC3339_MICRO);
  }
  return formatGoTime(t, RFC3339_NANO);
}
