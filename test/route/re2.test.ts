import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  RegexSyntaxError,
  compileRe2,
  globToRegex,
  looksLikeGlob,
  translateRe2,
} from '../../src/go/re2/re2.ts';

describe('translateRe2', () => {
  const cases: [pattern: string, source: string, flags: string][] = [
    ['Pod', 'Pod', 'u'],
    ['^Pod$', '^Pod$', 'u'],
    ['(?i)warning', 'warning', 'iu'],
    ['(?s)a.b', 'a.b', 'su'],
    ['(?m)^a$', '^a$', 'mu'],
    ['(?is)a.b', 'a.b', 'isu'],
    ['(?i)(?m)x', 'x', 'imu'],
    ['(?-i)x', 'x', 'u'],
    ['(?P<app>[a-z]+)', '(?<app>[a-z]+)', 'u'],
    ['(?<app>x)', '(?<app>x)', 'u'],
    ['done\\z', 'done$', 'u'],
    ['\\Astart', '^start', 'u'],
    ['(?m)\\Aa\\z', '(?<![^])a(?![^])', 'mu'],
    ['\\Qa.b*c\\E+', 'a\\.b\\*c+', 'u'],
    ['\\Q(unterminated', '\\(unterminated', 'u'],
    ['\\Q\\E', '', 'u'],
    ['[[:alpha:]]', '[A-Za-z]', 'u'],
    ['[[:digit:]_-]', '[0-9_\\-]', 'u'],
    ['[[:space:]]', '[\\u{9}-\\u{d} ]', 'u'],
    ['[[:^digit:]]', '[\\u{0}-\\/:-\\u{10ffff}]', 'u'],
    ['[^[:upper:]]', '[^A-Z]', 'u'],
    ['\\pL', '\\p{L}', 'u'],
    ['\\PN', '\\P{N}', 'u'],
    ['\\p{Greek}', '\\p{Script=Greek}', 'u'],
    ['\\p{^Greek}', '\\P{Script=Greek}', 'u'],
    ['\\P{^Lu}', '\\p{Lu}', 'u'],
    ['[\\p{Han}a]', '[a\\p{Script=Han}]', 'u'],
    ['a\\-b', 'a-b', 'u'],
    ['a\\#b\\:c', 'a#b:c', 'u'],
    ['[\\-a]', '[\\-a]', 'u'],
    ['[a-]', '[a\\-]', 'u'],
    ['[]a]', '[\\]a]', 'u'],
    ['[^]a]', '[^\\]a]', 'u'],
    ['a]b}', 'a\\]b\\}', 'u'],
    ['x{2}y{2,}z{2,3}', 'x{2}y{2,}z{2,3}', 'u'],
    ['y{,2}', 'y\\{,2\\}', 'u'],
    ['a{b', 'a\\{b', 'u'],
    ['(?U)a+b*?c??', 'a+?b*c?', 'u'],
    ['a(?U:x*)', 'a(?:x*?)', 'u'],
    ['\\x41\\x{1F600}', 'A😀', 'u'],
    ['\\101\\0\\01', 'A\\u{0}\\u{1}', 'u'],
    ['\\a\\f\\t\\n\\r\\v', '\\u{7}\\u{c}\\u{9}\\u{a}\\u{d}\\u{b}', 'u'],
    ['a(?i)bk', 'a[Bb][Kk\u212a]', 'u'],
    ['a(?i:b)c', 'a(?:[Bb])c', 'u'],
    ['(?i)a(?-i)b', '[Aa]b', 'u'],
    ['(?i)a(?-i:b)c', '[Aa](?:b)[Cc]', 'u'],
    ['x(?i:[a-b]1)', 'x(?:[a-bAB]1)', 'u'],
    ['x(?i)\\d\\pL', 'x\\d\\p{L}', 'u'],
    ['x(?s:.).', 'x(?:[^]).', 'u'],
    ['(?s)x(?-s:.).', 'x(?:[^\\n\\r\\u2028\\u2029]).', 'su'],
    ['a(?m:^b$)', 'a(?:(?<![^\\n\\r\\u2028\\u2029])b(?![^\\n\\r\\u2028\\u2029]))', 'u'],
    ['(?m)a(?-m:$)', 'a(?:(?![^]))', 'mu'],
    ['(?=a)x(?!b)(?<=c)(?<!d)', '(?=a)x(?!b)(?<=c)(?<!d)', 'u'],
    ['(a)\\1', '(a)\\1', 'u'],
    ['(?<n>a)\\k<n>', '(?<n>a)\\k<n>', 'u'],
    ['\\u0041\\u{42}\\uD83D\\uDE00', 'AB😀', 'u'],
    ['\\cJ', '\\u{a}', 'u'],
    ['a/b', 'a\\/b', 'u'],
    ['\\d\\D\\s\\S\\w\\W\\b\\B', '\\d\\D\\s\\S\\w\\W\\b\\B', 'u'],
    ['[\\b]', '[\\u{8}]', 'u'],
    ['a|(?:b)|', 'a|(?:b)|', 'u'],
  ];
  for (const [pattern, source, flags] of cases) {
    it(`${pattern} → /${source}/${flags}`, () => {
      assert.deepEqual(translateRe2(pattern), { source, flags });
      compileRe2(pattern); // and ECMAScript accepts the translation
    });
  }
});

