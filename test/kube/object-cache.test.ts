import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CACHE_DEFAULTS,
  cacheKey,
  createObjectCache,
  type ObjectCacheOptions,
} from '../../src/kube/object-cache.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { FakeFetcher, recorder, ref } from './object-cache-support.ts';

const MINUTE = 60_000;

function setup(options: Partial<ObjectCacheOptions> = {}) {
  const fetcher = new FakeFetcher();
  const clock = new ManualClock();
  const rec = recorder();
  const cache = createObjectCache({
    fetcher,
    cacheSize: 100,
    clock,
    logger: rec.logger,
    observer: rec.observer,
    ...options,
  });
  return { fetcher, clock, rec, cache };
}

describe('object cache: hits, TTL and LRU', () => {
  it('fetches once, then serves labels, annotations and owner references from the cache', async () => {
    const { fetcher, rec, cache } = setup();
    fetcher.put({
      kind: 'Pod',
      namespace: 'default',
      name: 'web',
      labels: { app: 'web' },
      annotations: { team: 'a' },
    });
    const first = await cache.lookup(ref('Pod', 'web'));
    const second = await cache.lookup(ref('Pod', 'web'));
    assert.deepEqual(first, {
      labels: { app: 'web' },
      annotations: { team: 'a' },
      ownerReferences: [],
      deleted: false,
    });
    assert.equal(second, first);
    assert.equal(fetcher.calls.length, 1);
    assert.deepEqual(fetcher.calls[0], { apiVersion: 'v1', kind: 'Pod', namespace: 'default', name: 'web' });
    assert.deepEqual([rec.counts.hit, rec.counts.miss], [1, 1]);
  });

  it('asks again once the TTL has passed, and sees the new labels', async () => {
    const { fetcher, clock, cache } = setup({ ttlMs: 5 * MINUTE });
    fetcher.put({ kind: 'Pod', namespace: 'default', name: 'web', labels: { v: '1' } });
    await cache.lookup(ref('Pod', 'web'));
    fetcher.put({ kind: 'Pod', namespace: 'default', name: 'web', labels: { v: '2' } });
    await clock.advance(5 * MINUTE - 1);
    assert.deepEqual((await cache.lookup(ref('Pod', 'web')))?.labels, { v: '1' });
    await clock.advance(1);
    assert.deepEqual((await cache.lookup(ref('Pod', 'web')))?.labels, { v: '2' });
    assert.equal(fetcher.calls.length, 2);
  });

  it('holds at most cacheSize entries, evicting the least recently used', async () => {
    const { fetcher, cache } = setup({ cacheSize: 2 });
    for (const name of ['a', 'b', 'c']) fetcher.put({ kind: 'Pod', namespace: 'default', name });
    await cache.lookup(ref('Pod', 'a'));
    await cache.lookup(ref('Pod', 'b'));
    await cache.lookup(ref('Pod', 'a')); // a is now more recent than b
    await cache.lookup(ref('Pod', 'c')); // evicts b
    assert.equal(cache.size, 2);
    assert.equal(fetcher.calls.length, 3);
    await cache.lookup(ref('Pod', 'a'));
    assert.equal(fetcher.calls.length, 3);
    await cache.lookup(ref('Pod', 'b'));
    assert.equal(fetcher.calls.length, 4);
  });

  it('shares one request among concurrent lookups of the same object (single flight)', async () => {
    const { fetcher, rec, cache } = setup();
    fetcher.put({ kind: 'Pod', namespace: 'default', name: 'web', labels: { app: 'web' } });
    fetcher.hold = true;
    const pending = Array.from({ length: 10 }, () => cache.lookup(ref('Pod', 'web')));
    await new Promise((resolve) => setImmediate(resolve));
    fetcher.release();
    const results = await Promise.all(pending);
    assert.equal(fetcher.calls.length, 1);
    for (const result of results) assert.deepEqual(result?.labels, { app: 'web' });
    assert.equal(rec.counts.miss, 10);
  });

  it('keys by group, kind, namespace and name: versions of one group share an entry', async () => {
    const { fetcher, cache } = setup();
    fetcher.put({ kind: 'Deployment', namespace: 'default', name: 'web' });
    fetcher.put({ kind: 'Node', name: 'n1' });
    await cache.lookup(ref('Deployment', 'web', 'default', 'apps/v1'));
    await cache.lookup(ref('Deployment', 'web', 'default', 'apps/v1beta2'));
    await cache.lookup({ kind: 'Node', name: 'n1' });
    await cache.lookup({ kind: 'Node', name: 'n1', apiVersion: 'v1' });
    assert.equal(fetcher.calls.length, 2);
    assert.equal(cacheKey({ kind: 'Pod' }), undefined);
  });

  it('does not look up a reference without kind or name', async () => {
    const { fetcher, cache } = setup();
    assert.equal(await cache.lookup({ kind: 'Pod', namespace: 'default' }), undefined);
    assert.equal(await cache.lookup({}), undefined);
    assert.equal(fetcher.calls.length, 0);
  });
});

