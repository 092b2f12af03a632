// time.Duration's String and time.ParseDuration, exactly as Go formats and accepts them.

const SECOND = 1000000000n;

/** Fraction of v / 10^prec without trailing zeros (and no point when it is zero), as Go's fmtFrac. */
function fracPart(v: bigint, prec: number): { text: string; rest: bigint } {
  let text = '';
  let printed = false;
  let u = v;
  for (let i = 0; i < prec; i++) {
    const digit = u % 10n;
    printed = printed || digit !== 0n;
    if (printed) text = digit.toString() + text;
    u /= 10n;
  }
  return { text: printed ? '.' + text : '', rest: u };
}

/** time.Duration.String: "1h2m3.5s", "1.5ms", "0s". */
export function durationString(nanos: bigint): string {
  const d = BigInt.asIntN(64, nanos);
  const neg = d < 0n;
  const u = BigInt.asUintN(64, neg ? -d : d);
  let out: string;
  if (u < SECOND) {
    if (u === 0n) return '0s';
    let prec: number;
    let unit: string;
    if (u < 1000n) [prec, unit] = [0, 'ns'];
    else if (u < 1000000n) [prec, unit] = [3, 'µs'];
    else [prec, unit] = [6, 'ms'];
    const f = fracPart(u, prec);
    out = f.rest.toString() + f.text + unit;
  } else {
    const f = fracPart(u, 9);
    let rest = f.rest;
    out = (rest % 60n).toString() + f.text + 's';
    rest /= 60n;
    if (rest > 0n) {
      out = (rest % 60n).toString() + 'm' + out;
      rest /= 60n;
      if (rest > 0n) out = rest.toString() + 'h' + out;
    }
  }
  return neg ? '-' + out : out;
}

const UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n,
  μs: 1000n,
  ms: 1000000n,
  s: SECOND,
  m: 60n * SECOND,
  h: 3600n * SECOND,
};

const PART_RE = /^(\d*)(?:\.(\d*))?([^\d.]+)/;
const MAX_INT64 = (1n << 63n) - 1n;

/** time.ParseDuration; undefined where Go returns an error. */
export function parseDuration(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  let total = 0n;
  while (s !== '') {
    const m = PART_RE.exec(s);
    if (m === null) return undefined;
    const [whole, intDigits = '', fracDigits, unitName = ''] = m;
    if (intDigits === '' && (fracDigits === undefined || fracDigits === '')) return undefined;
    const unit = UNITS[unitName];
    if (unit === undefined) return undefined;
    let v = BigInt(intDigits === '' ? '0' : intDigits) * unit;
    if (fracDigits !== undefined && fracDigits !== '') {
      v += BigInt(Math.trunc(Number(fracDigits) * (Number(unit) / 10 ** fracDigits.length)));
    }
    total += v;
    if (total > MAX_INT64 + (neg ? 1n : 0n)) return undefined;
    s = s.slice(whole.length);
  }
  return neg ? -total : total;
}
