import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createDiscovery,
  DiscoveryError,
  parseApiVersion,
  type KubeTransport,
  type ResourceInfo,
} from '../../src/kube/discovery.ts';
import {
  classify,
  createMetadataFetcher,
  objectPath,
  PARTIAL_OBJECT_METADATA_ACCEPT,
} from '../../src/kube/metadata-fetcher.ts';
import { ManualClock } from '../../src/util/clock.ts';

interface Served {
  kind: string;
  name: string;
  namespaced: boolean;
}

/** Serves APIResourceLists from a mutable table; records every request. */
class FakeTransport implements KubeTransport {
  readonly requests: { path: string; accept: string }[] = [];
  readonly lists = new Map<string, Served[]>();
  readonly objects = new Map<string, unknown>();
  failWith: number | undefined;

  get(path: string, accept: string): Promise<{ status: number; body: unknown }> {
    this.requests.push({ path, accept });
    if (this.failWith !== undefined)
      return Promise.resolve({ status: this.failWith, body: { kind: 'Status', message: 'nope' } });
    const list = this.lists.get(path);
    if (list !== undefined)
      return Promise.resolve({ status: 200, body: { kind: 'APIResourceList', resources: list } });
    const obj = this.objects.get(path);
    if (obj !== undefined) return Promise.resolve({ status: 200, body: obj });
    return Promise.resolve({ status: 404, body: { kind: 'Status', code: 404 } });
  }

  count(path: string): number {
    return this.requests.filter((r) => r.path === path).length;
  }
}

function setup() {
  const transport = new FakeTransport();
  transport.lists.set('/api/v1', [
    { kind: 'Pod', name: 'pods', namespaced: true },
    { kind: 'Pod', name: 'pods/log', namespaced: true },
    { kind: 'Node', name: 'nodes', namespaced: false },
  ]);
  transport.lists.set('/apis/apps/v1', [{ kind: 'ReplicaSet', name: 'replicasets', namespaced: true }]);
  transport.lists.set('/apis/example.com/v1', [{ kind: 'Widget', name: 'widgets', namespaced: true }]);
  const clock = new ManualClock();
  return { transport, clock, discovery: createDiscovery({ transport, clock }) };
}

describe('discovery', () => {
  const cases: [apiVersion: string, kind: string, expected: ResourceInfo | undefined][] = [
    ['v1', 'Pod', { group: '', version: 'v1', kind: 'Pod', resource: 'pods', namespaced: true }],
    ['', 'Node', { group: '', version: 'v1', kind: 'Node', resource: 'nodes', namespaced: false }],
    [
      'apps/v1',
      'ReplicaSet',
      { group: 'apps', version: 'v1', kind: 'ReplicaSet', resource: 'replicasets', namespaced: true },
    ],
    [
      'example.com/v1',
      'Widget',
      { group: 'example.com', version: 'v1', kind: 'Widget', resource: 'widgets', namespaced: true },
    ],
    ['example.com/v2', 'Widget', undefined],
    ['extensions', 'Deployment', undefined],
    ['apps/v1', 'Pod', undefined],
  ];
  for (const [apiVersion, kind, expected] of cases) {
    it(`${apiVersion || '(none)'} ${kind} → ${expected?.resource ?? 'unknown'}`, async () => {
      const { discovery } = setup();
      assert.deepEqual(await discovery.resolve(apiVersion, kind), expected);
    });
  }

  it('reads each group version once and answers known kinds from memory', async () => {
    const { transport, discovery } = setup();
    await Promise.all([
      discovery.resolve('v1', 'Pod'),
      discovery.resolve('v1', 'Node'),
      discovery.resolve('v1', 'Pod'),
    ]);
    await discovery.resolve('v1', 'Pod');
    assert.deepEqual(transport.requests, [{ path: '/api/v1', accept: 'application/json' }]);
  });

  it('re-reads a group version for an unknown kind, at most every 30 s', async () => {
    const { transport, clock, discovery } = setup();
    assert.ok(await discovery.resolve('example.com/v1', 'Widget'));
    transport.lists.set('/apis/example.com/v1', [
      { kind: 'Widget', name: 'widgets', namespaced: true },
      { kind: 'Gadget', name: 'gadgets', namespaced: false },
    ]);
    await clock.advance(10_000);
    assert.equal(await discovery.resolve('example.com/v1', 'Gadget'), undefined);
    await clock.advance(19_999);
    assert.equal(await discovery.resolve('example.com/v1', 'Gadget'), undefined);
    assert.equal(transport.count('/apis/example.com/v1'), 1);
    await clock.advance(1);
    assert.equal((await discovery.resolve('example.com/v1', 'Gadget'))?.resource, 'gadgets');
    assert.equal(transport.count('/apis/example.com/v1'), 2);
    assert.equal(await discovery.resolve('example.com/v1', 'Sprocket'), undefined);
    assert.equal(transport.count('/apis/example.com/v1'), 2);
  });

  it('a group version that is not served is remembered as empty (404), also at most every 30 s', async () => {
    const { transport, clock, discovery } = setup();
    assert.equal(await discovery.resolve('missing.io/v1', 'Thing'), undefined);
    assert.equal(await discovery.resolve('missing.io/v1', 'Thing'), undefined);
    await clock.advance(30_000);
    assert.equal(await discovery.resolve('missing.io/v1', 'Thing'), undefined);
    assert.equal(transport.count('/apis/missing.io/v1'), 2);
  });

  it('a failing discovery rejects with DiscoveryError and may be retried at once', async () => {
    const { transport, discovery } = setup();
    transport.failWith = 503;
    await assert.rejects(
      discovery.resolve('v1', 'Pod'),
      (err: unknown) => err instanceof DiscoveryError && err.code === 'E_DISCOVERY',
    );
    transport.failWith = undefined;
    assert.ok(await discovery.resolve('v1', 'Pod'));
  });

  const versions: [string, ReturnType<typeof parseApiVersion>][] = [
    ['v1', { group: '', version: 'v1' }],
    ['', { group: '', version: 'v1' }],
    ['apps/v1', { group: 'apps', version: 'v1' }],
    ['extensions', undefined],
    ['a/b/c', undefined],
    ['/v1', undefined],
    ['apps/', undefined],
  ];
  for (const [input, expected] of versions) {
    it(`parseApiVersion(${JSON.stringify(input)})`, () => assert.deepEqual(parseApiVersion(input), expected));
  }
});

