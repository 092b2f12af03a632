// Receiver layouts: string leaves are templates, maps and lists recurse, literals stay, empty
// layouts count as none, problems carry the path inside the layout; typed leaves keep types.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goJsonStringify } from '../../src/go/json.ts';
import { compileLayout, TemplateExecError } from '../../src/template/index.ts';
import { enriched, realEvents } from './fixtures.ts';

const event = enriched(
  {
    metadata: { name: 'web.1', namespace: 'prod' },
    involvedObject: { kind: 'Pod', name: 'web' },
    reason: 'BackOff',
    message: 'a < b',
    count: 3,
    eventTime: '2024-01-01T00:00:00.000001Z',
  },
  { object: { labels: { app: 'web' }, annotations: {}, ownerReferences: [], deleted: false } },
);

test('empty or absent layouts count as none', () => {
  for (const empty of [undefined, null, {}]) {
    const { layout, problems } = compileLayout(empty);
    assert.equal(layout, undefined);
    assert.deepEqual(problems, []);
  }
});

test('string leaves render, maps and lists recurse, keys are literal, other literals stay', () => {
  const { layout, problems } = compileLayout({
    '{{ .Name }}': '{{ .Name }}',
    details: {
      count: '{{ .Count }}',
      tags: ['{{ .Reason }}', 7, true, null],
      nested: [{ kind: '{{ .InvolvedObject.Kind }}' }],
    },
    n: 1.5,
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(layout?.render(event), {
    '{{ .Name }}': 'web.1',
    details: { count: '3', tags: ['BackOff', 7, true, null], nested: [{ kind: 'Pod' }] },
    n: 1.5,
  });
});

test('typed leaves that are one action keep the native value', () => {
  const { layout } = compileLayout(
    {
      count: '{{ .Count }}',
      labels: '{{ .InvolvedObject.Labels }}',
      time: '{{ .EventTime }}',
      first: '{{ .FirstTimestamp }}',
      text: 'n={{ .Count }}',
      deleted: '{{ .InvolvedObject.Deleted }}',
    },
    { typed: true },
  );
  assert.deepEqual(layout?.render(event), {
    count: 3,
    labels: { app: 'web' },
    time: '2024-01-01T00:00:00.000001Z',
    first: null,
    text: 'n=3',
    deleted: false,
  });
});

test('syntax errors are problems with the path inside the layout, line:col and the template', () => {
  const { problems } = compileLayout({
    details: { pod: '{{ .Name }', ok: '{{ .Name }}' },
    list: ['x', '{{ .Nope }}'],
  });
  assert.equal(problems.length, 2);
  assert.deepEqual(problems[0]?.path, ['details', 'pod']);
  assert.match(problems[0]?.message ?? '', /^1:\d+: .+ in template "\{\{ \.Name \}"$/);
  assert.deepEqual(problems[1]?.path, ['list', 1]);
  assert.match(problems[1]?.message ?? '', /^1:4: .*Nope.* in template "\{\{ \.Nope \}\}"$/);
  assert.equal(problems[0]?.severity, 'error');
});

test('runtime errors throw TemplateExecError for that event only', () => {
  const { layout } = compileLayout({ x: '{{ index .Count 1 }}' });
  assert.throws(() => layout?.render(event), TemplateExecError);
});

test('the exporter encodes a layout with sorted keys and HTML escaping', () => {
  const { layout } = compileLayout({ b: '{{ .Message }}', a: '{{ .Reason }}' });
  assert.equal(goJsonStringify(layout?.render(event)), '{"a":"BackOff","b":"a \\u003c b"}');
});

test('an exporter-style layout renders at least 0.7x as fast as JSON.stringify of the events', () => {
  const events = realEvents();
  const { layout } = compileLayout({
    message: '{{ .Message }}',
    reason: '{{ .Reason }}',
    type: '{{ .Type }}',
    count: '{{ .Count }}',
    kind: '{{ .InvolvedObject.Kind }}',
    name: '{{ .InvolvedObject.Name }}',
    namespace: '{{ .InvolvedObject.Namespace }}',
    component: '{{ .Source.Component }}',
    host: '{{ .Source.Host }}',
    createdAt: '{{ .GetTimestampISO8601 }}',
  });
  const timeIt = (f: (i: number) => unknown): number => {
    let best = Infinity;
    for (let round = 0; round < 5; round++) {
      const t0 = process.hrtime.bigint();
      for (let r = 0; r < 5; r++) for (let i = 0; i < events.length; i++) f(i);
      best = Math.min(best, Number(process.hrtime.bigint() - t0));
    }
    return best;
  };
  const stringify = timeIt((i) => JSON.stringify(events[i]?.raw));
  const render = timeIt((i) => layout?.render(events[i] as (typeof events)[number]));
  assert.ok(stringify / render >= 0.7, `render ${render}ns vs stringify ${stringify}ns`);
});
