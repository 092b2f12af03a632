// The int64 model (src/go/int64.ts) against BigInt.asIntN(64, …), which is exactly Go's int64
// arithmetic: seeded operands from every region where doubles stop being exact.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type GoInt,
  intAdd,
  intDiv,
  intFromBigInt,
  intFromFloat,
  intMod,
  intMul,
  intSub,
  MAX_INT64,
  MIN_INT64,
  parseDecimalInt,
} from '../../src/go/int64.ts';
import { Rng } from '../fuzz/rng.ts';

const SAFE = 2n ** 53n - 1n;
// Around 0, around ±2^31, ±2^53 and ±2^63, and anywhere in int64.
const CENTRES = [0n, 2n ** 31n, -(2n ** 31n), SAFE, -SAFE, MAX_INT64, MIN_INT64, 1616544482277000000n];

function operand(rng: Rng): bigint {
  if (rng.chance(0.2)) {
    let v = 0n;
    for (let i = 0; i < 4; i++) v = (v << 16n) | BigInt(rng.int(65536));
    return BigInt.asIntN(64, v);
  }
  return BigInt.asIntN(64, rng.pick(CENTRES) + BigInt(rng.int(2001) - 1000));
}

function canonical(v: GoInt): bigint {
  if (typeof v === 'number') {
    assert.ok(Number.isSafeInteger(v) && !Object.is(v, -0), `number ${v} is a safe integer, not -0`);
    return BigInt(v);
  }
  assert.ok(v > SAFE || v < -SAFE, `bigint ${v} only beyond 2^53`);
  assert.ok(v <= MAX_INT64 && v >= MIN_INT64);
  return v;
}

const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);

const OPS: { name: string; ours: (a: GoInt, b: GoInt) => GoInt; go: (a: bigint, b: bigint) => bigint }[] = [
  { name: '+', ours: intAdd, go: (a, b) => wrap(a + b) },
  { name: '-', ours: intSub, go: (a, b) => wrap(a - b) },
  { name: '*', ours: intMul, go: (a, b) => wrap(a * b) },
  { name: '/', ours: intDiv, go: (a, b) => wrap(a / b) },
  { name: '%', ours: intMod, go: (a, b) => wrap(a % b) },
];

describe('int64 arithmetic', () => {
  for (const op of OPS) {
    it(`a ${op.name} b equals Go's int64 result on 20,000 seeded operand pairs`, () => {
      const rng = new Rng(0x1e64 + op.name.charCodeAt(0));
      for (let i = 0; i < 20_000; i++) {
        const a = operand(rng);
        const b = operand(rng);
        if ((op.name === '/' || op.name === '%') && b === 0n) continue;
        const got = canonical(op.ours(intFromBigInt(a), intFromBigInt(b)));
        assert.equal(got, op.go(a, b), `${a} ${op.name} ${b}`);
      }
    });
  }

  it('converts floats as Go on amd64 does, out of range to MinInt64', () => {
    const cases: [number, bigint][] = [
      [3.9, 3n],
      [-3.9, -3n],
      [-0.5, 0n],
      [1e18, 1000000000000000000n],
      [9.2e18, 9200000000000000000n],
      [2 ** 63, MIN_INT64],
      [-(2 ** 63), MIN_INT64],
      [1e19, MIN_INT64],
      [NaN, MIN_INT64],
      [Infinity, MIN_INT64],
    ];
    for (const [f, want] of cases) assert.equal(canonical(intFromFloat(f)), want, String(f));
  });

  it('parses decimal text exactly, clamping out-of-range values as strconv does', () => {
    assert.deepEqual(parseDecimalInt('9223372036854775807'), { value: MAX_INT64, range: false });
    assert.deepEqual(parseDecimalInt('9223372036854775808'), { value: MAX_INT64, range: true });
    assert.deepEqual(parseDecimalInt('-9223372036854775809'), { value: MIN_INT64, range: true });
    assert.deepEqual(parseDecimalInt('1616544482276999999'), { value: 1616544482276999999n, range: false });
    assert.deepEqual(parseDecimalInt('+42'), { value: 42, range: false });
    assert.equal(parseDecimalInt('4 2'), undefined);
  });
});
