// Lexer and parser errors: Go's message, and where in the template text (1-based line:column).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGoTemplate } from '../../src/go/template/compile.ts';
import { TemplateSyntaxError } from '../../src/go/template/errors.ts';
import { lex } from '../../src/go/template/lexer.ts';

const parse = (source: string): unknown => compileGoTemplate(source, { name: 't', functions: new Map() });

const syntaxErrors: readonly { source: string; detail: string; line: number; column: number }[] = [
  { source: '{{ (1 }}', detail: 'unclosed left paren', line: 1, column: 7 },
  { source: '{{ 1) }}', detail: 'unexpected ")" in command', line: 1, column: 5 },
  { source: 'a\n  {{ foo }}', detail: 'function "foo" not defined', line: 2, column: 6 },
  { source: '{{ .S } }}', detail: 'unexpected "}" in operand', line: 1, column: 7 },
  { source: 'x\n{{ $x }}', detail: 'undefined variable "$x"', line: 2, column: 4 },
  { source: '{{ "abc }}', detail: 'unterminated quoted string', line: 1, column: 4 },
  { source: '{{ `abc }}', detail: 'unterminated raw quoted string', line: 1, column: 4 },
  { source: "{{ 'ab' }}", detail: "malformed character constant: 'ab'", line: 1, column: 4 },
  { source: '{{if .A}}\n', detail: 'unexpected EOF', line: 2, column: 1 },
  { source: '{{ .A \n\n', detail: 'unclosed action started at t:1', line: 3, column: 1 },
  { source: 'ab{{/* x', detail: 'unclosed comment', line: 1, column: 5 },
  { source: '{{/* a */ .S}}', detail: 'comment ends before closing delimiter', line: 1, column: 3 },
  { source: '{{range .L}}{{end}}{{break}}', detail: '{{break}} outside {{range}}', line: 1, column: 22 },
  { source: '{{continue}}', detail: '{{continue}} outside {{range}}', line: 1, column: 3 },
  { source: 'a\n{{ .S | "x" }}', detail: 'non executable command in pipeline stage 2', line: 2, column: 9 },
  { source: '{{if}}{{end}}', detail: 'missing value for if', line: 1, column: 5 },
  { source: 'x{{end}}', detail: 'unexpected {{end}}', line: 1, column: 7 },
  { source: '{{if .B}}{{else}}{{else}}{{end}}', detail: 'expected end; found {{else}}', line: 1, column: 24 },
  {
    source: '{{ 99999999999999999999 }}',
    detail: 'integer overflow: "99999999999999999999"',
    line: 1,
    column: 4,
  },
  { source: '{{ 1.S }}', detail: 'bad number syntax: "1.S"', line: 1, column: 4 },
  { source: '{{ "x".y }}', detail: 'unexpected . after term "\\"x\\""', line: 1, column: 9 },
  { source: '{{ "\\q" }}', detail: 'invalid syntax', line: 1, column: 4 },
  { source: '{{ @ }}', detail: 'unexpected "@" in command', line: 1, column: 4 },
  { source: '{{ $x := }}', detail: 'missing value for command', line: 1, column: 10 },
  { source: '{{ with $x, $y := .L }}{{end}}', detail: 'too many declarations in with', line: 1, column: 11 },
  { source: '{{define "x"}}abc', detail: 'unexpected EOF', line: 1, column: 18 },
  {
    source: 'main{{define "t"}}other{{end}}',
    detail: 'template: multiple definition of template "t"',
    line: 1,
    column: 31,
  },
  { source: '{{template .S}}', detail: 'unexpected ".S" in template clause', line: 1, column: 12 },
  { source: '{{ .S "abcdefghijklmnop" ( }}', detail: 'unclosed left paren', line: 1, column: 28 },
];

for (const c of syntaxErrors) {
  test(`syntax error ${JSON.stringify(c.source)}`, () => {
    assert.throws(
      () => parse(c.source),
      (e: unknown) => {
        assert.ok(e instanceof TemplateSyntaxError);
        assert.equal(e.code, 'E_TEMPLATE');
        assert.equal(e.detail, c.detail);
        assert.deepEqual({ line: e.line, column: e.column }, { line: c.line, column: c.column });
        assert.equal(e.template, c.source);
        assert.equal(e.message, `template: t:${c.line}: ${c.detail}`);
        return true;
      },
    );
  });
}

const valid: readonly string[] = [
  '',
  'text only',
  '{{/* comment */}}',
  '{{- /* trimmed */ -}}',
  '{{ .A.B.C }}',
  '{{ $x := 1 }}{{ $x = 2 }}{{ $x }}',
  '{{ range $i, $v := .L }}{{ $i }}{{ break }}{{ end }}',
  '{{ if .A }}a{{ else if .B }}b{{ else }}c{{ end }}',
  '{{ define "x" }}{{ . }}{{ end }}{{ template "x" . }}{{ block "y" . }}d{{ end }}',
  '{{ (index .A 1).B }}',
  '{{ "a" | printf "%s%s" "b" }}',
  "{{ 'a' }}{{ 0x1F }}{{ 1_000 }}{{ 1e3 }}{{ `raw` }}{{ nil | print }}",
];

for (const source of valid) {
  test(`parses ${JSON.stringify(source)}`, () => {
    assert.doesNotThrow(() => parse(source));
  });
}

test('lexer: trim markers remove the surrounding spaces, a minus without space is a number', () => {
  const kinds = (s: string): string[] => lex(s).map((t) => `${t.type}:${t.val}`);
  assert.deepEqual(kinds('a {{- 3 -}} b'), [
    'text:a',
    'leftDelim:{{',
    'number:3',
    'rightDelim:}}',
    'text:b',
    'eof:',
  ]);
  assert.deepEqual(kinds('{{-3}}'), ['leftDelim:{{', 'number:-3', 'rightDelim:}}', 'eof:']);
  assert.deepEqual(kinds('{{ $x := .A.b }}'), [
    'leftDelim:{{',
    'space: ',
    'variable:$x',
    'space: ',
    'declare::=',
    'space: ',
    'field:.A',
    'field:.b',
    'space: ',
    'rightDelim:}}',
    'eof:',
  ]);
});

test('lexer: positions and lines of tokens', () => {
  const tokens = lex('a\n{{ .B }}');
  const field = tokens.find((t) => t.type === 'field');
  assert.deepEqual({ pos: field?.pos, line: field?.line }, { pos: 5, line: 2 });
});
