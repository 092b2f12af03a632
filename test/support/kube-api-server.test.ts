// The test API server checked with the two real clients: kubectl and @kubernetes/client-node.
import { CoreV1Api, KubeConfig, Watch, type CoreV1Event } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { KubeApiServer, type KubeObject } from './kube-api-server.ts';
import { requireExecutable } from './require-server.ts';

const run = promisify(execFile);

function event(name: string, namespace = 'default', count = 1): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace },
    involvedObject: { kind: 'Pod', name: 'web-1', namespace },
    reason: 'BackOff',
    message: `Back-off restarting ${name}`,
    type: 'Warning',
    count,
  };
}

const MANIFEST = `apiVersion: v1
kind: Event
metadata:
  name: from-yaml
  namespace: default
involvedObject:
  kind: Pod
  name: web-1
  namespace: default
reason: Scheduled
message: Successfully assigned default/web-1
type: Normal
count: 1
---
apiVersion: v1
kind: Pod
metadata:
  name: web-1
  namespace: default
  labels: { app: web }
spec:
  containers:
  - name: web
    image: nginx
`;

describe('test API server with kubectl', () => {
  let server: KubeApiServer;
  let dir: string;
  let kubectlArgs: string[];
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, HOME: dir, KUBECONFIG: '' });

  before(async () => {
    requireExecutable('kubectl', 'apt-get install kubectl (Debian: kubernetes-client)');
    server = await KubeApiServer.start();
    dir = await mkdtemp(join(tmpdir(), 'kube-api-kubectl-'));
    const kubeconfig = await server.writeKubeconfig(dir);
    kubectlArgs = ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache')];
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates an Event and a Pod from YAML, then gets them', async () => {
    const file = join(dir, 'objects.yaml');
    await writeFile(file, MANIFEST);
    const created = await run('kubectl', [...kubectlArgs, 'create', '--validate=false', '-f', file], {
      env: env(),
    });
    assert.match(created.stdout, /event\/from-yaml created/);
    assert.match(created.stdout, /pod\/web-1 created/);

    const events = await run('kubectl', [...kubectlArgs, 'get', 'events', '-A', '-o', 'json'], {
      env: env(),
    });
    const list = JSON.parse(events.stdout) as { items: CoreV1Event[] };
    assert.deepEqual(
      list.items.map((e) => [e.metadata.namespace, e.metadata.name, e.reason]),
      [['default', 'from-yaml', 'Scheduled']],
    );

    const pods = await run('kubectl', [...kubectlArgs, 'get', 'pods', '-l', 'app=web'], { env: env() });
    assert.match(pods.stdout, /^NAME\s+AGE\nweb-1\s/);
    const none = await run('kubectl', [...kubectlArgs, 'get', 'pods', '-l', 'app=db'], { env: env() });
    assert.equal(none.stdout, '');
  });

  it('streams a created Event to `kubectl get events --watch -o json`', async () => {
    const child = spawn('kubectl', [...kubectlArgs, 'get', 'events', '--watch', '-o', 'json'], {
      env: env(),
    });
    let out = '';
    const seen = (name: string): Promise<void> =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (out.includes(`"name": "${name}"`)) resolve();
        };
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          check();
        });
        child.once('exit', (code) => reject(new Error(`kubectl exited ${String(code)}: ${out}`)));
        check();
      });
    try {
      await seen('from-yaml');
      await waitFor(() => server.openWatches === 1);
      server.create(event('watched'));
      await seen('watched');
    } finally {
      child.kill();
    }
    assert.ok(server.requestsWhere((r) => r.watch && r.kind === 'Event').length >= 1);
  });
});

