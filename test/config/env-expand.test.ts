import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandEnv } from '../../src/config/env-expand.ts';
import { ConfigError, loadConfigText } from '../../src/config/load.ts';

const env = { X: 'ex', LONG_NAME_1: 'long', EMPTY: '', QPS: '50', SECRET: 'hunter2-secret' };

describe('expandEnv', () => {
  const cases: { input: string; value: string; issues?: string[] }[] = [
    { input: 'a $X b', value: 'a ex b' },
    { input: 'a ${X} b', value: 'a ex b' },
    { input: '${X}${X}', value: 'exex' },
    { input: '$LONG_NAME_1-x', value: 'long-x' },
    { input: '$X.y', value: 'ex.y' },
    { input: 'pre${EMPTY}post', value: 'prepost' },
    { input: 'cost $$5 and $$X', value: 'cost $5 and $X' },
    { input: '^kube-system$', value: '^kube-system$' },
    { input: 'a$ b $1 $-', value: 'a$ b $1 $-' },
    { input: '{{ $x := .Reason }}{{ $x }}', value: '{{ $x := .Reason }}{{ $x }}' },
    {
      input: '{{- range $i, $v := .Labels -}}$X{{ end }}',
      value: '{{- range $i, $v := .Labels -}}ex{{ end }}',
    },
    { input: '{{ "}}$X" }} $X', value: '{{ "}}$X" }} ex' },
    { input: '{{ `$X}}` }}', value: '{{ `$X}}` }}' },
    { input: '{{/* $X }} */}} $X', value: '{{/* $X }} */}} ex' },
    { input: '{{ $X', value: '{{ $X' },
    { input: 'a $NOPE b', value: 'a  b', issues: ['2 environment variable "NOPE" is not set'] },
    { input: '${NOPE}', value: '', issues: ['0 environment variable "NOPE" is not set'] },
    { input: 'x ${X', value: 'x ', issues: ['2 unterminated "${" (write "$$" for a literal "$")'] },
    { input: '${A-B}', value: '', issues: ['0 invalid environment variable name "A-B"'] },
  ];
  for (const { input, value, issues = [] } of cases) {
    it(JSON.stringify(input), () => {
      const result = expandEnv(input, env);
      assert.equal(result.value, value);
      assert.deepEqual(
        result.issues.map((i) => `${i.offset} ${i.message}`),
        issues,
      );
    });
  }

  it('records the variables used', () => {
    assert.deepEqual(
      [...expandEnv('$X ${QPS} {{ $SECRET }}', env).used],
      [
        ['X', 'ex'],
        ['QPS', '50'],
      ],
    );
  });
});

const base = 'route:\n  match:\n    - receiver: d\nreceivers:\n  - name: d\n    stdout: {}\n';

function load(text: string) {
  return loadConfigText(text, { fileName: 'c.yaml', env });
}

function problems(text: string): string[] {
  try {
    load(text);
  } catch (err) {
    if (err instanceof ConfigError) return err.lines;
    throw err;
  }
  assert.fail('expected a ConfigError');
}

describe('environment expansion in a config', () => {
  it('types a plain scalar from its expanded text, as the exporter parses the expanded file', () => {
    const { config } = load(`${base}kubeQPS: \${QPS}\nclusterName: "\${QPS}"\n`);
    assert.equal(config.kubeQPS, 50);
    assert.equal(config.clusterName, '50');
  });

  it('expands inside layouts but leaves template actions alone', () => {
    const text =
      'route:\n  match:\n    - receiver: d\nreceivers:\n  - name: d\n    webhook:\n      endpoint: https://h/$X\n      headers:\n        X-A: "$$ {{ $v := .Reason }}{{ $v }}"\n';
    const { config } = load(text);
    assert.equal(config.receivers[0]?.options.endpoint, 'https://h/ex');
    assert.deepEqual(config.receivers[0]?.options.headers, { 'X-A': '$ {{ $v := .Reason }}{{ $v }}' });
  });

  it('reports an undefined variable at its own line:column', () => {
    assert.deepEqual(problems(`${base}clusterName: prod-$REGION\nnamespace: "x \${NS}"\n`), [
      'c.yaml:7:19 clusterName: environment variable "REGION" is not set',
      'c.yaml:8:15 namespace: environment variable "NS" is not set',
    ]);
  });

  it('places a variable in a | block on its own line', () => {
    const text = `${base.replace('stdout: {}', 'stdout:\n      layout:\n        text: |\n          line one\n          two $MISSING')}`;
    assert.deepEqual(problems(text), [
      'c.yaml:10:15 receivers[0].stdout.layout.text: environment variable "MISSING" is not set',
    ]);
  });

  it('ignores variables in comments, as they are not config', () => {
    assert.equal(load(`${base}# uses $UNSET_IN_COMMENT\n`).config.clusterName, '');
  });

  it('never shows an expanded value in a message', () => {
    const lines = problems(`${base}logFormat: \${SECRET}\nmetricsNamePrefix: "\${SECRET}"\n`);
    assert.equal(lines.length, 2);
    for (const line of lines) assert.ok(!line.includes('hunter2'), line);
  });

  it('hashes the expanded config', () => {
    const a = loadConfigText(`${base}clusterName: $X\n`, { fileName: 'c', env: { X: 'a' } }).hash;
    const b = loadConfigText(`${base}clusterName: $X\n`, { fileName: 'c', env: { X: 'b' } }).hash;
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.notEqual(a, b);
  });
});