describe('object cache: negative answers', () => {
  it('caches NotFound for negativeTtlMs', async () => {
    const { fetcher, clock, cache } = setup({ negativeTtlMs: MINUTE });
    assert.equal(await cache.lookup(ref('Pod', 'gone')), undefined);
    await clock.advance(MINUTE - 1);
    assert.equal(await cache.lookup(ref('Pod', 'gone')), undefined);
    assert.equal(fetcher.calls.length, 1);
    fetcher.put({ kind: 'Pod', namespace: 'default', name: 'gone', labels: { back: 'yes' } });
    await clock.advance(1);
    assert.deepEqual((await cache.lookup(ref('Pod', 'gone')))?.labels, { back: 'yes' });
  });

  it('caches Forbidden per kind and namespace, and logs it once per kind', async () => {
    const { fetcher, clock, rec, cache } = setup({ negativeTtlMs: MINUTE });
    fetcher.kindAnswers.set('Secret', { status: 'forbidden', message: 'secrets is forbidden' });
    fetcher.kindAnswers.set('Lease', { status: 'forbidden', message: 'leases is forbidden' });
    for (const name of ['a', 'b', 'c']) assert.equal(await cache.lookup(ref('Secret', name)), undefined);
    assert.equal(fetcher.callsFor('Secret'), 1, 'other Secrets in the namespace are not asked for');
    await cache.lookup(ref('Secret', 'a', 'other'));
    await clock.advance(MINUTE);
    await cache.lookup(ref('Secret', 'd'));
    await cache.lookup(ref('Lease', 'l', 'default', 'coordination.k8s.io/v1'));
    assert.equal(fetcher.callsFor('Secret'), 3);
    assert.deepEqual(rec.counts.forbidden, ['Secret', 'Secret', 'Secret', 'Lease.coordination.k8s.io']);
    assert.deepEqual(
      rec.logs.map((l) => l.fields['kind']),
      ['Secret', 'Lease.coordination.k8s.io'],
    );
    assert.match(rec.logs[0]?.message ?? '', /^Not allowed to read objects of this kind/);
  });

  it('caches an unknown kind and logs it once', async () => {
    const { fetcher, rec, cache } = setup();
    fetcher.kindAnswers.set('Widget', { status: 'unknownKind' });
    await cache.lookup(ref('Widget', 'a', 'default', 'example.com/v1'));
    await cache.lookup(ref('Widget', 'a', 'default', 'example.com/v1'));
    await cache.lookup(ref('Widget', 'b', 'default', 'example.com/v1'));
    assert.equal(fetcher.calls.length, 2);
    assert.equal(rec.logs.length, 1);
  });
});

