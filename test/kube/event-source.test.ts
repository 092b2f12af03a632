// The kubernetes source against the test API server, driven by the real client: list, watch,
// namespaces, malformed items, back-pressure and the events.k8s.io/v1 API.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventsPath } from '../../src/kube/event-source.ts';
import { coreEvent, startHarness, waitFor, watchRequests } from './event-source-harness.ts';

describe('kubernetes source: list then watch', () => {
  it('lists in pages (LISTED), then watches from the list resourceVersion with bookmarks', async () => {
    const h = await startHarness({
      pageSize: 2,
      watchTimeoutSeconds: 120,
      seed: (s) => ['e1', 'e2', 'e3', 'e4', 'e5'].forEach((n) => s.create(coreEvent(n))),
    });
    try {
      await waitFor(() => h.server.openWatches === 1, 'watch open');
      assert.deepEqual(h.summary(), [
        'LISTED e1 1',
        'LISTED e2 1',
        'LISTED e3 1',
        'LISTED e4 1',
        'LISTED e5 1',
      ]);
      assert.deepEqual(h.observed.listed, [5]);
      const lists = h.server.requestsWhere((r) => !r.watch);
      assert.deepEqual(
        lists.map((r) => [r.path, r.query.get('limit'), r.query.has('continue')]),
        [
          ['/api/v1/events', '2', false],
          ['/api/v1/events', '2', true],
          ['/api/v1/events', '2', true],
        ],
      );
      const [watch] = h.server.requestsWhere((r) => r.watch);
      assert.equal(watch?.query.get('resourceVersion'), '1005');
      assert.equal(watch?.query.get('allowWatchBookmarks'), 'true');
      assert.equal(watch?.query.get('timeoutSeconds'), '120');

      h.server.create(coreEvent('e6'));
      h.server.update(coreEvent('e1', 'default', 2));
      h.server.delete('v1', 'Event', 'default', 'e2');
      await waitFor(() => h.changes.length === 8, 'watch events');
      assert.deepEqual(h.summary(5), ['ADDED e6 1', 'MODIFIED e1 2', 'DELETED e2 1']);
      assert.equal(h.changes[5]?.event.involvedObject.name, 'pod-e6');
      assert.equal(typeof h.changes[5]?.event.lastTimestamp, 'string');
      assert.deepEqual(h.observed.restarts, []);
    } finally {
      await h.stop();
    }
    assert.equal(h.server.openWatches, 0);
  });

  it('delivers every count bump as MODIFIED, in order', async () => {
    const h = await startHarness({ seed: (s) => s.create(coreEvent('crash')) });
    try {
      await waitFor(() => h.server.openWatches === 1, 'watch open');
      for (let count = 2; count <= 30; count++) h.server.update(coreEvent('crash', 'default', count));
      await waitFor(() => h.changes.length === 30, 'all bumps');
      assert.deepEqual(
        h.summary(1),
        Array.from({ length: 29 }, (_, i) => `MODIFIED crash ${i + 2}`),
      );
    } finally {
      await h.stop();
    }
  });

  it('runs one list + watch per configured namespace and ignores the others', async () => {
    const h = await startHarness({
      namespaces: ['team-a', 'team-b', 'team-a'],
      seed: (s) => ['team-a', 'team-b', 'team-c'].forEach((ns) => s.create(coreEvent(`old-${ns}`, ns))),
    });
    try {
      await waitFor(() => h.server.openWatches === 2, 'two watches');
      assert.deepEqual(h.observed.listed, [2], 'one readiness report after both lists');
      assert.deepEqual(h.summary().sort(), ['LISTED old-team-a 1', 'LISTED old-team-b 1']);
      assert.deepEqual(
        watchRequests(h.server)
          .map((w) => w.path)
          .sort(),
        [eventsPath('core/v1', 'team-a'), eventsPath('core/v1', 'team-b')],
      );
      h.server.create(coreEvent('new', 'team-c'));
      h.server.create(coreEvent('new', 'team-b'));
      await waitFor(() => h.changes.length === 3, 'team-b event');
      assert.equal(h.changes[2]?.event.metadata.namespace, 'team-b');
      h.server.create(coreEvent('newer', 'team-a'));
      await waitFor(() => h.changes.length === 4, 'team-a event');
      assert.deepEqual(h.summary(2), ['ADDED new 1', 'ADDED newer 1']);
    } finally {
      await h.stop();
    }
  });

  it('skips malformed items and lines, reports them, and keeps going', async () => {
    const h = await startHarness({
      seed: (s) => {
        s.create(coreEvent('bad-count', 'default', 1, { count: 'three' }));
        s.create(coreEvent('good'));
      },
    });
    try {
      await waitFor(() => h.server.openWatches === 1, 'watch open');
      h.server.create(coreEvent('bad-ref', 'default', 1, { involvedObject: 'pod/x' }));
      h.server.sendRawWatchLine('{"type":"ADDED","object":');
      h.server.sendRawWatchLine('{"type":"SURPRISE","object":{"metadata":{"resourceVersion":"1"}}}');
      h.server.create(coreEvent('after'));
      await waitFor(() => h.changes.length === 2, 'the good events');
      assert.deepEqual(h.summary(), ['LISTED good 1', 'ADDED after 1']);
      assert.deepEqual(h.observed.listed, [1], 'malformed items are not counted as listed');
      assert.deepEqual(h.observed.malformed, [
        'count: expected an integer, got "three"',
        'involvedObject: expected an object',
        'invalid JSON in the watch stream',
        'unknown watch event type "SURPRISE"',
      ]);
      assert.deepEqual(h.observed.restarts, []);
    } finally {
      await h.stop();
    }
  });

  it('awaits the sink before reading the next change (back-pressure, never concurrent)', async () => {
    let release: () => void = () => undefined;
    let gate = new Promise<void>((resolve) => (release = resolve));
    let inFlight = 0;
    let maxInFlight = 0;
    const h = await startHarness({
      namespaces: ['a', 'b'],
      sink: async (change, record) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        record();
        if (change.event.metadata.name === 'blocker') await gate;
        inFlight--;
      },
    });
    try {
      await waitFor(() => h.server.openWatches === 2, 'watches open');
      h.server.create(coreEvent('blocker', 'a'));
      await waitFor(() => h.changes.length === 1, 'blocker delivered');
      for (let i = 0; i < 20; i++) h.server.create(coreEvent(`queued-${i}`, i % 2 === 0 ? 'a' : 'b'));
      // Both streams have their lines by now (the same socket reads that carried the blocker).
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(h.changes.length, 1, 'nothing passes a blocked sink');
      release();
      await waitFor(() => h.changes.length === 21, 'the rest');
      assert.equal(maxInFlight, 1);
      gate = Promise.resolve();
    } finally {
      await h.stop();
    }
  });

  it('reads events.k8s.io/v1 Events when asked, mapped onto core/v1 fields', async () => {
    const h = await startHarness({
      api: 'events.k8s.io/v1',
      seed: (s) =>
        s.create({
          apiVersion: 'events.k8s.io/v1',
          kind: 'Event',
          metadata: { name: 'v1ev', namespace: 'default' },
          regarding: { kind: 'Node', name: 'node-1' },
          note: 'Node node-1 status is now: NodeNotReady',
          reason: 'NodeNotReady',
          type: 'Normal',
          reportingController: 'node-controller',
          eventTime: '2026-01-01T00:00:00.000000Z',
        }),
    });
    try {
      await waitFor(() => h.changes.length === 1, 'listed');
      const event = h.changes[0]?.event;
      assert.deepEqual(
        [event?.involvedObject.name, event?.message, event?.reportingComponent],
        ['node-1', 'Node node-1 status is now: NodeNotReady', 'node-controller'],
      );
      assert.equal(h.server.requests[0]?.path, '/apis/events.k8s.io/v1/events');
    } finally {
      await h.stop();
    }
  });
});
