import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nearest, unknownKeyMessage } from '../../src/config/hints.ts';
import { ConfigError, loadConfigText } from '../../src/config/load.ts';
import {
  EXPORTER_ONLY_RECEIVER_TYPES,
  RECEIVER_SPECS,
  SUPPORTED_RECEIVER_TYPES,
  receiverSpec,
} from '../../src/receivers/registry.ts';

function lines(text: string): string[] {
  try {
    loadConfigText(text, { fileName: 'c.yaml', env: {} });
  } catch (err) {
    if (err instanceof ConfigError) return err.lines;
    throw err;
  }
  return [];
}

describe('receiver registry', () => {
  it('lists each type once, with batch defaults inside its limits', () => {
    // Receivers land one by one: the built-in three come first, and no type is listed twice.
    assert.deepEqual(SUPPORTED_RECEIVER_TYPES.slice(0, 3), ['stdout', 'file', 'webhook']);
    assert.equal(new Set(SUPPORTED_RECEIVER_TYPES).size, SUPPORTED_RECEIVER_TYPES.length);
    for (const spec of RECEIVER_SPECS) {
      assert.equal(receiverSpec(spec.type), spec);
      for (const [key, limit] of Object.entries(spec.limits ?? {})) {
        assert.ok(spec.batchDefaults[key as keyof typeof spec.batchDefaults] <= limit, `${spec.type}.${key}`);
      }
    }
    assert.equal(receiverSpec('inMemory'), undefined);
  });

  for (const type of EXPORTER_ONLY_RECEIVER_TYPES) {
    it(`recognises the exporter's "${type}" receiver as not supported yet`, () => {
      const text = `route: {}\nreceivers:\n  - name: r\n    ${type}:\n      anything: 1\n`;
      assert.deepEqual(lines(text), [
        `c.yaml:4:5 receivers[0].${type}: receiver type "${type}" is not supported yet`,
      ]);
    });
  }

  const ownOptions: Record<string, string> = {
    stdout: '',
    file: 'path: /tmp/x, ',
    webhook: 'endpoint: "http://h", ',
  };
  for (const [type, own] of Object.entries(ownOptions)) {
    it(`${type} accepts layout, typedLayout and templateSyntax`, () => {
      const block = `{ ${own}typedLayout: true, templateSyntax: go, layout: { a: "{{ .Reason }}" } }`;
      const text = `route: {}\nreceivers:\n  - name: r\n    ${type}: ${block}\n`;
      const receiver = loadConfigText(text, { fileName: 'c.yaml', env: {} }).config.receivers[0];
      assert.equal(receiver?.typedLayout, true);
      assert.equal(receiver?.templateSyntax, 'go');
      assert.notEqual(receiver?.layout, undefined);
      assert.ok(!('layout' in (receiver?.options ?? {})), 'common options are lifted out of options');
    });
  }
});

describe('hints', () => {
  const cases: [string, string[], string | undefined][] = [
    ['recievers', ['receivers', 'route'], 'receivers'],
    ['clustername', ['clusterName'], 'clusterName'],
    ['maxEventAge', ['maxEventAgeSeconds'], undefined],
    ['foo', ['route', 'receivers'], undefined],
    ['stdot', ['stdout', 'file', 'webhook'], 'stdout'],
  ];
  for (const [word, candidates, expected] of cases) {
    it(`${word} → ${String(expected)}`, () => assert.equal(nearest(word, candidates), expected));
  }

  it('words an unknown key with and without a hint', () => {
    assert.equal(
      unknownKeyMessage('logLevl', ['logLevel']),
      'unknown key "logLevl" (did you mean "logLevel"?)',
    );
    assert.equal(unknownKeyMessage('zzz', ['logLevel']), 'unknown key "zzz"');
  });
});
