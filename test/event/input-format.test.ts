import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { InputFormatError } from '../../src/event/input-format.ts';
import { readObjects } from '../../src/event/object-index.ts';
import { readChanges } from '../../src/event/read-events.ts';

const REAL = readFileSync(new URL('../fixtures/events/real-events.ndjson', import.meta.url), 'utf8');
const REAL_LINES = REAL.split('\n').filter((line) => line.trim() !== '');
// What `kubectl get events -o json` prints: one pretty-printed List.
const LIST = JSON.stringify(
  {
    apiVersion: 'v1',
    kind: 'List',
    items: REAL_LINES.map((line) => JSON.parse(line) as unknown),
    metadata: {},
  },
  null,
  4,
);

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

function formatError(fn: () => unknown): InputFormatError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputFormatError) return err;
    throw err;
  }
  assert.fail('expected an InputFormatError');
}

describe('whole-input errors', () => {
  it('reads the whole real List as 934 events', () => {
    const { changes, errors } = readChanges(LIST);
    assert.equal(changes.length, 934);
    assert.deepEqual(errors, []);
  });

  // Cut points: inside a string, after a comma, inside a number, between items, inside a key.
  const cuts = [0.5, 0.25, 0.9, 0.999].map((f) => Math.floor(LIST.length * f));
  cuts.push(LIST.indexOf('"count": ', LIST.length / 3) + '"count": 1'.length - 1);
  for (const cut of cuts) {
    it(`reports a List cut at byte ${cut} once, where it ends, as truncated`, () => {
      const text = LIST.slice(0, cut);
      const err = formatError(() => readChanges(text));
      const end = text.trimEnd().length;
      assert.match(
        err.message,
        new RegExp(
          `^the JSON document ends early, at line ${lineOf(text, end)}, column \\d+ with \\d+ brackets still open: it looks truncated$`,
        ),
      );
    });
  }

  it('places an error inside a document at its line and column, not as truncation', () => {
    const lines = LIST.split('\n');
    lines[10] = `${lines[10] ?? ''} oops`;
    const err = formatError(() => readChanges(lines.join('\n')));
    assert.match(err.message, /^invalid JSON at line 11, column \d+: /);
    assert.doesNotMatch(err.message, /truncated/);
  });

  it('keeps NDJSON line by line: a cut last line is one error, the other events flow', () => {
    const text = REAL.slice(0, REAL.length - 200);
    const { changes, errors } = readChanges(text);
    assert.equal(changes.length, 933);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.line, 934);
  });

  const neither: { name: string; text: string; message: RegExp }[] = [
    {
      name: 'plain text',
      text: 'hello world\nthis is a log\n',
      message:
        /^neither JSON nor YAML events: the input is plain text \("hello world"\), expected Kubernetes Event objects$/,
    },
    {
      name: 'a log line',
      text: '2026-01-01T00:00:00Z ERROR it broke',
      message: /^neither JSON nor YAML events: the input is plain text/,
    },
    {
      name: 'broken YAML',
      text: 'kind: Event\nmessage: "unclosed\nreason: x\n',
      message: /^neither JSON nor YAML: invalid YAML at line \d+, column \d+: Missing closing "quote$/,
    },
  ];
  for (const c of neither) {
    it(`says that ${c.name} is neither JSON nor YAML events`, () => {
      assert.match(formatError(() => readChanges(c.text)).message, c.message);
    });
  }

  it('reads an empty input, [] and an empty List as no events and no errors (the caller warns)', () => {
    for (const text of ['', '  \n', '[]', '{"apiVersion":"v1","items":[],"kind":"List"}', '---\n'])
      assert.deepEqual(readChanges(text), { changes: [], errors: [] }, JSON.stringify(text));
  });

  it('reports a truncated objects List the same way', () => {
    const objects = JSON.stringify(
      { kind: 'List', items: [{ kind: 'Pod', metadata: { name: 'a', namespace: 'n' } }] },
      null,
      2,
    );
    assert.match(formatError(() => readObjects(objects.slice(0, -10))).message, /looks truncated$/);
    assert.match(
      formatError(() => readObjects('not objects')).message,
      /^neither JSON nor YAML objects: .*expected Kubernetes objects$/,
    );
  });
});
