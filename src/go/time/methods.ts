// The argument-less methods of time.Time a template can call on a time value
// (`{{ .LastTimestamp.UnixNano }}`: metav1.Time embeds time.Time, so its methods are promoted).
// Integer results are Go's int64, exact (../int64.ts).
import { type GoInt, intFromBigInt } from '../int64.ts';
import { formatTime } from '../template/print.ts';
import { GoTime, type GoValue } from '../template/value.ts';
import { civil, unixNanos, unixSeconds } from './time.ts';

type TimeMethod = (t: GoTime) => GoValue;

const unixMicro = (t: GoTime): GoInt =>
  intFromBigInt(BigInt(t.epochMs) * 1000n + BigInt(Math.floor(t.extraNanos / 1000)));

export const TIME_METHODS: ReadonlyMap<string, TimeMethod> = new Map<string, TimeMethod>([
  ['Unix', (t) => unixSeconds(t)],
  ['UnixMilli', (t) => t.epochMs],
  ['UnixMicro', unixMicro],
  ['UnixNano', (t) => intFromBigInt(unixNanos(t))],
  ['Year', (t) => civil(t).year],
  ['YearDay', (t) => civil(t).yearDay],
  ['Day', (t) => civil(t).day],
  ['Hour', (t) => civil(t).hour],
  ['Minute', (t) => civil(t).min],
  ['Second', (t) => civil(t).sec],
  ['Nanosecond', (t) => civil(t).nanos],
  ['IsZero', (t) => t.isZero],
  ['UTC', (t) => new GoTime(t.epochMs, t.extraNanos, 0, 'UTC', t.isZero)],
  ['String', (t) => formatTime(t)],
]);
