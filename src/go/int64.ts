// Go's int64, exact over its whole range and wrapping on overflow as Go does, without making the
// common case slow: an int is a JS number while it is a safe integer (|v| < 2^53, exact in a
// double) and a bigint only beyond. The form is canonical (a value in the safe range is never a
// bigint), so equality stays `===` and a number never equals a bigint.

export type GoInt = number | bigint;

export const MAX_INT64 = 2n ** 63n - 1n;
export const MIN_INT64 = -(2n ** 63n);

/** The canonical GoInt of any bigint, wrapped to int64 as Go's arithmetic wraps. */
export function intFromBigInt(v: bigint): GoInt {
  const wrapped = BigInt.asIntN(64, v);
  return wrapped >= -9007199254740991n && wrapped <= 9007199254740991n ? Number(wrapped) : wrapped;
}

export function isGoInt(v: unknown): v is GoInt {
  return typeof v === 'number' || typeof v === 'bigint';
}

export function toBigInt(v: GoInt): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}

/** float64(i): the nearest double, as Go's conversion rounds. */
export function intToFloat(v: GoInt): number {
  return typeof v === 'bigint' ? Number(v) : v;
}

/**
 * int64(f) as Go compiles it on amd64 (CVTTSD2SQ): truncation toward zero; NaN, ±Inf and values
 * outside the int64 range give the "integer indefinite" value, math.MinInt64.
 */
export function intFromFloat(f: number): GoInt {
  const t = Math.trunc(f);
  if (Number.isSafeInteger(t)) return t === 0 ? 0 : t;
  if (!Number.isFinite(t) || t >= 2 ** 63 || t < -(2 ** 63)) return MIN_INT64;
  return intFromBigInt(BigInt(t));
}

export function intAdd(a: GoInt, b: GoInt): GoInt {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  return intFromBigInt(toBigInt(a) + toBigInt(b));
}

export function intSub(a: GoInt, b: GoInt): GoInt {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isSafeInteger(r)) return r;
  }
  return intFromBigInt(toBigInt(a) - toBigInt(b));
}

export function intMul(a: GoInt, b: GoInt): GoInt {
  if (typeof a === 'number' && typeof b === 'number') {
    // A rounded product inside the safe range means the exact one is there too, hence exact.
    const r = a * b;
    if (Number.isSafeInteger(r)) return r === 0 ? 0 : r;
  }
  return intFromBigInt(toBigInt(a) * toBigInt(b));
}

/** Go's a / b on int64: truncated; MinInt64 / -1 wraps to MinInt64. `b` must not be 0. */
export function intDiv(a: GoInt, b: GoInt): GoInt {
  if (typeof a === 'number' && typeof b === 'number') {
    // `%` on doubles is exact, so a - a % b is an exact multiple of b and the quotient exact.
    const q = (a - (a % b)) / b;
    return q === 0 ? 0 : q;
  }
  return intFromBigInt(toBigInt(a) / toBigInt(b));
}

/** Go's a % b on int64: the sign of the dividend. `b` must not be 0. */
export function intMod(a: GoInt, b: GoInt): GoInt {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a % b;
    return r === 0 ? 0 : r;
  }
  return intFromBigInt(toBigInt(a) % toBigInt(b));
}

/** JS compares a number with a bigint exactly. */
export function intMax(a: GoInt, b: GoInt): GoInt {
  return b > a ? b : a;
}

export function intMin(a: GoInt, b: GoInt): GoInt {
  return b < a ? b : a;
}

const INT_TEXT = /^[+-]?\d+$/;

/**
 * strconv.ParseInt(text, 10, 64) as sprig's callers use it: the value, or the int64 bound it
 * passed (`range`), or undefined on a syntax error.
 */
export function parseDecimalInt(text: string): { value: GoInt; range: boolean } | undefined {
  if (!INT_TEXT.test(text)) return undefined;
  const big = BigInt(text);
  if (big > MAX_INT64) return { value: MAX_INT64, range: true };
  if (big < MIN_INT64) return { value: MIN_INT64, range: true };
  return { value: intFromBigInt(big), range: false };
}
