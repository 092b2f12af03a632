import { KubeConfig } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createKubeClient,
  KubeconfigError,
  resolveKubeconfig,
  type KubeconfigOptions,
} from '../../src/kube/client.ts';
import { SERVICE_ACCOUNT_DIR } from '../../src/kube/client-config.ts';
import type { KubeTransport } from '../../src/kube/discovery.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { KubeApiServer } from '../support/kube-api-server.ts';

function kubeconfig(
  entries: { cluster: string; server: string; user: string; context: string }[],
  current?: string,
): string {
  const lines = ['apiVersion: v1', 'kind: Config', 'clusters:'];
  for (const e of entries) lines.push(`- name: ${e.cluster}`, '  cluster:', `    server: ${e.server}`);
  lines.push('users:');
  for (const e of entries) lines.push(`- name: ${e.user}`, '  user:', `    token: token-of-${e.user}`);
  lines.push('contexts:');
  for (const e of entries)
    lines.push(
      `- name: ${e.context}`,
      '  context:',
      `    cluster: ${e.cluster}`,
      `    user: ${e.user}`,
      '    namespace: team-a',
    );
  if (current !== undefined) lines.push(`current-context: ${current}`);
  return `${lines.join('\n')}\n`;
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('resolveKubeconfig', () => {
  let dir: string;
  let files: Record<'a' | 'b' | 'home' | 'broken', string>;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubeconfig-'));
    files = {
      a: join(dir, 'a.yaml'),
      b: join(dir, 'b.yaml'),
      home: join(dir, 'home', '.kube', 'config'),
      broken: join(dir, 'broken.yaml'),
    };
    await writeFile(
      files.a,
      kubeconfig(
        [{ cluster: 'shared', server: 'https://a.example:6443', user: 'ua', context: 'ctx-a' }],
        'ctx-a',
      ),
    );
    await writeFile(
      files.b,
      kubeconfig(
        [
          { cluster: 'shared', server: 'https://b.example:6443', user: 'ub', context: 'ctx-b' },
          { cluster: 'only-b', server: 'https://only-b.example:6443', user: 'ub2', context: 'ctx-b2' },
        ],
        'ctx-b',
      ),
    );
    await mkdir(join(dir, 'home', '.kube'), { recursive: true });
    await writeFile(
      files.home,
      kubeconfig(
        [{ cluster: 'home', server: 'https://home.example:6443', user: 'uh', context: 'ctx-h' }],
        'ctx-h',
      ),
    );
    await writeFile(files.broken, 'clusters: [');
    const sa = join(dir, 'root', SERVICE_ACCOUNT_DIR);
    await mkdir(sa, { recursive: true });
    await writeFile(join(sa, 'token'), 'sa-token');
    await writeFile(join(sa, 'namespace'), 'router-ns');
    await writeFile(join(sa, 'ca.crt'), '');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const inClusterEnv = { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' };
  const cases: {
    name: string;
    options: () => KubeconfigOptions;
    origin: string;
    server: string;
    context: string;
  }[] = [
    {
      name: '--kubeconfig wins over everything',
      options: () => ({ kubeconfig: files.b, env: { KUBECONFIG: files.a, ...inClusterEnv } }),
      origin: 'flag',
      server: 'https://b.example:6443',
      context: 'ctx-b',
    },
    {
      name: 'KUBECONFIG list: the first definition of a name wins',
      options: () => ({ env: { KUBECONFIG: `${files.a}:${files.b}` } }),
      origin: 'KUBECONFIG',
      server: 'https://a.example:6443',
      context: 'ctx-a',
    },
    {
      name: 'KUBECONFIG list: missing files are skipped',
      options: () => ({ env: { KUBECONFIG: `${join(dir, 'nope')}:${files.b}` } }),
      origin: 'KUBECONFIG',
      server: 'https://b.example:6443',
      context: 'ctx-b',
    },
    {
      name: 'KUBECONFIG list with --context from the second file',
      options: () => ({ env: { KUBECONFIG: `${files.a}:${files.b}` }, context: 'ctx-b2' }),
      origin: 'KUBECONFIG',
      server: 'https://only-b.example:6443',
      context: 'ctx-b2',
    },
    {
      name: 'in-cluster before ~/.kube/config',
      options: () => ({ env: inClusterEnv, homeDir: join(dir, 'home'), rootPrefix: join(dir, 'root') }),
      origin: 'in-cluster',
      server: 'https://10.0.0.1:443',
      context: 'inClusterContext',
    },
    {
      name: '~/.kube/config last',
      options: () => ({ env: {}, homeDir: join(dir, 'home'), rootPrefix: join(dir, 'root') }),
      origin: 'home',
      server: 'https://home.example:6443',
      context: 'ctx-h',
    },
    {
      name: 'no service account token: not in-cluster',
      options: () => ({ env: inClusterEnv, homeDir: join(dir, 'home'), rootPrefix: join(dir, 'nowhere') }),
      origin: 'home',
      server: 'https://home.example:6443',
      context: 'ctx-h',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const resolved = resolveKubeconfig(c.options());
      assert.equal(resolved.origin, c.origin);
      assert.equal(resolved.kubeConfig.getCurrentCluster()?.server, c.server);
      assert.equal(resolved.kubeConfig.getCurrentContext(), c.context);
    });
  }

  it('uses the service account token and namespace in-cluster', async () => {
    const { kubeConfig } = resolveKubeconfig({
      env: inClusterEnv,
      rootPrefix: join(dir, 'root'),
      homeDir: join(dir, 'empty'),
    });
    const opts: https.RequestOptions = {};
    await kubeConfig.applyToHTTPSOptions(opts);
    assert.equal((opts.headers as Record<string, string>)['Authorization'], 'Bearer sa-token');
    assert.equal(kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace, 'router-ns');
    assert.equal(process.env['KUBERNETES_SERVICE_HOST'], undefined);
  });

  const failures: { name: string; options: () => KubeconfigOptions; message: RegExp }[] = [
    {
      name: 'nothing found',
      options: () => ({ env: {}, homeDir: join(dir, 'empty'), rootPrefix: join(dir, 'nowhere') }),
      message: /no Kubernetes configuration found/,
    },
    {
      name: 'missing --kubeconfig file',
      options: () => ({ kubeconfig: join(dir, 'missing.yaml') }),
      message: /cannot read kubeconfig .*missing\.yaml/,
    },
    {
      name: 'unparsable file',
      options: () => ({ kubeconfig: files.broken }),
      message: /cannot read kubeconfig .*broken\.yaml/,
    },
    {
      name: 'no file of KUBECONFIG exists',
      options: () => ({ env: { KUBECONFIG: join(dir, 'x') } }),
      message: /none of the files in KUBECONFIG exists/,
    },
    {
      name: 'unknown --context',
      options: () => ({ kubeconfig: files.a, context: 'nope' }),
      message: /context "nope" not found/,
    },
  ];
  for (const f of failures) {
    it(`fails with KubeconfigError: ${f.name}`, () => {
      assert.throws(
        () => resolveKubeconfig(f.options()),
        (err: unknown) =>
          err instanceof KubeconfigError && err.code === 'E_KUBECONFIG' && f.message.test(err.message),
      );
    });
  }
});

describe('createKubeClient against the test API server', () => {
  let server: KubeApiServer;
  let dir: string;
  let path: string;
  before(async () => {
    server = await KubeApiServer.start();
    dir = await mkdtemp(join(tmpdir(), 'kube-client-'));
    path = await server.writeKubeconfig(dir, 'team-a');
    server.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1', namespace: 'team-a', labels: { app: 'web' } },
      spec: {},
    });
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('makes raw and typed calls with the kubeconfig credentials', async () => {
    const client = createKubeClient({ kubeconfig: path, qps: 100, burst: 100 });
    // The object cache's transport is the client itself.
    const transport: KubeTransport = client;
    try {
      assert.equal(client.origin, 'flag');
      assert.equal(client.contextNamespace, 'team-a');
      const meta = await transport.get(
        '/api/v1/namespaces/team-a/pods/web-1',
        'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
      );
      assert.equal(meta.status, 200);
      assert.deepEqual((meta.body as { metadata: { labels: unknown } }).metadata.labels, { app: 'web' });
      const missing = await client.get('/api/v1/namespaces/team-a/pods/nope', 'application/json');
      assert.equal(missing.status, 404);
      assert.equal((missing.body as { reason: string }).reason, 'NotFound');
      const pods = await client.core.listNamespacedPod({ namespace: 'team-a' });
      assert.deepEqual(
        pods.items.map((p) => p.metadata?.name),
        ['web-1'],
      );
      const created = await client.request('/api/v1/namespaces/team-a/configmaps', {
        method: 'POST',
        body: { metadata: { name: 'cm' }, data: { a: '1' } },
      });
      assert.equal(created.status, 201);
      const log = server.requestsWhere((r) => r.path.includes('/team-a/'));
      assert.ok(log.every((r) => r.authorization === 'Bearer test-token'));
      assert.deepEqual(
        log.map((r) => r.metadataOnly),
        [true, false, false, false],
      );
    } finally {
      client.close();
    }
  });

  it('sends at most `burst` calls at once, then `qps` per second (raw and typed calls alike)', async () => {
    const clock = new ManualClock(0);
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(path);
    const client = createKubeClient({ kubeConfig, qps: 10, burst: 2, clock });
    const before = server.requests.length;
    const arrived = (): number => server.requests.length - before;
    try {
      const calls = [
        ...Array.from({ length: 3 }, () => client.get('/api/v1/namespaces/team-a/pods', 'application/json')),
        ...Array.from({ length: 3 }, () => client.core.listNamespacedPod({ namespace: 'team-a' })),
      ];
      await waitFor(() => arrived() === 2);
      const seen = [arrived()];
      for (let step = 0; step < 4; step++) {
        await clock.advance(100);
        await waitFor(() => arrived() === 3 + step);
        seen.push(arrived());
      }
      await Promise.all(calls);
      assert.deepEqual(seen, [2, 3, 4, 5, 6]);
    } finally {
      client.close();
    }
  });
});
