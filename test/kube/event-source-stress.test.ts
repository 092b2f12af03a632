// Many changes with the API misbehaving all along: a resumed watch must deliver every change
// exactly once and in order; re-lists after 410 must leave nothing current unseen.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Change } from '../support/kube-api-store.ts';
import { coreEvent, startHarness, waitFor, type Harness } from './event-source-harness.ts';

/** A small deterministic PRNG (mulberry32), so a failure replays. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Disruption = (h: Harness) => void;

/** Creates, bumps and deletes Events at random, disrupting the API every `every` operations. */
async function churn(
  h: Harness,
  ops: number,
  every: number,
  disruptions: readonly Disruption[],
): Promise<void> {
  const random = prng(42);
  const live = new Map<string, { namespace: string; count: number }>();
  for (let op = 1; op <= ops; op++) {
    const names = [...live.keys()];
    const pick = random();
    if (names.length < 5 || pick < 0.55) {
      const name = `ev-${op}`;
      const namespace = ['a', 'b', 'c'][Math.floor(random() * 3)] ?? 'a';
      h.server.create(coreEvent(name, namespace));
      live.set(name, { namespace, count: 1 });
    } else {
      const name = names[Math.floor(random() * names.length)] ?? '';
      const entry = live.get(name) ?? { namespace: 'a', count: 1 };
      if (pick < 0.95) {
        entry.count += 1;
        h.server.update(coreEvent(name, entry.namespace, entry.count));
      } else {
        h.server.delete('v1', 'Event', entry.namespace, name);
        live.delete(name);
      }
    }
    if (op % every === 0) disruptions[(op / every) % disruptions.length]?.(h);
    if (op % 10 === 0) await drive(h);
  }
}

/** Lets real I/O happen and moves backoff time on, so a backing-off watch comes back. */
async function drive(h: Harness): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1));
  await h.clock.advance(2000);
}

async function settleUntil(h: Harness, condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached`);
    await drive(h);
  }
}

function recordChanges(h: Harness): Change[] {
  const changes: Change[] = [];
  h.server.store.subscribe((c) => {
    if (c.resource === '/events') changes.push(c);
  });
  return changes;
}

describe('kubernetes source under churn', () => {
  it('delivers every change exactly once, in order, across cut, ended and failing watches', async () => {
    const h = await startHarness({ watchTimeoutSeconds: 3600, seed: (s) => s.create(coreEvent('seed')) });
    try {
      await waitFor(() => h.server.openWatches === 1, 'watch open');
      const serverChanges = recordChanges(h);
      await churn(h, 1000, 50, [
        (x) => x.server.dropWatches(),
        (x) => x.server.endWatches(),
        (x) => {
          x.server.failNext(2, 503, (r) => r.watch);
          x.server.dropWatches();
        },
        (x) => x.server.bookmark(),
      ]);
      const watched = (): EventChangeSummary[] => summarize(h).filter((c) => c.type !== 'LISTED');
      await settleUntil(h, () => watched().length >= serverChanges.length, 'all changes delivered');
      const expected = serverChanges.map((c) => ({
        type: c.type,
        name: String(c.object.metadata['name']),
        rv: String(c.rv),
      }));
      assert.deepEqual(watched(), expected);
      assert.deepEqual(h.observed.listed, [1], 'never re-listed');
      const restarts = h.observed.restarts;
      assert.ok(restarts.includes('closed') && restarts.includes('error'), restarts.join(','));
      console.log(
        `churn: ${serverChanges.length} changes delivered once each, ${restarts.length} watch restarts, ${h.server.requests.length} API calls`,
      );
    } finally {
      await h.stop();
    }
  });

  it('after compactions and expired watches, re-lists and ends with every current Event seen at its latest count', async () => {
    const h = await startHarness({ watchTimeoutSeconds: 3600, namespaces: ['a', 'b', 'c'] });
    try {
      await waitFor(() => h.server.openWatches === 3, 'watches open');
      await churn(h, 1000, 100, [
        (x) => {
          x.server.dropWatches();
          x.server.create(coreEvent(`gap-${x.server.store.resourceVersion}`, 'b'));
          x.server.compact();
        },
        (x) => x.server.expireWatches(),
        (x) => x.server.dropWatches(),
      ]);
      const current = new Map(
        ['a', 'b', 'c'].flatMap((ns) =>
          h.server.store
            .list({ group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true }, ns)
            .map((o) => [String(o.metadata['resourceVersion']), String(o.metadata['name'])] as const),
        ),
      );
      const seenRvs = (): Set<string> => new Set(summarize(h).map((c) => c.rv));
      await settleUntil(h, () => [...current.keys()].every((rv) => seenRvs().has(rv)), 'latest state seen');
      const watchedRvs = summarize(h)
        .filter((c) => c.type !== 'LISTED')
        .map((c) => c.rv);
      assert.equal(new Set(watchedRvs).size, watchedRvs.length, 'no watch change delivered twice');
      assert.ok(h.observed.listed.length >= 2, `re-listed ${h.observed.listed.length - 1} times`);
      assert.ok(h.observed.restarts.includes('gone'));
      console.log(
        `compaction churn: ${current.size} current Events all seen, ${h.observed.listed.length - 1} re-lists, ${watchedRvs.length} watch changes, ${h.changes.length - watchedRvs.length} LISTED`,
      );
    } finally {
      await h.stop();
    }
  });
});

interface EventChangeSummary {
  type: string;
  name: string;
  rv: string;
}

function summarize(h: Harness): EventChangeSummary[] {
  return h.changes.map((c) => ({
    type: c.type,
    name: c.event.metadata.name ?? '',
    rv: c.event.metadata.resourceVersion ?? '',
  }));
}
