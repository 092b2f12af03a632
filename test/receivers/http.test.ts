import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRetryAfter } from '../../src/receivers/common/http-status.ts';
import { redactSecrets, urlSecrets } from '../../src/receivers/common/secrets.ts';

const NOW = Date.UTC(2026, 0, 1, 0, 0, 0);

describe('Retry-After', () => {
  const cases: [string | undefined, number | undefined][] = [
    ['120', 120_000],
    [' 0 ', 0],
    ['Thu, 01 Jan 2026 00:01:00 GMT', 60_000],
    ['Wed, 31 Dec 2025 23:00:00 GMT', 0],
    ['1.5', undefined],
    ['-3', undefined],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [value, expected] of cases) {
    it(`${JSON.stringify(value)} → ${String(expected)}`, () =>
      assert.equal(parseRetryAfter(value, NOW), expected));
  }
});

describe('secrets in error text', () => {
  it('finds the credentials an endpoint carries', () => {
    assert.deepEqual(urlSecrets('https://bob:p%40ss@h.example/x?token=abc123&v=2'), [
      'bob',
      'p%40ss',
      'p@ss',
      'abc123',
      '2',
    ]);
    assert.deepEqual(urlSecrets('not a url'), []);
  });

  it('hides every occurrence of each secret of 4 characters or more', () => {
    assert.equal(
      redactSecrets('key abc123 again abc123, user bob, v=2', ['abc123', 'bob', '2']),
      'key [Redacted] again [Redacted], user bob, v=2',
    );
  });
});