describe('test API server with @kubernetes/client-node', () => {
  let server: KubeApiServer;
  let kc: KubeConfig;
  let api: CoreV1Api;

  before(async () => {
    server = await KubeApiServer.start();
    const dir = await mkdtemp(join(tmpdir(), 'kube-api-client-'));
    kc = new KubeConfig();
    kc.loadFromFile(await server.writeKubeconfig(dir));
    await rm(dir, { recursive: true, force: true });
    api = kc.makeApiClient(CoreV1Api);
    for (let i = 0; i < 5; i++) server.create(event(`ev-${i}`, i % 2 === 0 ? 'a' : 'b'));
  });
  after(() => server.close());

  it('lists in pages with a continue token and a resourceVersion', async () => {
    const first = await api.listEventForAllNamespaces({ limit: 2 });
    assert.equal(first.items.length, 2);
    assert.ok(first.metadata?._continue);
    const names = first.items.map((e) => e.metadata.name);
    let token: string | undefined = first.metadata._continue;
    while (token) {
      const page = await api.listEventForAllNamespaces({ limit: 2, _continue: token });
      names.push(...page.items.map((e) => e.metadata.name));
      assert.equal(page.metadata?.resourceVersion, first.metadata.resourceVersion);
      token = page.metadata?._continue;
    }
    assert.deepEqual(names.sort(), ['ev-0', 'ev-1', 'ev-2', 'ev-3', 'ev-4']);
    const inA = await api.listNamespacedEvent({ namespace: 'a', fieldSelector: 'involvedObject.kind=Pod' });
    assert.deepEqual(
      inA.items.map((e) => e.metadata.name),
      ['ev-0', 'ev-2', 'ev-4'],
    );
  });

  it('answers 404 with a Status for a missing object', async () => {
    await assert.rejects(
      api.readNamespacedEvent({ namespace: 'a', name: 'nope' }),
      (err: { code?: number }) => err.code === 404,
    );
  });

  it('watches from a resourceVersion with bookmarks, then 410 after compaction', async () => {
    const listed = await api.listNamespacedEvent({ namespace: 'a' });
    const rv = listed.metadata?.resourceVersion ?? '';
    const seen: string[] = [];
    let done: (err: unknown) => void = () => undefined;
    const ended = new Promise<unknown>((resolve) => (done = resolve));
    const watch = new Watch(kc);
    const controller = await watch.watch(
      '/api/v1/namespaces/a/events',
      { resourceVersion: rv, allowWatchBookmarks: true },
      (type, obj: KubeObject) =>
        seen.push(`${type} ${String(obj.metadata['name'] ?? obj.metadata['resourceVersion'])}`),
      (err) => done(err),
    );
    server.create(event('new', 'a'));
    server.create(event('other-namespace', 'b'));
    server.update(event('ev-0', 'a', 2));
    server.bookmark();
    await waitFor(() => seen.length === 3);
    assert.deepEqual(seen, ['ADDED new', 'MODIFIED ev-0', `BOOKMARK ${server.store.resourceVersion}`]);
    controller.abort();
    await ended;

    server.compact();
    const errors: unknown[] = [];
    await new Watch(kc).watch(
      '/api/v1/namespaces/a/events',
      { resourceVersion: rv },
      (type, obj) => errors.push([type, obj]),
      () => undefined,
    );
    await waitFor(() => errors.length === 1);
    assert.deepEqual(errors[0], [
      'ERROR',
      {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `too old resource version: ${rv} (${server.store.resourceVersion})`,
        reason: 'Expired',
        code: 410,
      },
    ]);
  });

  it('serves metadata-only GETs, discovery, injected failures and forbidden kinds', async () => {
    server.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'a', labels: { app: 'web' } },
      spec: {},
    });
    const headers = {
      Accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json',
    };
    const one = (await (
      await fetch(`${server.url}/apis/apps/v1/namespaces/a/deployments/web`, { headers })
    ).json()) as KubeObject;
    assert.equal(one.kind, 'PartialObjectMetadata');
    assert.deepEqual(one.metadata['labels'], { app: 'web' });
    assert.equal(one['spec'], undefined);
    const listHeaders = { Accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' };
    const many = (await (
      await fetch(`${server.url}/apis/apps/v1/deployments`, { headers: listHeaders })
    ).json()) as { kind: string };
    assert.equal(many.kind, 'PartialObjectMetadataList');
    assert.equal(server.requestsWhere((r) => r.metadataOnly).length, 2);

    server.registerResource({
      group: 'example.com',
      version: 'v1',
      kind: 'Widget',
      plural: 'widgets',
      namespaced: true,
    });
    const groups = (await (await fetch(`${server.url}/apis`)).json()) as { groups: { name: string }[] };
    assert.deepEqual(
      groups.groups.map((g) => g.name),
      ['apps', 'batch', 'events.k8s.io', 'coordination.k8s.io', 'example.com'],
    );
    const widgets = (await (await fetch(`${server.url}/apis/example.com/v1`)).json()) as {
      resources: { kind: string }[];
    };
    assert.deepEqual(
      widgets.resources.map((r) => r.kind),
      ['Widget'],
    );

    server.failNext(1, 503);
    await assert.rejects(
      api.listNamespacedEvent({ namespace: 'a' }),
      (err: { code?: number }) => err.code === 503,
    );
    await api.listNamespacedEvent({ namespace: 'a' });
    server.forbid('Pod');
    await assert.rejects(
      api.listNamespacedPod({ namespace: 'a' }),
      (err: { code?: number }) => err.code === 403,
    );
  });
});

/** Polls real I/O progress (no fixed sleeps); fails after `timeoutMs`. */
async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
