// The default payload: the exporter's enhanced event JSON, field order and omitempty as Go's
// encoding/json writes *kube.EnhancedEvent.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { RawEvent } from '../../src/event/event.ts';
import { enhancedEventJson } from '../../src/template/index.ts';
import { enriched, realEvents } from './fixtures.ts';

const ORDER = [
  'metadata',
  'reason',
  'message',
  'source',
  'firstTimestamp',
  'lastTimestamp',
  'count',
  'type',
  'eventTime',
  'series',
  'action',
  'related',
  'reportingComponent',
  'reportingInstance',
  'clusterName',
  'involvedObject',
];

test('every real event encodes, in the exporter’s field order', () => {
  for (const event of realEvents()) {
    const json = enhancedEventJson(event);
    const keys = Object.keys(JSON.parse(json) as object);
    assert.deepEqual(
      keys,
      ORDER.filter((k) => keys.includes(k)),
    );
    for (const always of [
      'metadata',
      'source',
      'firstTimestamp',
      'lastTimestamp',
      'eventTime',
      'reportingComponent',
      'reportingInstance',
      'clusterName',
      'involvedObject',
    ]) {
      assert.ok(keys.includes(always), `${always} missing in ${json}`);
    }
  }
});

test('equals Go’s json.Marshal of the EnhancedEvent for the sampled real events', () => {
  const cases = JSON.parse(readFileSync(new URL('./cases/event-cases.json', import.meta.url), 'utf8')) as {
    events: { event: RawEvent; object: null; clusterName: string }[];
  };
  const goldens = (
    JSON.parse(readFileSync(new URL('./golden/event-view.json', import.meta.url), 'utf8')) as {
      event: number;
      name: string;
      output: string;
    }[]
  ).filter((g) => g.name === 'json.Marshal');
  assert.equal(goldens.length, cases.events.length);
  for (const g of goldens) {
    const s = cases.events[g.event] as { event: RawEvent; object: null; clusterName: string };
    assert.equal(
      enhancedEventJson(enriched(s.event, { object: s.object ?? undefined, clusterName: s.clusterName })),
      g.output,
    );
  }
});

const minimal: RawEvent = { metadata: { name: 'a', namespace: 'ns' }, involvedObject: {} };

const table: { name: string; raw: RawEvent; expected: string }[] = [
  {
    name: 'unset times are null, empty source is {}, omitempty fields are omitted',
    raw: minimal,
    expected:
      '{"metadata":{"name":"a","namespace":"ns","creationTimestamp":null},"source":{},"firstTimestamp":null,"lastTimestamp":null,"eventTime":null,"reportingComponent":"","reportingInstance":"","clusterName":"","involvedObject":{"deleted":false}}',
  },
  {
    name: 'HTML characters and U+2028 are escaped as Go does',
    raw: { ...minimal, message: 'a <b> & c\u2028d "q" \\ \u0001' },
    expected: '"message":"a \\u003cb\\u003e \\u0026 c\\u2028d \\"q\\" \\\\ \\u0001"',
  },
  {
    name: 'times are re-encoded: seconds for metav1.Time (UTC), microseconds for eventTime',
    raw: {
      ...minimal,
      firstTimestamp: '2019-11-21T20:25:07.5+02:00',
      eventTime: '2019-11-21T18:25:07.1234567Z',
    },
    expected:
      '"firstTimestamp":"2019-11-21T18:25:07Z","lastTimestamp":null,"eventTime":"2019-11-21T18:25:07.123456Z"',
  },
  {
    name: 'count 0 is omitted, series and related appear when set',
    raw: {
      ...minimal,
      count: 0,
      series: { count: 2, lastObservedTime: '2020-01-01T00:00:00.000000Z' },
      related: { kind: 'Node' },
    },
    expected:
      '"eventTime":null,"series":{"count":2,"lastObservedTime":"2020-01-01T00:00:00.000000Z"},"related":{"kind":"Node"},',
  },
  {
    name: 'unparseable timestamps are null rather than a crash',
    raw: { ...minimal, firstTimestamp: 'null', lastTimestamp: 'yesterday' },
    expected: '"firstTimestamp":null,"lastTimestamp":null',
  },
];

for (const { name, raw, expected } of table) {
  test(name, () => {
    const json = enhancedEventJson(enriched(raw));
    assert.ok(json.includes(expected), `${json}\n  lacks ${expected}`);
  });
}

test('the enricher’s labels, owner references and deletion appear in involvedObject', () => {
  const json = enhancedEventJson(
    enriched(minimal, {
      clusterName: 'prod',
      object: {
        labels: { b: '2', a: '1' },
        annotations: {},
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true },
        ],
        deleted: true,
      },
    }),
  );
  assert.ok(
    json.endsWith(
      '"clusterName":"prod","involvedObject":{"labels":{"a":"1","b":"2"},"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs","uid":"u","controller":true}],"deleted":true}}',
    ),
    json,
  );
});
