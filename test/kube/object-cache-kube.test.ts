// The object cache end to end: the real client (src/kube/client.ts) against the test API server,
// which records every request, so metadata-only GETs and discovery refreshes are observed.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createKubeClient, type KubeClient } from '../../src/kube/client.ts';
import { createDiscovery } from '../../src/kube/discovery.ts';
import { createMetadataFetcher } from '../../src/kube/metadata-fetcher.ts';
import { createEnricher } from '../../src/kube/enricher.ts';
import { createObjectCache, type ObjectCache } from '../../src/kube/object-cache.ts';
import { compileRoute, type CompiledRoute } from '../../src/route/route.ts';
import { parse } from 'yaml';
import { rawEvent } from '../route/events.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { KubeApiServer, type KubeObject, type RequestRecord } from '../support/kube-api-server.ts';
import { recorder, ref, type Recorded } from './object-cache-support.ts';

// The server assigns uids, as a real one does: owner references carry the owner's actual uid.
const owner = (obj: KubeObject) => ({
  apiVersion: String(obj['apiVersion']),
  kind: String(obj['kind']),
  name: String(obj.metadata['name']),
  uid: String(obj.metadata['uid']),
  controller: true,
});

function seed(server: KubeApiServer): void {
  server.registerResource({
    group: 'example.com',
    version: 'v1',
    kind: 'Widget',
    plural: 'widgets',
    namespaced: true,
  });
  const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'shop', ...extra });
  const deployment = server.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('web', { labels: { app: 'web' } }),
    spec: { replicas: 2 },
  });
  const replicaSet = server.create({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta('web-5d8', { ownerReferences: [owner(deployment)] }),
  });
  server.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta('web-5d8-x1', {
      labels: { app: 'web', tier: 'front' },
      annotations: { team: 'payments' },
      ownerReferences: [owner(replicaSet)],
    }),
    spec: { containers: [{ name: 'web', image: 'nginx' }] },
    status: { phase: 'Running' },
  });
  server.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { zone: 'a' } } });
  server.create({
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: meta('w1', { labels: { crd: 'yes' } }),
    spec: { size: 3 },
  });
  server.create({ apiVersion: 'v1', kind: 'Secret', metadata: meta('s1') });
}