describe('object cache: failures never block or throw', () => {
  const failures: [
    name: string,
    answer: 'throw' | { status: 'error'; reason: 'serverError' | 'rateLimited'; message: string },
    reason: string,
  ][] = [
    ['a 500', { status: 'error', reason: 'serverError', message: 'boom' }, 'serverError'],
    ['a 429', { status: 'error', reason: 'rateLimited', message: 'slow down' }, 'rateLimited'],
    ['a rejected request', 'throw', 'network'],
  ];
  for (const [name, answer, reason] of failures) {
    it(`${name} resolves undefined, is counted and backs off for that object`, async () => {
      const { fetcher, clock, rec, cache } = setup();
      fetcher.answers.set('Pod/default/web', answer);
      assert.equal(await cache.lookup(ref('Pod', 'web')), undefined);
      assert.deepEqual(rec.counts.errors, [reason]);
      await cache.lookup(ref('Pod', 'web'));
      assert.equal(fetcher.calls.length, 1);
      await clock.advance(CACHE_DEFAULTS.errorBackoffMs);
      await cache.lookup(ref('Pod', 'web'));
      assert.equal(fetcher.calls.length, 2);
      assert.equal(rec.logs.length, 1, 'repeated failures are rate-limited in the log');
    });
  }

  it('a request with no answer resolves undefined at timeoutMs and is aborted', async () => {
    const { fetcher, clock, rec, cache } = setup({ timeoutMs: 2_000 });
    fetcher.answers.set('Pod/default/web', 'hang');
    let settled = false;
    const pending = cache.lookup(ref('Pod', 'web')).then((value) => {
      settled = true;
      return value;
    });
    await clock.advance(1_999);
    assert.equal(settled, false);
    await clock.advance(1);
    assert.equal(await pending, undefined);
    assert.equal(fetcher.signals[0]?.aborted, true);
    assert.deepEqual(rec.counts.errors, ['timeout']);
  });

  it('serves the last known metadata while the API fails (stale if error)', async () => {
    const { fetcher, clock, cache } = setup();
    fetcher.put({ kind: 'Pod', namespace: 'default', name: 'web', labels: { app: 'web' } });
    await cache.lookup(ref('Pod', 'web'));
    await clock.advance(CACHE_DEFAULTS.ttlMs);
    fetcher.answers.set('Pod/default/web', { status: 'error', reason: 'serverError', message: 'down' });
    assert.deepEqual((await cache.lookup(ref('Pod', 'web')))?.labels, { app: 'web' });
  });

  it('after breakerThreshold failures in a row, stops asking for errorBackoffMs', async () => {
    const { fetcher, clock, rec, cache } = setup({ breakerThreshold: 3, errorBackoffMs: 10_000 });
    fetcher.kindAnswers.set('Pod', { status: 'error', reason: 'serverError', message: 'down' });
    for (const name of ['a', 'b', 'c']) await cache.lookup(ref('Pod', name));
    assert.equal(await cache.lookup(ref('Pod', 'd')), undefined);
    assert.equal(fetcher.calls.length, 3);
    assert.deepEqual(rec.counts.errors, ['serverError', 'serverError', 'serverError', 'unavailable']);
    fetcher.kindAnswers.delete('Pod');
    fetcher.put({ kind: 'Pod', namespace: 'default', name: 'd', labels: { ok: 'yes' } });
    await clock.advance(10_000);
    assert.deepEqual((await cache.lookup(ref('Pod', 'd')))?.labels, { ok: 'yes' });
  });
});

describe('object cache: deleted objects', () => {
  it('a 404 within the grace period after the object was seen serves it with deleted: true', async () => {
    const { fetcher, clock, cache } = setup({ ttlMs: 5 * MINUTE, deletedGraceMs: 10 * MINUTE });
    fetcher.put({ kind: 'Pod', namespace: 'default', name: 'web', labels: { app: 'web' } });
    await cache.lookup(ref('Pod', 'web'));
    fetcher.remove('Pod', 'default', 'web');
    await clock.advance(6 * MINUTE);
    assert.deepEqual(await cache.lookup(ref('Pod', 'web')), {
      labels: { app: 'web' },
      annotations: {},
      ownerReferences: [],
      deleted: true,
    });
    await clock.advance(3 * MINUTE);
    assert.equal((await cache.lookup(ref('Pod', 'web')))?.deleted, true);
    assert.equal(fetcher.calls.length, 2, 'served from the cache until the grace period ends');
    await clock.advance(1 * MINUTE);
    assert.equal(await cache.lookup(ref('Pod', 'web')), undefined);
  });

  it('a 404 after the grace period is a plain NotFound', async () => {
    const { fetcher, clock, cache } = setup({ ttlMs: 20 * MINUTE, deletedGraceMs: 10 * MINUTE });
    fetcher.put({ kind: 'Pod', namespace: 'default', name: 'web' });
    await cache.lookup(ref('Pod', 'web'));
    fetcher.remove('Pod', 'default', 'web');
    await clock.advance(20 * MINUTE);
    assert.equal(await cache.lookup(ref('Pod', 'web')), undefined);
  });

  it('markDeleted keeps serving the object, deleted: true, for the grace period', async () => {
    const { fetcher, clock, cache } = setup({ deletedGraceMs: 10 * MINUTE });
    fetcher.put({ kind: 'Pod', namespace: 'default', name: 'web', labels: { app: 'web' } });
    await cache.lookup(ref('Pod', 'web'));
    fetcher.remove('Pod', 'default', 'web');
    cache.markDeleted(ref('Pod', 'web'));
    cache.markDeleted(ref('Pod', 'never-seen'));
    await clock.advance(10 * MINUTE - 1);
    assert.deepEqual(await cache.lookup(ref('Pod', 'web')), {
      labels: { app: 'web' },
      annotations: {},
      ownerReferences: [],
      deleted: true,
    });
    assert.equal(fetcher.calls.length, 1);
    await clock.advance(1);
    assert.equal(await cache.lookup(ref('Pod', 'web')), undefined);
  });
});
