// The worked examples in the docs are what the code does: each template example of
// docs/templates.md renders its documented text for the demo event it names, and the route-test
// output shown in docs/routing.md is what `route-test` prints for example D.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadEventInput } from '../../src/cli/input.ts';
import { compileEventTemplate } from '../../src/template/index.ts';
import { cli } from '../cli/cli-process.ts';
import { readDoc } from './markdown.ts';

/** The text of `doc` from the line holding `start` to the next line starting with `end`. */
function between(doc: string, start: string, end: string): string {
  const from = doc.indexOf(start);
  assert.ok(from >= 0, `"${start}" in the doc`);
  const to = doc.indexOf(`\n${end}`, from + start.length);
  return doc.slice(from, to < 0 ? undefined : to);
}

/** The code spans of one table cell, with Markdown's `\|` turned back into `|`. */
function spans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]*)`/g)].map((m) => (m[1] ?? '').replaceAll('\\|', '|'));
}

/** [template, expected] pairs from the rows of the templates doc's worked-examples table. */
function templateExamples(): [template: string, expected: string][] {
  const section = between(readDoc('docs/templates.md'), '### Worked examples', '## ');
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => {
      const [, left = '', right = ''] = line.split(/(?<!\\)\|/);
      const templates = spans(left);
      const expected = spans(right);
      assert.equal(templates.length, expected.length, line);
      return templates.map((t, i): [string, string] => [t, expected[i] ?? '']);
    });
}

describe('docs/templates.md worked examples', async () => {
  const input = await loadEventInput({
    demo: true,
    clusterName: 'prod-eu',
    environment: { region: 'eu-west-1' },
  });
  const event = input.events.find(
    (e) => e.raw.reason === 'BackOff' && e.raw.involvedObject.name === 'payments-api-5c6b7f9d8-hq4mz',
  );
  const examples = templateExamples();

  it('has examples and finds the demo event they are rendered for', () => {
    assert.ok(examples.length >= 15, `${examples.length} examples`);
    assert.ok(event !== undefined);
  });

  for (const [template, expected] of examples) {
    it(`${template} → ${expected}`, () => {
      assert.equal(compileEventTemplate(template).execute(event ?? assert.fail('no demo event')), expected);
    });
  }
});

describe('docs/routing.md route-test example', () => {
  const doc = readDoc('docs/routing.md');
  const tree = /```yaml\n([\s\S]*?)```/.exec(between(doc, '**D. Sibling routes.**', '| event'))?.[1] ?? '';
  const shown = /```\n([\s\S]*?)```/.exec(between(doc, 'With the tree of example D', 'Without'))?.[1] ?? '';
  const dir = mkdtempSync(join(tmpdir(), 'ker-doc-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, value: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, typeof value === 'string' ? value : stringify(value));
    return path;
  };
  const receivers = ['dump', 'critical', 'slack'].map((name) => ({ name, stdout: {} }));
  const config = file('config.yaml', stringify({ ...(parse(tree) as object), receivers }));
  // The event and object the doc describes: a Warning BackOff (count 4) about Pod app-test/web-1,
  // labelled version: dev.
  const events = file('events.yaml', {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web-1.17f', namespace: 'app-test', uid: '1b2c' },
    type: 'Warning',
    reason: 'BackOff',
    message: 'Back-off restarting failed container web in pod web-1',
    count: 4,
    involvedObject: { kind: 'Pod', namespace: 'app-test', name: 'web-1', apiVersion: 'v1' },
  });
  const objects = file('objects.yaml', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'app-test', labels: { version: 'dev' } },
  });

  it('prints the documented trace', () => {
    assert.ok(shown.includes('→ dump, slack'), shown);
    const run = cli(['route-test', '-c', config, '--events', events, '--objects', objects]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, shown);
  });

  it('without --objects the label route no longer matches, as the doc says', () => {
    const run = cli(['route-test', '-c', config, '--events', events]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /→ dump\n/);
    assert.doesNotMatch(run.stdout, /slack/);
  });
});