describe('object cache against the test API server', () => {
  let server: KubeApiServer;
  let dir: string;
  let client: KubeClient;
  let clock: ManualClock;
  let rec: Recorded;
  let cache: ObjectCache;

  before(async () => {
    server = await KubeApiServer.start();
    seed(server);
    dir = await mkdtemp(join(tmpdir(), 'object-cache-'));
    client = createKubeClient({
      kubeconfig: await server.writeKubeconfig(dir),
      env: {},
      qps: 1000,
      burst: 1000,
    });
    clock = new ManualClock();
    rec = recorder();
    const fetcher = createMetadataFetcher({
      transport: client,
      discovery: createDiscovery({ transport: client, clock }),
    });
    cache = createObjectCache({ fetcher, cacheSize: 100, clock, logger: rec.logger, observer: rec.observer });
  });

  after(async () => {
    client.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const gets = (filter: (r: RequestRecord) => boolean): RequestRecord[] =>
    server.requestsWhere((r) => r.method === 'GET' && filter(r));

  it('a Pod: labels, annotations and the Deployment as owner, through metadata-only GETs', async () => {
    const pod = await cache.lookup(ref('Pod', 'web-5d8-x1', 'shop'));
    assert.deepEqual(pod?.labels, { app: 'web', tier: 'front' });
    assert.deepEqual(pod?.annotations, { team: 'payments' });
    assert.deepEqual(pod?.owner, { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' });
    const objects = gets((r) => r.kind !== undefined);
    assert.deepEqual(
      objects.map((r) => [r.path, r.metadataOnly, r.status]),
      [
        ['/api/v1/namespaces/shop/pods/web-5d8-x1', true, 200],
        ['/apis/apps/v1/namespaces/shop/replicasets/web-5d8', true, 200],
        ['/apis/apps/v1/namespaces/shop/deployments/web', true, 200],
      ],
    );
    assert.match(
      objects[0]?.accept ?? '',
      /^application\/json;as=PartialObjectMetadata;g=meta\.k8s\.io;v=v1/,
    );
    assert.deepEqual(
      gets((r) => r.kind === undefined).map((r) => r.path),
      ['/api/v1', '/apis/apps/v1'],
    );
  });

  it('a second lookup asks nothing', async () => {
    const before = server.requests.length;
    assert.ok(await cache.lookup(ref('Pod', 'web-5d8-x1', 'shop')));
    assert.equal(server.requests.length, before);
  });

  it('a cluster-scoped Node, looked up without apiVersion as kubelet events carry it', async () => {
    assert.deepEqual((await cache.lookup({ kind: 'Node', name: 'n1' }))?.labels, { zone: 'a' });
    assert.equal(gets((r) => r.kind === 'Node').at(-1)?.path, '/api/v1/nodes/n1');
  });

  it('a custom resource (CRD kind) via discovery of its group', async () => {
    assert.deepEqual((await cache.lookup(ref('Widget', 'w1', 'shop', 'example.com/v1')))?.labels, {
      crd: 'yes',
    });
    assert.deepEqual(
      gets((r) => r.kind === 'Widget').map((r) => [r.path, r.metadataOnly]),
      [['/apis/example.com/v1/namespaces/shop/widgets/w1', true]],
    );
  });

  it('discovery is refreshed for an unknown kind, at most every 30 s', async () => {
    const discoveries = () => gets((r) => r.path === '/apis/example.com/v1').length;
    assert.equal(discoveries(), 1);
    server.registerResource({
      group: 'example.com',
      version: 'v1',
      kind: 'Gadget',
      plural: 'gadgets',
      namespaced: true,
    });
    server.create({
      apiVersion: 'example.com/v1',
      kind: 'Gadget',
      metadata: { name: 'g1', namespace: 'shop', labels: { new: 'kind' } },
    });
    server.create({
      apiVersion: 'example.com/v1',
      kind: 'Gadget',
      metadata: { name: 'g2', namespace: 'shop', labels: { new: 'kind' } },
    });
    await clock.advance(10_000);
    assert.equal(
      await cache.lookup(ref('Gadget', 'g1', 'shop', 'example.com/v1')),
      undefined,
      'too soon to refresh',
    );
    assert.equal(discoveries(), 1);
    await clock.advance(20_000);
    assert.deepEqual((await cache.lookup(ref('Gadget', 'g2', 'shop', 'example.com/v1')))?.labels, {
      new: 'kind',
    });
    assert.equal(discoveries(), 2);
    assert.equal(rec.logs.filter((l) => l.fields['kind'] === 'Gadget.example.com').length, 1);
  });

  it('Forbidden (403 Status): undefined, cached, logged once for the kind', async () => {
    server.forbid('Secret');
    assert.equal(await cache.lookup(ref('Secret', 's1', 'shop')), undefined);
    assert.equal(await cache.lookup(ref('Secret', 's2', 'shop')), undefined);
    assert.deepEqual(
      gets((r) => r.kind === 'Secret').map((r) => r.status),
      [403],
    );
    assert.equal(rec.logs.filter((l) => l.fields['kind'] === 'Secret').length, 1);
    assert.deepEqual(rec.counts.forbidden, ['Secret']);
  });

  it('NotFound (404 Status) is undefined and cached', async () => {
    assert.equal(await cache.lookup(ref('Pod', 'nope', 'shop')), undefined);
    assert.equal(await cache.lookup(ref('Pod', 'nope', 'shop')), undefined);
    assert.deepEqual(
      gets((r) => r.path.endsWith('/pods/nope')).map((r) => r.status),
      [404],
    );
  });

  it('a 500 resolves undefined and is counted', async () => {
    server.failNext(1, 500, (r) => r.kind === 'ConfigMap');
    server.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'shop' } });
    assert.equal(await cache.lookup(ref('ConfigMap', 'cm', 'shop')), undefined);
    assert.deepEqual(rec.counts.errors, ['serverError']);
  });

  it('a Pod deleted after it was seen is served with deleted: true within the grace period', async () => {
    server.delete('v1', 'Pod', 'shop', 'web-5d8-x1');
    await clock.advance(5 * 60_000);
    const pod = await cache.lookup(ref('Pod', 'web-5d8-x1', 'shop'));
    assert.equal(pod?.deleted, true);
    assert.deepEqual(pod?.labels, { app: 'web', tier: 'front' });
    assert.deepEqual(pod?.owner, { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' });
    assert.equal(gets((r) => r.path.endsWith('/pods/web-5d8-x1')).at(-1)?.status, 404);
  });

  it('the enricher skips the request for an event no receiver can take (cheap drop first)', async () => {
    const yaml = 'drop: [{type: Normal}]\nmatch: [{labels: {crd: yes}, receiver: slack}]';
    const route = compileRoute(parse(yaml), { receivers: new Set(['slack']), clusterName: 'c' })
      .route as CompiledRoute;
    const enricher = createEnricher({ cache, route: () => route, omitLookup: false });
    server.create({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w2', namespace: 'shop', labels: { crd: 'yes' } },
    });
    const widget = (type: string) =>
      rawEvent({
        type,
        kind: 'Widget',
        apiVersion: 'example.com/v1',
        name: 'w2',
        objectNamespace: 'shop',
        namespace: 'shop',
      });
    const base = { occurrence: 1, clusterName: 'c', environment: {} };
    assert.equal((await enricher.enrich(widget('Normal'), base)).object, undefined);
    assert.equal(gets((r) => r.path.endsWith('/widgets/w2')).length, 0);
    const warning = await enricher.enrich(widget('Warning'), base);
    assert.deepEqual(route.evaluate(warning), ['slack']);
    assert.equal(gets((r) => r.path.endsWith('/widgets/w2')).length, 1);
  });
});
