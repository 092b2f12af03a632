// Issue 20 item 8: a YAML error is reported where the problem starts (the opening quote or
// bracket), not where the parser gave up (often the end of the file).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfigText } from '../../src/config/load.ts';

function errorLines(text: string): string[] {
  try {
    loadConfigText(text, { fileName: 'c.yaml', env: {} });
  } catch (err) {
    if (err instanceof ConfigError) return err.lines;
    throw err;
  }
  return [];
}

const cases: [title: string, text: string, expected: string[]][] = [
  [
    'unclosed double quote runs to the end of the file',
    [
      'logLevel: info',
      'route:',
      '  routes:',
      '    - match:',
      '        - reason: "Failed',
      '          receiver: dump',
      'receivers:',
      '  - name: dump',
      '    stdout: {}',
    ].join('\n'),
    ['c.yaml:5:19 invalid YAML: the "double-quoted" value that starts here is never closed'],
  ],
  [
    'unclosed single quote',
    "clusterName: 'prod\nlogLevel: info\n",
    ["c.yaml:1:14 invalid YAML: the 'single-quoted' value that starts here is never closed"],
  ],
  [
    'unclosed flow sequence',
    'namespace: [default, kube-system\nlogLevel: info\n',
    ['c.yaml:1:12 invalid YAML: the flow sequence [ that starts here is never closed (missing ])'],
  ],
  [
    'unclosed flow map',
    'receivers:\n  - name: dump\n    stdout: {deDot: true\nlogLevel: info\n',
    ['c.yaml:3:13 invalid YAML: the flow map { that starts here is never closed (missing })'],
  ],
  [
    'other errors keep the parser position',
    'logLevel: info\nlogLevel: debug\n',
    ['c.yaml:2:1 invalid YAML: Map keys must be unique'],
  ],
];

describe('YAML error positions', () => {
  for (const [title, text, expected] of cases) it(title, () => assert.deepEqual(errorLines(text), expected));
});
