// Converts a differential case's JSON data to the template value model exactly as
// test/template/go/render.go converts it for Go (see the convention at the top of that file).
import { GoDuration, GoFloat, GoFuncValue, GoMap, GoTime } from '../../src/go/template/value.ts';
import type { GoValue, TemplateFunction } from '../../src/go/template/value.ts';
import { intFromBigInt } from '../../src/go/int64.ts';

/** The Go harness's test functions (for `call`). */
export const TEST_FUNCS: ReadonlyMap<string, TemplateFunction> = new Map<string, TemplateFunction>([
  ['add', { call: (a, b) => (a as number) + (b as number), arity: 2, params: ['int', 'int'] }],
  ['greet', { call: (s) => 'hello ' + (s as string), arity: 1, params: ['string'] }],
  [
    'fail',
    {
      call: () => {
        throw new Error('boom');
      },
      arity: 0,
    },
  ],
]);

const UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** time.ParseDuration for the forms cases use (e.g. "1h2m0.5s", "-1.5ms"). */
export function parseDuration(text: string): GoDuration {
  const neg = text.startsWith('-');
  let rest = text.replace(/^[+-]/, '');
  if (rest === '0') return new GoDuration(0n);
  let total = 0n;
  while (rest.length > 0) {
    const m = /^(\d+)(?:\.(\d+))?(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (m === null) throw new Error(`bad duration ${text}`);
    const [all, whole = '0', frac = '', unit = 's'] = m;
    const scale = UNITS[unit] as bigint;
    total += BigInt(whole) * scale + (frac === '' ? 0n : (BigInt(frac) * scale) / 10n ** BigInt(frac.length));
    rest = rest.slice(all.length);
  }
  return new GoDuration(neg ? -total : total);
}

/** time.Parse(time.RFC3339Nano, text): "Z" is UTC; other offsets get a nameless fixed zone. */
export function parseTime(text: string): GoTime {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|([+-])(\d\d):(\d\d))$/.exec(text);
  if (m === null) throw new Error(`bad time ${text}`);
  const [, y, mo, d, h, mi, s, frac = '', zone, sign, oh = '0', om = '0'] = m;
  const nanos = Number(frac.padEnd(9, '0'));
  const offset = zone === 'Z' ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60);
  const localMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const epochMs = localMs - offset * 1000 + Math.floor(nanos / 1e6);
  const zoneName = zone === 'Z' ? 'UTC' : `${sign}${oh}${om}`;
  return new GoTime(epochMs, nanos % 1e6, offset, zoneName);
}

function typed(kind: string, v: unknown): GoValue {
  switch (kind) {
    case '$float':
      return new GoFloat(v as number);
    case '$time':
      return parseTime(v as string);
    case '$duration':
      return parseDuration(v as string);
    case '$int':
      return intFromBigInt(BigInt(v as string));
    case '$func': {
      const fn = TEST_FUNCS.get(v as string);
      if (fn === undefined) throw new Error(`unknown test func ${String(v)}`);
      return new GoFuncValue(fn);
    }
  }
  throw new Error(`unknown typed wrapper ${kind}`);
}

/** JSON → GoValue: integral numbers are int (below 1e15), others float64; `$` wrappers typed. */
export function toGoValue(v: unknown): GoValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e15 ? v : new GoFloat(v);
  if (Array.isArray(v)) return v.map(toGoValue);
  if (typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0]?.startsWith('$'))
      return typed(keys[0], (v as Record<string, unknown>)[keys[0]]);
    const out: Record<string, GoValue> = {};
    for (const k of keys) out[k] = toGoValue((v as Record<string, unknown>)[k]);
    return new GoMap(out);
  }
  throw new Error(`unsupported JSON value ${String(v)}`);
}