describe('compileRe2 matching', () => {
  const cases: [pattern: string, input: string, matches: boolean][] = [
    ['Pod', 'PodDisruptionBudget', true],
    ['^Pod$', 'PodDisruptionBudget', false],
    ['(?i)^warning$', 'Warning', true],
    ['(?P<x>kube-.*)', 'kube-system', true],
    ['end\\z', 'the end', true],
    ['end\\z', 'end\n', false],
    ['^.$', '😀', true], // one code point, as in Go
    ['^...$', 'ÄÖÜ', true],
    ['\\p{Greek}', 'αβγ', true],
    ['\\p{Greek}', 'abc', false],
    ['[[:upper:]]+', 'abc', false],
    ['(?s)a.b', 'a\nb', true],
    ['a.b', 'a\nb', false],
    ['x(?s:.)', 'x\n', true],
    ['(?m)^b', 'a\nb', true],
    ['^b', 'a\nb', false],
    ['a(?m:^b)', 'a\nb', false], // ^ needs a preceding newline, which "a" is not
    ['(?:a\n)(?m:^b)', 'a\nb', true],
    ['\\Qa.b\\E', 'axb', false],
    ['\\Qa.b\\E', 'a.b', true],
    ['a(?i)b', 'aB', true],
    ['a(?i)b', 'AB', false],
    ['(?i)a(?-i)b', 'Ab', true],
    ['(?i)a(?-i)b', 'AB', false],
    ['x(?i)k', 'x\u212a', true], // KELVIN SIGN folds to k, as with the i flag
    ['x(?i)[^k]', 'xK', false],
    ['(?U)<.+>', '<a><b>', true],
    ['y{,2}', 'y{,2}', true],
    ['[[:^digit:]]', '5', false],
    ['[[:^digit:]]', 'x', true],
    ['(?i)\\p{Lu}', 'a', true],
  ];
  for (const [pattern, input, expected] of cases) {
    it(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(input)}`, () => {
      assert.equal(compileRe2(pattern).test(input), expected);
    });
  }
  it('(?U) makes quantifiers lazy and ? greedy', () => {
    assert.equal(compileRe2('(?U)<.+>').exec('<a><b>')?.[0], '<a>');
    assert.equal(compileRe2('(?U)<.+?>').exec('<a><b>')?.[0], '<a><b>');
  });
  it('named groups from (?P<name>) are readable', () => {
    assert.equal(compileRe2('(?P<ns>kube-[a-z]+)').exec('in kube-system')?.groups?.['ns'], 'kube-system');
  });
});

describe('compileRe2 errors', () => {
  const cases: [pattern: string, message: string][] = [
    ['*test*', 'invalid regular expression "*test*" (looks like a glob; did you mean ".*test.*"?)'],
    ['?app', 'invalid regular expression "?app" (looks like a glob; did you mean ".app"?)'],
    ['(', 'invalid regular expression "(": missing closing )'],
    ['a)', 'invalid regular expression "a)": unexpected )'],
    ['[a', 'invalid regular expression "[a": missing closing ]'],
    ['[a\\', 'invalid regular expression "[a\\": missing closing ]'],
    ['(*)', 'invalid regular expression "(*)": missing argument to repetition operator: `*`'],
    ['a|*', 'invalid regular expression "a|*": missing argument to repetition operator: `*`'],
    ['(a)**', 'invalid regular expression "(a)**": invalid nested repetition operator: `**`'],
    ['(a)+{2}', 'invalid regular expression "(a)+{2}": invalid nested repetition operator: `+{2}`'],
    ['a{1001}', 'invalid regular expression "a{1001}": invalid repeat count: `{1001}`'],
    ['a{3,1}', 'invalid regular expression "a{3,1}": invalid repeat count: `{3,1}`'],
    ['(?P<1x>a)', 'invalid regular expression "(?P<1x>a)": invalid named capture: `(?P<1x>`'],
    ['(?P=n)', 'invalid regular expression "(?P=n)": invalid or unsupported Perl syntax: `(?P=n)`'],
    ['(?#c)', 'invalid regular expression "(?#c)": invalid or unsupported Perl syntax: `(?#c)`'],
    ['(?)', 'invalid regular expression "(?)": invalid or unsupported Perl syntax: `(?)`'],
    ['(?i-)a', 'invalid regular expression "(?i-)a": invalid or unsupported Perl syntax: `(?i-)`'],
    ['(?x)a', 'invalid regular expression "(?x)a": invalid or unsupported Perl syntax: `(?x)`'],
    ['\\C', 'invalid regular expression "\\C": \\C (any byte) is not supported'],
    ['\\Z', 'invalid regular expression "\\Z": invalid escape sequence: `\\Z`'],
    ['a\\E', 'invalid regular expression "a\\E": invalid escape sequence: `\\E`'],
    ['\\', 'invalid regular expression "\\": trailing backslash at end of expression'],
    ['\\xZZ', 'invalid regular expression "\\xZZ": invalid escape sequence: \\xZZ'],
    ['\\x{110000}', 'invalid regular expression "\\x{110000}": invalid escape sequence: \\x{110000}'],
    [
      '\\p{Klingon}',
      'invalid regular expression "\\p{Klingon}": invalid character class range: \\p{Klingon}',
    ],
    [
      '[[:word:][:nope:]]',
      'invalid regular expression "[[:word:][:nope:]]": invalid character class range: [:nope:]',
    ],
    ['[z-a]', 'invalid regular expression "[z-a]": invalid character class range: z-a'],
    ['[a-\\d]', 'invalid regular expression "[a-\\d]": invalid character class range: a-\\d'],
    [
      'a(?i)\\p{Lu}',
      'invalid regular expression "a(?i)\\p{Lu}": case-insensitive flag inside the pattern cannot be applied to \\p{Lu}; move (?i) to the start',
    ],
    [
      '(a)(?i)\\1',
      'invalid regular expression "(a)(?i)\\1": case-insensitive flag inside the pattern cannot be applied to \\1; move (?i) to the start',
    ],
    ['\\2(a)x\\3', 'invalid regular expression "\\2(a)x\\3": invalid escape'],
    ['(?<a>x)(?<a>y)', 'invalid regular expression "(?<a>x)(?<a>y)": duplicate capture group name'],
  ];
  for (const [pattern, message] of cases) {
    it(`rejects ${JSON.stringify(pattern)}`, () => {
      assert.throws(
        () => compileRe2(pattern),
        (err: unknown) => {
          assert.ok(err instanceof RegexSyntaxError);
          assert.equal(err.code, 'E_REGEX');
          assert.equal(err.pattern, pattern);
          assert.equal(err.message, message);
          return true;
        },
      );
    });
  }
});

describe('looksLikeGlob / globToRegex', () => {
  const cases: [pattern: string, glob: boolean][] = [
    ['*test*', true],
    ['kube-*', true],
    ['app?', true],
    ['.*test.*', false],
    ['^kube-.*$', false],
    ['(a|b)*', false],
    ['plain', false],
    ['colou?r', true],
  ];
  for (const [pattern, glob] of cases) {
    it(`${pattern}: ${glob}`, () => assert.equal(looksLikeGlob(pattern), glob));
  }
  it('turns * into .* and ? into ., escaping the rest', () => {
    assert.equal(globToRegex('*test*'), '.*test.*');
    assert.equal(globToRegex('app-?.v1*'), 'app-.\\.v1.*');
  });
});
