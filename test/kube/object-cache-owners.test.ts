import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readObjects } from '../../src/event/object-index.ts';
import { MAX_OWNER_DEPTH } from '../../src/kube/owner-chain.ts';
import { createObjectCache } from '../../src/kube/object-cache.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { FakeFetcher, ownerRef, recorder, ref, type FakeObject } from './object-cache-support.ts';

function setup(objects: FakeObject[]) {
  const fetcher = new FakeFetcher();
  for (const obj of objects) fetcher.put(obj);
  const rec = recorder();
  const cache = createObjectCache({
    fetcher,
    cacheSize: 100,
    clock: new ManualClock(),
    observer: rec.observer,
  });
  return { fetcher, rec, cache };
}

const DEPLOYMENT_CHAIN: FakeObject[] = [
  {
    kind: 'Pod',
    namespace: 'shop',
    name: 'web-5d8-x1',
    owners: [ownerRef('apps/v1', 'ReplicaSet', 'web-5d8')],
  },
  {
    kind: 'Pod',
    namespace: 'shop',
    name: 'web-5d8-x2',
    owners: [ownerRef('apps/v1', 'ReplicaSet', 'web-5d8')],
  },
  {
    kind: 'ReplicaSet',
    namespace: 'shop',
    name: 'web-5d8',
    owners: [ownerRef('apps/v1', 'Deployment', 'web')],
  },
  { kind: 'Deployment', namespace: 'shop', name: 'web' },
  { kind: 'Pod', namespace: 'shop', name: 'report-1-abc', owners: [ownerRef('batch/v1', 'Job', 'report-1')] },
  { kind: 'Job', namespace: 'shop', name: 'report-1', owners: [ownerRef('batch/v1', 'CronJob', 'report')] },
  { kind: 'CronJob', namespace: 'shop', name: 'report' },
  {
    kind: 'Pod',
    namespace: 'shop',
    name: 'orphan-rs-pod',
    owners: [ownerRef('apps/v1', 'ReplicaSet', 'missing-rs')],
  },
  {
    kind: 'Pod',
    namespace: 'shop',
    name: 'two-owners',
    owners: [ownerRef('v1', 'ConfigMap', 'not-controller', false), ownerRef('apps/v1', 'StatefulSet', 'db')],
  },
  { kind: 'StatefulSet', namespace: 'shop', name: 'db' },
  {
    kind: 'Pod',
    namespace: 'shop',
    name: 'first-owner',
    owners: [ownerRef('example.com/v1', 'Widget', 'w', false)],
  },
];

