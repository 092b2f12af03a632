import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goJsonString, goJsonStringify } from '../../src/go/json.ts';

// Expected bytes are what Go 1.19's encoding/json writes for the same strings.
const cases: { name: string; input: string; html: string; raw: string }[] = [
  {
    name: 'plain',
    input: 'Started container web',
    html: '"Started container web"',
    raw: '"Started container web"',
  },
  {
    name: 'quotes and backslash',
    input: 'Pulling image "a\\b"',
    html: '"Pulling image \\"a\\\\b\\""',
    raw: '"Pulling image \\"a\\\\b\\""',
  },
  { name: 'html characters', input: '<a&b>', html: '"\\u003ca\\u0026b\\u003e"', raw: '"<a&b>"' },
  { name: 'quotes with html', input: '"x" < 3', html: '"\\"x\\" \\u003c 3"', raw: '"\\"x\\" < 3"' },
  { name: 'newline, tab, CR', input: 'a\nb\tc\rd', html: '"a\\nb\\tc\\rd"', raw: '"a\\nb\\tc\\rd"' },
  {
    name: 'backspace and form feed',
    input: 'a\bb\fc"',
    html: '"a\\u0008b\\u000cc\\""',
    raw: '"a\\u0008b\\u000cc\\""',
  },
  { name: 'other control characters', input: 'a\u0001"', html: '"a\\u0001\\""', raw: '"a\\u0001\\""' },
  {
    name: 'line and paragraph separators',
    input: 'a\u2028b\u2029"',
    html: '"a\\u2028b\\u2029\\""',
    raw: '"a\\u2028b\\u2029\\""',
  },
  { name: 'lone surrogate', input: 'a\ud800"', html: '"a\\ufffd\\""', raw: '"a\\ufffd\\""' },
  { name: 'surrogate pair kept', input: 'ok 🚀 "', html: '"ok 🚀 \\""', raw: '"ok 🚀 \\""' },
];

describe('goJsonString', () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(goJsonString(c.input), c.html);
      assert.equal(goJsonString(c.input, false), c.raw);
    });
  }

  it('sorts keys and escapes them as Go does', () => {
    assert.equal(
      goJsonStringify({ b: '<1>', a: ['x', 2, true, null], 'c&d': { z: 1, y: 'q"' } }),
      '{"a":["x",2,true,null],"b":"\\u003c1\\u003e","c\\u0026d":{"y":"q\\"","z":1}}',
    );
  });
});
