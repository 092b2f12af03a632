// The kubernetes source when the API misbehaves: 410 Gone, cut connections, server errors, watch
// timeouts, and the rate limit on all of it. Backoff time is a ManualClock (jitter fixed at 0.5).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TokenBucket } from '../../src/kube/rate-limit.ts';
import { coreEvent, startHarness, waitFor, watchRequests, type Harness } from './event-source-harness.ts';

async function watching(h: Harness, count = 1): Promise<void> {
  await waitFor(() => h.server.openWatches === count, `${count} open watch(es)`);
}

describe('kubernetes source: recovery', () => {
  it('re-lists after a compaction makes the resume resourceVersion 410 Gone, then watches on', async () => {
    const h = await startHarness({ seed: (s) => ['e1', 'e2'].forEach((n) => s.create(coreEvent(n))) });
    try {
      await watching(h);
      h.server.create(coreEvent('e3'));
      await waitFor(() => h.changes.length === 3, 'e3');
      // In one tick, before the client can reconnect: cut, change, compact.
      h.server.dropWatches();
      h.server.create(coreEvent('in-gap'));
      h.server.compact();
      await waitFor(() => h.observed.listed.length === 2, 're-list');
      await watching(h);
      h.server.create(coreEvent('e5'));
      await waitFor(() => h.changes.length === 8, 'e5');
      assert.deepEqual(h.summary(), [
        'LISTED e1 1',
        'LISTED e2 1',
        'ADDED e3 1',
        'LISTED e1 1',
        'LISTED e2 1',
        'LISTED e3 1',
        'LISTED in-gap 1',
        'ADDED e5 1',
      ]);
      assert.deepEqual(h.observed.listed, [2, 4]);
      assert.deepEqual(h.observed.restarts, ['closed', 'gone']);
      assert.deepEqual(
        watchRequests(h.server).map((w) => w.resourceVersion),
        ['1002', '1003', '1004'],
      );
    } finally {
      await h.stop();
    }
  });

  it('re-lists after an in-stream ERROR 410 Expired', async () => {
    const h = await startHarness({ seed: (s) => s.create(coreEvent('e1')) });
    try {
      await watching(h);
      h.server.expireWatches();
      await waitFor(() => h.observed.listed.length === 2, 're-list');
      await watching(h);
      assert.deepEqual(h.summary(), ['LISTED e1 1', 'LISTED e1 1']);
      assert.deepEqual(h.observed.restarts, ['gone']);
    } finally {
      await h.stop();
    }
  });

  it('resumes a cut watch from the last resourceVersion (bookmarks included) with no re-list', async () => {
    const h = await startHarness({ seed: (s) => ['e1', 'e2', 'e3'].forEach((n) => s.create(coreEvent(n))) });
    try {
      await watching(h);
      h.server.create(coreEvent('e4'));
      h.server.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' } });
      h.server.bookmark();
      await waitFor(() => h.changes.length === 4 && h.observed.activity >= 3, 'e4 and the bookmark');
      h.server.dropWatches();
      h.server.create(coreEvent('e5'));
      h.server.update(coreEvent('e1', 'default', 2));
      await waitFor(() => h.changes.length === 6, 'events from the gap');
      assert.deepEqual(h.summary(3), ['ADDED e4 1', 'ADDED e5 1', 'MODIFIED e1 2']);
      assert.deepEqual(h.observed.listed, [3], 'no LISTED storm');
      assert.deepEqual(h.observed.restarts, ['closed']);
      assert.deepEqual(
        watchRequests(h.server).map((w) => w.resourceVersion),
        ['1003', '1005'],
      );
      assert.equal(h.server.requestsWhere((r) => !r.watch).length, 1);
    } finally {
      await h.stop();
    }
  });

  it('backs off 1 s → 2 s → 4 s bounds with full jitter on 5xx, then resumes where it was', async () => {
    const h = await startHarness({ seed: (s) => s.create(coreEvent('e1')) });
    try {
      await watching(h);
      h.server.create(coreEvent('e2'));
      await waitFor(() => h.changes.length === 2, 'e2');
      h.server.failNext(3, 503, (r) => r.watch);
      h.server.dropWatches();
      const delaysMs = [500, 1000, 2000]; // random() = 0.5 of each bound
      for (const [i, delayMs] of delaysMs.entries()) {
        await waitFor(
          () => watchRequests(h.server).length === i + 2 && h.clock.timers === 1,
          `failed watch ${i + 1} and its backoff`,
        );
        await h.clock.advance(delayMs - 1);
        assert.equal(h.clock.timers, 1, 'still backing off');
        assert.equal(watchRequests(h.server).length, i + 2);
        await h.clock.advance(1);
      }
      await watching(h);
      h.server.create(coreEvent('e3'));
      await waitFor(() => h.changes.length === 3, 'e3');
      assert.deepEqual(h.summary(), ['LISTED e1 1', 'ADDED e2 1', 'ADDED e3 1']);
      assert.deepEqual(h.observed.restarts, ['closed', 'error', 'error', 'error']);
      assert.deepEqual(
        watchRequests(h.server)
          .map((w) => [w.resourceVersion, w.status])
          .slice(1),
        [
          ['1002', 503],
          ['1002', 503],
          ['1002', 503],
          ['1002', 200],
        ],
      );
      assert.deepEqual(h.observed.listed, [1]);
    } finally {
      await h.stop();
    }
  });

  it('retries a failing first list with backoff and reports ready only when it succeeds', async () => {
    const h = await startHarness({
      seed: (s) => {
        s.create(coreEvent('e1'));
        s.failNext(2, 500, (r) => !r.watch);
      },
    });
    try {
      await waitFor(() => h.server.requests.length === 1 && h.clock.timers === 1, 'first failure');
      assert.deepEqual(h.observed.listed, []);
      await h.clock.advance(500);
      await waitFor(() => h.server.requests.length === 2 && h.clock.timers === 1, 'second failure');
      await h.clock.advance(1000);
      await watching(h);
      assert.deepEqual(h.observed.listed, [1]);
      assert.deepEqual(h.observed.restarts, ['error', 'error']);
    } finally {
      await h.stop();
    }
  });

  it('resumes at once after a watch timeout; backs off when a watch ends empty at once', async () => {
    const h = await startHarness({ watchTimeoutSeconds: 60, seed: (s) => s.create(coreEvent('e1')) });
    try {
      await watching(h);
      await h.clock.advance(60_000);
      h.server.endWatches();
      await waitFor(() => watchRequests(h.server).length === 2, 'resumed watch');
      await watching(h);
      assert.deepEqual(h.observed.restarts, ['timeout']);
      h.server.endWatches(); // ends at once with nothing: not healthy
      await waitFor(() => h.observed.restarts.length === 2 && h.clock.timers === 1, 'backoff');
      assert.deepEqual(h.observed.restarts, ['timeout', 'closed']);
      assert.deepEqual(
        watchRequests(h.server).map((w) => w.resourceVersion),
        ['1001', '1001'],
      );
      assert.deepEqual(h.observed.listed, [1]);
    } finally {
      await h.stop(); // aborts the backoff sleep: run() resolves at once
    }
  });

  it('sends every call (lists, watches, re-lists) through the kubeQPS / kubeBurst limit', async () => {
    const h = await startHarness({ qps: 10, burst: 1, namespaces: ['a', 'b', 'c'] });
    try {
      const limiter = h.client.limiter as TokenBucket;
      // Lists of b and c wait behind a's; each watch queues once its list is answered.
      for (const [i, waiting] of [3, 3, 3, 2, 1, 0].entries()) {
        const n = i + 1;
        await waitFor(() => h.server.requests.length === n && limiter.waiting === waiting, `request ${n}`);
        await h.clock.advance(100);
      }
      await watching(h, 3);
      h.server.expireWatches();
      // One re-list goes at once; the other two (and the first one's next watch) queue.
      await waitFor(() => h.server.requests.length === 7 && limiter.waiting >= 2, 're-lists queued');
      await h.clock.advance(100);
      await waitFor(() => h.server.requests.length === 8, 'next re-list');
      const times = h.server.requests.map((r) => r.atMs - (h.server.requests[0]?.atMs ?? 0));
      assert.deepEqual(times, [0, 100, 200, 300, 400, 500, 600, 700]);
      assert.deepEqual(
        h.server.requests.slice(0, 7).map((r) => (r.watch ? 'watch' : 'list')),
        ['list', 'list', 'list', 'watch', 'watch', 'watch', 'list'],
      );
    } finally {
      await h.stop();
    }
  });
});

