// The Go-field event view: the spec's table, our additions, odd real-world values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RawEvent } from '../../src/event/event.ts';
import { compileEventTemplate, TemplateSyntaxError } from '../../src/template/index.ts';
import { EVENT_FIELD_NAMES, eventTimes } from '../../src/template/view.ts';
import { EVENT_TEMPLATES } from './go/event-templates.ts';
import { enriched, realEventLines } from './fixtures.ts';

const SPEC_FIELDS = [
  'Name',
  'Namespace',
  'UID',
  'ResourceVersion',
  'CreationTimestamp',
  'Labels',
  'Annotations',
  'GenerateName',
  'Reason',
  'Message',
  'Type',
  'Count',
  'Action',
  'FirstTimestamp',
  'LastTimestamp',
  'EventTime',
  'Source',
  'ReportingController',
  'ReportingInstance',
  'Series',
  'Related',
  'InvolvedObject',
  'ClusterName',
  'GetTimestampMs',
  'GetTimestampISO8601',
  'Occurrence',
  'Preset',
  'Environment',
  'Suppressed',
];

test('the root view has every field of the spec’s table', () => {
  assert.deepEqual([...SPEC_FIELDS].sort(), [...EVENT_FIELD_NAMES].sort());
});

const base: RawEvent = {
  metadata: {
    name: 'web-1.17',
    namespace: 'prod',
    uid: 'u1',
    creationTimestamp: '2019-11-21T18:25:07Z',
    labels: { team: 'a' },
  },
  involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'prod' },
  reason: 'BackOff',
  message: 'Back-off restarting failed container',
  type: 'Warning',
  count: 3,
  firstTimestamp: '2019-11-21T18:25:07Z',
  eventTime: '2019-11-21T18:25:07.123456Z',
  reportingComponent: 'kubelet',
};

const event = enriched(base, {
  clusterName: 'eu-1',
  occurrence: 2,
  environment: { env: 'prod' },
  object: {
    labels: { 'app.kubernetes.io/name': 'web' },
    annotations: {},
    ownerReferences: [],
    deleted: false,
    owner: { kind: 'Deployment', name: 'web' },
  },
});

const cases: [string, string][] = [
  ['{{ .ReportingController }}', 'kubelet'],
  ['{{ .CreationTimestamp }}', '2019-11-21 18:25:07 +0000 UTC'],
  ['{{ .LastTimestamp }}', '0001-01-01 00:00:00 +0000 UTC'],
  ['{{ .EventTime }}', '2019-11-21 18:25:07.123456 +0000 UTC'],
  ['{{ toJson .EventTime }} {{ toJson .LastTimestamp }}', '"2019-11-21T18:25:07.123456Z" null'],
  ['{{ .GetTimestampMs }} {{ .GetTimestampISO8601 }}', '1574360707000 2019-11-21T18:25:07.000Z'],
  ['{{ index .InvolvedObject.Labels "app.kubernetes.io/name" }}', 'web'],
  ['{{ .InvolvedObject.Owner.Kind }}/{{ .InvolvedObject.Owner.Name }}', 'Deployment/web'],
  ['{{ .Occurrence }} {{ .ClusterName }} {{ .Environment.env }}', '2 eu-1 prod'],
  ['{{ printf "%d" .Count }}', '3'],
  ['{{ range .Preset }}{{ . }} {{ end }}', ''],
  ['{{ toJson .Preset }}', '[]'],
];

for (const [template, expected] of cases) {
  test(`renders ${template}`, () => {
    const out = compileEventTemplate(template).execute(event);
    if (template.includes('.Preset') && template.startsWith('{{ range')) assert.equal(typeof out, 'string');
    else if (template.includes('toJson .Preset')) assert.match(out, /^\[("[\w-]+",?)*\]$/);
    else assert.equal(out, expected);
  });
}

test('a field not in the table is a compile error with the nearest name', () => {
  assert.throws(
    () => compileEventTemplate('{{ .Reasn }}'),
    (err: unknown) => err instanceof TemplateSyntaxError && /did you mean "Reason"/.test(err.message),
  );
  assert.throws(() => compileEventTemplate('{{ .InvolvedObject.Knd }}'), TemplateSyntaxError);
});

test('odd raw values never crash: literal "null" timestamps, garbage, missing parts', () => {
  const odd = {
    metadata: { creationTimestamp: 'null' },
    firstTimestamp: 'not a time',
    eventTime: 'null',
  } as unknown as RawEvent;
  const e = enriched(odd);
  assert.equal(
    compileEventTemplate(
      '{{ .FirstTimestamp }}|{{ .Name }}|{{ .InvolvedObject.Kind }}|{{ toJson .EventTime }}',
    ).execute(e),
    '0001-01-01 00:00:00 +0000 UTC|||null',
  );
});

test('every table template renders every raw real event (not normalised) without crashing', () => {
  const templates = EVENT_TEMPLATES.map((t) => compileEventTemplate(t.template));
  let rendered = 0;
  for (const line of realEventLines()) {
    const e = enriched(JSON.parse(line) as RawEvent);
    for (const t of templates) {
      assert.equal(typeof t.execute(e), 'string');
      rendered++;
    }
  }
  assert.ok(rendered > 40000);
});

test('per-event conversions are cached', () => {
  assert.equal(eventTimes(event), eventTimes(event));
  assert.equal(eventTimes(event).first, eventTimes(event).first);
});
