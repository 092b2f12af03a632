// The Handlebars dialect: same event view, same functions as helpers, Go printing of values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compileEventTemplate,
  compileLayout,
  enhancedEventJson,
  TemplateExecError,
  TemplateSyntaxError,
} from '../../src/template/index.ts';
import { enriched } from './fixtures.ts';

const hb = { syntax: 'handlebars' } as const;
const event = enriched(
  {
    metadata: { name: 'web.1', namespace: 'prod' },
    involvedObject: { kind: 'Pod', name: 'web' },
    reason: 'BackOff',
    message: 'a <b> & c',
    type: 'Warning',
    count: 3,
    firstTimestamp: '2019-11-21T18:25:07Z',
  },
  {
    clusterName: 'eu',
    object: { labels: { app: 'web', tier: 'fe' }, annotations: {}, ownerReferences: [], deleted: false },
  },
);
const render = (t: string): string => compileEventTemplate(t, hb).execute(event);

const cases: [string, string][] = [
  ['{{Namespace}}/{{Name}}: {{Message}}', 'prod/web.1: a <b> & c'],
  // An int64 beyond 2^53 passes from helper to helper exact, as in Go templates.
  [
    '{{mul (mul GetTimestampMs 1000) 1000}} {{toJson (mul GetTimestampMs 1000000)}}',
    '1574360707000000000 1574360707000000000',
  ],
  ['{{InvolvedObject.Kind}} {{Count}} {{FirstTimestamp}}', 'Pod 3 2019-11-21 18:25:07 +0000 UTC'],
  ['{{InvolvedObject.Labels}}', 'map[app:web tier:fe]'],
  ['{{#each InvolvedObject.Labels}}{{@key}}={{this}};{{/each}}', 'app=web;tier=fe;'],
  ['{{upper Reason}} {{lower (upper Type)}} {{trunc 3 Message}}', 'BACKOFF warning a <'],
  [
    '{{toJson InvolvedObject.Labels}} {{toJson FirstTimestamp}}',
    '{"app":"web","tier":"fe"} "2019-11-21T18:25:07Z"',
  ],
  ['{{#if (eq Type "Warning")}}W{{else}}N{{/if}}', 'W'],
  ['{{default "none" Action}} {{add Count 1}}', 'none 4'],
  ['{{InvolvedObject.Labels.app}}', 'web'],
];

for (const [template, expected] of cases) {
  test(`handlebars renders ${template}`, () => assert.equal(render(template), expected));
}

test('toJson of the root is the enhanced event JSON', () => {
  assert.equal(render('{{toJson this}}'), enhancedEventJson(event));
});

test('syntax errors and unknown helpers are TemplateSyntaxError at compile time', () => {
  assert.throws(() => compileEventTemplate('{{#if}}', hb), TemplateSyntaxError);
  assert.throws(
    () => compileEventTemplate('{{nosuch Name}}', hb),
    (e: unknown) => e instanceof TemplateSyntaxError && /nosuch/.test(e.message),
  );
});

test('helper failures are TemplateExecError', () => {
  assert.throws(() => render('{{div Count 0}}'), TemplateExecError);
});

test('handlebars layouts render and keep native values when typed', () => {
  const { layout, problems } = compileLayout(
    { reason: '{{Reason}}', count: '{{Count}}', labels: '{{InvolvedObject.Labels}}' },
    { ...hb, typed: true },
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(layout?.render(event), {
    reason: 'BackOff',
    count: 3,
    labels: { app: 'web', tier: 'fe' },
  });
});