describe('kubernetes source: what ends it', () => {
  it('keeps retrying while the API server is gone, never rejecting, and stops on abort', async () => {
    const h = await startHarness({ seed: (s) => s.create(coreEvent('e1')) });
    let settled = false;
    void h.running.then(() => (settled = true));
    try {
      await watching(h);
      await h.server.close();
      for (let attempt = 1; attempt <= 4; attempt++) {
        await waitFor(() => h.clock.timers === 1, `backoff ${attempt}`);
        await h.clock.advance(30_000);
      }
      await waitFor(
        () => h.observed.restarts.filter((r) => r === 'error').length >= 3,
        'refused connections',
      );
      assert.equal(settled, false);
    } finally {
      await h.stop();
    }
    assert.equal(settled, true);
  });

  it('stops every scope and rejects with the error when the sink fails', async () => {
    const failure = new Error('queue closed');
    const h = await startHarness({
      namespaces: ['a', 'b'],
      sink: (change, record) => {
        if (change.event.metadata.name === 'poison') throw failure;
        record();
      },
    });
    try {
      await watching(h, 2);
      h.server.create(coreEvent('fine', 'b'));
      await waitFor(() => h.changes.length === 1, 'first event');
      h.server.create(coreEvent('poison', 'a'));
      await assert.rejects(h.running, (err) => err === failure);
      await waitFor(() => h.server.openWatches === 0, 'watches closed');
      assert.deepEqual(h.observed.restarts, []);
    } finally {
      await h.stop().catch(() => undefined);
    }
  });
});
