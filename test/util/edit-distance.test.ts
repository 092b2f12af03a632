import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editDistance } from '../../src/util/edit-distance.ts';

describe('editDistance', () => {
  const cases = [
    { a: '', b: '', d: 0 },
    { a: '', b: 'abc', d: 3 },
    { a: 'receiver', b: 'receiver', d: 0 },
    { a: 'reciever', b: 'receiver', d: 1, why: 'transposed neighbours are one edit' },
    { a: 'nmae', b: 'name', d: 1 },
    { a: 'namespace', b: 'namespaces', d: 1, why: 'insertion' },
    { a: 'Reason', b: 'Reasn', d: 1, why: 'deletion' },
    { a: 'kind', b: 'king', d: 1, why: 'substitution' },
    { a: 'Kind', b: 'kind', d: 1, why: 'case counts; callers lower-case when it should not' },
    { a: 'ca', b: 'abc', d: 3, why: 'optimal string alignment: no edit of a transposed pair' },
    { a: 'maxEventAgeSeconds', b: 'maxEventAgeSecond', d: 1 },
    { a: 'webhook', b: 'slack', d: 6 },
  ] as const;
  for (const c of cases) {
    it(`${JSON.stringify(c.a)} → ${JSON.stringify(c.b)} = ${c.d}`, () => {
      assert.equal(editDistance(c.a, c.b), c.d);
      assert.equal(editDistance(c.b, c.a), c.d, 'symmetric');
    });
  }
});