describe('metadata fetcher', () => {
  const paths: [ResourceInfo, string, string, string][] = [
    [
      { group: '', version: 'v1', kind: 'Pod', resource: 'pods', namespaced: true },
      'shop',
      'web',
      '/api/v1/namespaces/shop/pods/web',
    ],
    [
      { group: '', version: 'v1', kind: 'Node', resource: 'nodes', namespaced: false },
      'ignored',
      'n1',
      '/api/v1/nodes/n1',
    ],
    [
      { group: 'apps', version: 'v1', kind: 'ReplicaSet', resource: 'replicasets', namespaced: true },
      'a b',
      'x:y',
      '/apis/apps/v1/namespaces/a%20b/replicasets/x%3Ay',
    ],
  ];
  for (const [info, namespace, name, expected] of paths) {
    it(`objectPath → ${expected}`, () => assert.equal(objectPath(info, namespace, name), expected));
  }

  const answers: [number, string][] = [
    [200, 'found'],
    [404, 'notFound'],
    [403, 'forbidden'],
    [429, 'error:rateLimited'],
    [500, 'error:serverError'],
    [503, 'error:serverError'],
    [408, 'error:timeout'],
    [401, 'error:clientError'],
  ];
  for (const [status, expected] of answers) {
    it(`HTTP ${status} → ${expected}`, () => {
      const result = classify(status, { metadata: { name: 'x' }, message: 'm' });
      assert.equal(result.status === 'error' ? `error:${result.reason}` : result.status, expected);
    });
  }

  it('asks for PartialObjectMetadata at the discovered path; unknown kinds ask nothing', async () => {
    const { transport, clock } = setup();
    transport.objects.set('/apis/example.com/v1/namespaces/shop/widgets/w', {
      kind: 'PartialObjectMetadata',
      metadata: { labels: { a: 'b' } },
    });
    const fetcher = createMetadataFetcher({ transport, discovery: createDiscovery({ transport, clock }) });
    const signal = new AbortController().signal;
    const found = await fetcher.get(
      { apiVersion: 'example.com/v1', kind: 'Widget', namespace: 'shop', name: 'w' },
      signal,
    );
    assert.deepEqual(found, { status: 'found', metadata: { labels: { a: 'b' } } });
    assert.equal(transport.requests.at(-1)?.accept, PARTIAL_OBJECT_METADATA_ACCEPT);
    assert.deepEqual(
      await fetcher.get(
        { apiVersion: 'example.com/v1', kind: 'Gizmo', namespace: 'shop', name: 'g' },
        signal,
      ),
      { status: 'unknownKind' },
    );
    assert.deepEqual(await fetcher.get({ apiVersion: 'v1', kind: 'Pod', namespace: '', name: 'p' }, signal), {
      status: 'notFound',
    });
    transport.failWith = 500;
    const failed = await fetcher.get(
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: 'shop', name: 'r' },
      signal,
    );
    assert.equal(failed.status === 'error' && failed.reason, 'discovery');
  });
});
