import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MalformedEventError } from '../../src/event/errors.ts';
import { normalizeEvent } from '../../src/event/normalize.ts';
import { readEvents } from '../../src/event/read-events.ts';
import { realEventLines } from '../support/real-events.ts';

describe('normalizeEvent', () => {
  it('reads every real event, mapping events.k8s.io/v1 onto core/v1 names', () => {
    const lines = realEventLines();
    assert.equal(lines.length, 934);
    const events = lines.map((line) => normalizeEvent(JSON.parse(line)));
    const v1 = events.filter((e) => e.apiVersion === 'events.k8s.io/v1');
    assert.equal(v1.length, 11);
    for (const e of v1) {
      assert.ok(
        e.involvedObject.kind !== undefined || e.involvedObject.name !== undefined,
        'regarding mapped',
      );
      assert.ok(!('regarding' in e) && !('note' in e));
    }
    assert.ok(events.every((e) => !('managedFields' in e.metadata)));
  });

  const cases: { name: string; input: unknown; check: (e: ReturnType<typeof normalizeEvent>) => void }[] = [
    {
      name: 'events.k8s.io/v1 fields',
      input: {
        apiVersion: 'events.k8s.io/v1',
        metadata: { name: 'n', namespace: 'default', uid: 'u' },
        regarding: { kind: 'Node', name: 'node2' },
        note: 'Node node2 status is now: NodeReady',
        deprecatedCount: 3,
        deprecatedSource: { component: 'kubelet', host: 'node2' },
        deprecatedFirstTimestamp: '2022-03-08T00:11:14Z',
        reportingController: 'kubelet',
        eventTime: 'null',
      },
      check: (e) => {
        assert.deepEqual(e.involvedObject, { kind: 'Node', name: 'node2' });
        assert.equal(e.message, 'Node node2 status is now: NodeReady');
        assert.equal(e.count, 3);
        assert.deepEqual(e.source, { component: 'kubelet', host: 'node2' });
        assert.equal(e.firstTimestamp, '2022-03-08T00:11:14Z');
        assert.equal(e.reportingComponent, 'kubelet');
        assert.equal(e.eventTime, null);
      },
    },
    {
      name: 'literal "null" timestamps become null',
      input: { metadata: {}, involvedObject: {}, lastTimestamp: 'null', firstTimestamp: null },
      check: (e) => {
        assert.equal(e.lastTimestamp, null);
        assert.equal(e.firstTimestamp, null);
        assert.equal(e.metadata.creationTimestamp, null);
      },
    },
    {
      name: 'missing involvedObject is an empty reference',
      input: { metadata: { name: 'x' } },
      check: (e) => assert.deepEqual(e.involvedObject, {}),
    },
  ];
  for (const c of cases) it(c.name, () => c.check(normalizeEvent(c.input)));

  const bad: { name: string; input: unknown; message: RegExp }[] = [
    { name: 'not an object', input: 'text', message: /expected an Event object/ },
    { name: 'another kind', input: { kind: 'Pod', metadata: {} }, message: /expected kind Event, got "Pod"/ },
    { name: 'no metadata', input: { reason: 'x' }, message: /metadata: expected an object/ },
    {
      name: 'count is text',
      input: { metadata: {}, count: '3' },
      message: /count: expected an integer, got "3"/,
    },
    {
      name: 'reason is a number',
      input: { metadata: {}, reason: 5 },
      message: /reason: expected a string, got number/,
    },
    {
      name: 'involvedObject is a list',
      input: { metadata: {}, involvedObject: [] },
      message: /involvedObject: expected an object/,
    },
  ];
  for (const c of bad) {
    it(`rejects ${c.name}`, () => {
      assert.throws(
        () => normalizeEvent(c.input),
        (err: unknown) => err instanceof MalformedEventError && c.message.test(err.message),
      );
    });
  }
});

describe('readEvents', () => {
  const event = { kind: 'Event', apiVersion: 'v1', metadata: { name: 'a', uid: '1' }, reason: 'BackOff' };
  const cases: { name: string; text: string; events: number; errors: number }[] = [
    { name: 'one Event', text: JSON.stringify(event), events: 1, errors: 0 },
    {
      name: 'a List',
      text: JSON.stringify({ kind: 'EventList', items: [event, event] }, null, 2),
      events: 2,
      errors: 0,
    },
    { name: 'a JSON array', text: JSON.stringify([event, event, event]), events: 3, errors: 0 },
    { name: 'NDJSON', text: `${JSON.stringify(event)}\n\n${JSON.stringify(event)}\n`, events: 2, errors: 0 },
    {
      name: 'watch lines',
      text: `${JSON.stringify({ type: 'ADDED', object: event })}\n${JSON.stringify({ type: 'MODIFIED', object: event })}`,
      events: 2,
      errors: 0,
    },
    {
      name: 'NDJSON with a broken line',
      text: `${JSON.stringify(event)}\n{"kind":\n${JSON.stringify(event)}`,
      events: 2,
      errors: 1,
    },
    {
      name: 'YAML list',
      text: 'apiVersion: v1\nkind: List\nitems:\n- metadata: {name: a}\n  reason: x\n- metadata: {name: b}\n',
      events: 2,
      errors: 0,
    },
    { name: 'empty', text: '  \n', events: 0, errors: 0 },
    {
      name: 'a malformed item in a List',
      text: JSON.stringify({ items: [event, { metadata: 5 }] }),
      events: 1,
      errors: 1,
    },
  ];
  for (const c of cases) {
    it(`reads ${c.name}`, () => {
      const result = readEvents(c.text);
      assert.equal(result.events.length, c.events);
      assert.equal(result.errors.length, c.errors);
    });
  }

  it('names the line of a broken NDJSON line', () => {
    const result = readEvents(`${JSON.stringify(event)}\n{"kind":\n`);
    assert.equal(result.errors[0]?.line, 2);
    assert.match(result.errors[0]?.message ?? '', /^invalid JSON/);
  });
});