describe('object cache: owner chain', () => {
  const cases: [pod: string, owner: { kind: string; name: string; apiVersion: string } | undefined][] = [
    ['web-5d8-x1', { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }],
    ['report-1-abc', { kind: 'CronJob', name: 'report', apiVersion: 'batch/v1' }],
    ['orphan-rs-pod', { kind: 'ReplicaSet', name: 'missing-rs', apiVersion: 'apps/v1' }],
    ['two-owners', { kind: 'StatefulSet', name: 'db', apiVersion: 'apps/v1' }],
    ['first-owner', { kind: 'Widget', name: 'w', apiVersion: 'example.com/v1' }],
    ['web-5d8', undefined],
  ];
  for (const [name, owner] of cases) {
    it(`${name} → ${owner === undefined ? 'no owner' : `${owner.kind}/${owner.name}`}`, async () => {
      const { cache } = setup(DEPLOYMENT_CHAIN);
      const kind = name === 'web-5d8' ? 'Deployment' : 'Pod';
      const result = await cache.lookup(ref(kind, name === 'web-5d8' ? 'web' : name, 'shop'));
      assert.ok(result);
      assert.deepEqual(result.owner, owner);
    });
  }

  it('matches the offline ObjectIndex (route-test --objects) on the same objects', async () => {
    const { cache } = setup(DEPLOYMENT_CHAIN);
    const index = readObjects(
      JSON.stringify(
        DEPLOYMENT_CHAIN.map((o) => ({
          apiVersion: 'v1',
          kind: o.kind,
          metadata: { name: o.name, namespace: o.namespace, uid: `uid-${o.name}`, ownerReferences: o.owners },
        })),
      ),
    );
    for (const obj of DEPLOYMENT_CHAIN) {
      const r = ref(obj.kind, obj.name, 'shop');
      assert.deepEqual((await cache.lookup(r))?.owner, index.lookup(r)?.owner, obj.name);
    }
  });

  it('looks owners up through the cache: two pods of one ReplicaSet fetch it once', async () => {
    const { fetcher, cache } = setup(DEPLOYMENT_CHAIN);
    await Promise.all([
      cache.lookup(ref('Pod', 'web-5d8-x1', 'shop')),
      cache.lookup(ref('Pod', 'web-5d8-x2', 'shop')),
    ]);
    assert.deepEqual(
      ['Pod', 'ReplicaSet', 'Deployment'].map((k) => fetcher.callsFor(k)),
      [2, 1, 1],
    );
    assert.deepEqual(
      fetcher.calls.find((c) => c.kind === 'ReplicaSet'),
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: 'shop', name: 'web-5d8' },
    );
    await cache.lookup(ref('Pod', 'web-5d8-x1', 'shop'));
    assert.equal(fetcher.calls.length, 4, 'the resolved chain is cached with the object');
  });

  it('a forbidden or failing owner leaves the reference as the top owner', async () => {
    const { fetcher, cache } = setup(DEPLOYMENT_CHAIN);
    fetcher.kindAnswers.set('ReplicaSet', { status: 'forbidden', message: 'replicasets is forbidden' });
    const result = await cache.lookup(ref('Pod', 'web-5d8-x1', 'shop'));
    assert.deepEqual(result?.owner, { kind: 'ReplicaSet', name: 'web-5d8', apiVersion: 'apps/v1' });
  });

  it('stops at an owner whose uid differs from the reference (a newer object of that name)', async () => {
    const { cache } = setup([
      { kind: 'Pod', namespace: 'shop', name: 'p', owners: [ownerRef('apps/v1', 'ReplicaSet', 'rs')] },
      {
        kind: 'ReplicaSet',
        namespace: 'shop',
        name: 'rs',
        uid: 'someone-else',
        owners: [ownerRef('apps/v1', 'Deployment', 'd')],
      },
    ]);
    assert.deepEqual((await cache.lookup(ref('Pod', 'p', 'shop')))?.owner, {
      kind: 'ReplicaSet',
      name: 'rs',
      apiVersion: 'apps/v1',
    });
  });

  it('a cycle ends, each object fetched once, even for concurrent lookups from both ends', async () => {
    const { fetcher, cache } = setup([
      { kind: 'ConfigMap', namespace: 'shop', name: 'a', owners: [ownerRef('v1', 'ConfigMap', 'b')] },
      { kind: 'ConfigMap', namespace: 'shop', name: 'b', owners: [ownerRef('v1', 'ConfigMap', 'a')] },
      { kind: 'ConfigMap', namespace: 'shop', name: 'self', owners: [ownerRef('v1', 'ConfigMap', 'self')] },
    ]);
    fetcher.hold = true;
    const both = Promise.all([
      cache.lookup(ref('ConfigMap', 'a', 'shop')),
      cache.lookup(ref('ConfigMap', 'b', 'shop')),
    ]);
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      fetcher.release();
    }
    const [a, b] = await both;
    assert.deepEqual(a?.owner, { kind: 'ConfigMap', name: 'a', apiVersion: 'v1' });
    assert.deepEqual(b?.owner, { kind: 'ConfigMap', name: 'b', apiVersion: 'v1' });
    assert.equal(fetcher.calls.length, 2);
    fetcher.hold = false;
    assert.deepEqual((await cache.lookup(ref('ConfigMap', 'self', 'shop')))?.owner, {
      kind: 'ConfigMap',
      name: 'self',
      apiVersion: 'v1',
    });
  });

  it(`follows at most ${MAX_OWNER_DEPTH} owners`, async () => {
    const chain: FakeObject[] = Array.from({ length: 15 }, (_, i) => ({
      kind: 'ConfigMap',
      namespace: 'shop',
      name: `c${i}`,
      owners: [ownerRef('v1', 'ConfigMap', `c${i + 1}`)],
    }));
    const { fetcher, cache } = setup(chain);
    const result = await cache.lookup(ref('ConfigMap', 'c0', 'shop'));
    assert.deepEqual(result?.owner, { kind: 'ConfigMap', name: `c${MAX_OWNER_DEPTH}`, apiVersion: 'v1' });
    assert.equal(fetcher.calls.length, 1 + MAX_OWNER_DEPTH, 'the object and its owners');
  });
});
