import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { readObjects } from '../../src/event/object-index.ts';
import { createEnricher, objectCacheFromIndex } from '../../src/kube/enricher.ts';
import { createObjectCache, type ObjectCache } from '../../src/kube/object-cache.ts';
import { compileRoute, type CompiledRoute } from '../../src/route/route.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { rawEvent } from '../route/events.ts';
import { FakeFetcher } from './object-cache-support.ts';

function tree(yaml: string): CompiledRoute {
  const result = compileRoute(parse(yaml), { receivers: new Set(['slack', 'dump']), clusterName: 'prod' });
  assert.ok(result.route);
  return result.route;
}

const BASE = { occurrence: 1, clusterName: 'prod', environment: { region: 'eu' } };
const WARNINGS_BY_TEAM = 'drop: [{type: Normal}]\nmatch: [{labels: {team: payments}, receiver: slack}]';

function setup(yaml = WARNINGS_BY_TEAM, omitLookup = false) {
  const fetcher = new FakeFetcher();
  fetcher.put({ kind: 'Pod', namespace: 'shop', name: 'web', labels: { team: 'payments' } });
  const cache: ObjectCache = createObjectCache({ fetcher, cacheSize: 10, clock: new ManualClock() });
  let current = tree(yaml);
  const skipped = { n: 0 };
  const enricher = createEnricher({
    cache,
    route: () => current,
    omitLookup,
    observer: { skipped: () => skipped.n++ },
  });
  return { fetcher, enricher, skipped, swap: (next: string) => (current = tree(next)) };
}

const pod = (type: string) =>
  rawEvent({ type, kind: 'Pod', name: 'web', objectNamespace: 'shop', namespace: 'shop', apiVersion: 'v1' });

describe('enricher', () => {
  it('looks the object up when a receiver may be reached, and routes on its labels', async () => {
    const { fetcher, enricher, skipped } = setup();
    const event = await enricher.enrich(pod('Warning'), BASE);
    assert.deepEqual(event.object?.labels, { team: 'payments' });
    assert.deepEqual([event.occurrence, event.clusterName, event.environment], [1, 'prod', { region: 'eu' }]);
    assert.equal(fetcher.calls.length, 1);
    assert.equal(skipped.n, 0);
  });

  it('skips the lookup when no receiver can be reached whatever the labels (cheap drop)', async () => {
    const { fetcher, enricher, skipped } = setup();
    const event = await enricher.enrich(pod('Normal'), BASE);
    assert.equal(event.object, undefined);
    assert.equal(fetcher.calls.length, 0);
    assert.equal(skipped.n, 1);
  });

  it('uses the current tree after a reload', async () => {
    const { fetcher, enricher, swap } = setup();
    swap('match: [{labels: {team: payments}, receiver: dump}]');
    assert.deepEqual((await enricher.enrich(pod('Normal'), BASE)).object?.labels, { team: 'payments' });
    assert.equal(fetcher.calls.length, 1);
  });

  it('omitLookup: never asks', async () => {
    const { fetcher, enricher } = setup('match: [{receiver: dump}]', true);
    assert.equal((await enricher.enrich(pod('Warning'), BASE)).object, undefined);
    assert.equal(fetcher.calls.length, 0);
  });

  it('a failed lookup leaves object undefined and the event goes on', async () => {
    const { fetcher, enricher } = setup('match: [{receiver: dump}]');
    fetcher.answers.set('Pod/shop/web', 'throw');
    const event = await enricher.enrich(pod('Warning'), BASE);
    assert.equal(event.object, undefined);
    assert.equal(event.raw.type, 'Warning');
  });

  it('without a cache, never looks anything up', async () => {
    const enricher = createEnricher({
      cache: undefined,
      route: () => tree('match: [{receiver: dump}]'),
      omitLookup: false,
    });
    assert.equal((await enricher.enrich(pod('Warning'), BASE)).object, undefined);
  });

  it('an ObjectIndex (--objects FILE) serves as the cache for replays', async () => {
    const index = readObjects(
      JSON.stringify([
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: 'web',
            namespace: 'shop',
            labels: { team: 'payments' },
            ownerReferences: [
              { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true },
            ],
          },
        },
      ]),
    );
    const cache = objectCacheFromIndex(index);
    const enricher = createEnricher({ cache, route: () => tree(WARNINGS_BY_TEAM), omitLookup: false });
    const event = await enricher.enrich(pod('Warning'), BASE);
    assert.deepEqual(
      [event.object?.labels, event.object?.owner?.kind, cache.size],
      [{ team: 'payments' }, 'ReplicaSet', 1],
    );
  });
});
