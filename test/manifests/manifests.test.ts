import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { loadConfigText } from '../../src/config/load.ts';
import { DEFAULT_DEAD_LETTER_DIR } from '../../src/output/policy.ts';
import { PATHS } from '../../src/telemetry/server.ts';
import { MANIFESTS, find, manifestFiles, parseManifests, readDockerfile, readManifests } from './load.ts';
import type { Manifest } from './load.ts';
import { requireExecutable } from '../support/require-server.ts';

const NAMESPACE = 'kube-event-router';
const manifests = readManifests();

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

/** Each rule as `group/resource[names]: verb` strings, so whole rule sets compare as sets. */
function grants(role: Manifest): string[] {
  const rules = (role.body.rules ?? []) as Rule[];
  return rules
    .flatMap((r) =>
      r.apiGroups.flatMap((g) =>
        r.resources.flatMap((res) =>
          r.verbs.map(
            (v) => `${g || 'core'}/${res}${r.resourceNames ? `[${r.resourceNames.join(',')}]` : ''}: ${v}`,
          ),
        ),
      ),
    )
    .sort();
}

interface Container {
  image: string;
  args?: string[];
  ports: { name: string; containerPort: number }[];
  livenessProbe: { httpGet: { path: string; port: string | number } };
  readinessProbe: { httpGet: { path: string; port: string | number } };
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext: Record<string, unknown>;
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
  envFrom?: { secretRef?: { name: string; optional?: boolean } }[];
}
interface PodSpec {
  serviceAccountName: string;
  securityContext: Record<string, unknown>;
  containers: Container[];
  volumes: { name: string; configMap?: { name: string }; emptyDir?: Record<string, unknown> }[];
}
interface DeploymentSpec {
  replicas: number;
  template: { metadata: { annotations: Record<string, string> }; spec: PodSpec };
}

const deployment = find(manifests, 'Deployment', 'kube-event-router');
const spec = deployment.body.spec as DeploymentSpec;
const pod = spec.template.spec;
const container = pod.containers[0] as Container;
const configMap = find(manifests, 'ConfigMap', 'kube-event-router-config');
const configYaml = (configMap.body.data as Record<string, string>)['config.yaml'] ?? '';
const config = parse(configYaml) as {
  leaderElection: { leaderElectionID: string };
  receivers: { deadLetter?: { path?: string } }[];
};

function dockerCmd(): string[] {
  const final = readDockerfile().stages.at(-1) ?? [];
  const cmd = final.find((i) => i.op === 'CMD');
  return JSON.parse(cmd?.args ?? '[]') as string[];
}

describe('manifests', () => {
  it('lists every manifest file in kustomization.yaml, and only those', () => {
    const kustomization = parse(readFileSync(join(MANIFESTS, 'kustomization.yaml'), 'utf8')) as {
      resources: string[];
      namespace: string;
    };
    assert.deepEqual([...kustomization.resources].sort(), manifestFiles());
    assert.equal(kustomization.namespace, NAMESPACE);
  });

  it('holds the expected kinds, namespaced objects in the router namespace', () => {
    const kinds = manifests.map((m) => `${m.kind}/${m.name}`).sort();
    assert.deepEqual(kinds, [
      'ClusterRole/kube-event-router',
      'ClusterRoleBinding/kube-event-router',
      'ConfigMap/kube-event-router-checkpoint',
      'ConfigMap/kube-event-router-config',
      'Deployment/kube-event-router',
      'Namespace/kube-event-router',
      'Role/kube-event-router',
      'RoleBinding/kube-event-router',
      'ServiceAccount/kube-event-router',
    ]);
    for (const m of manifests.filter(
      (x) => !['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(x.kind),
    )) {
      assert.equal(m.namespace, NAMESPACE, `${m.kind}/${m.name}`);
    }
  });

  it('ClusterRole grants exactly events get/list/watch and get on the enriched kinds', () => {
    const enriched = [
      'core/pods',
      'core/nodes',
      'core/services',
      'core/persistentvolumeclaims',
      'apps/replicasets',
      'apps/deployments',
      'apps/statefulsets',
      'apps/daemonsets',
      'batch/jobs',
      'batch/cronjobs',
    ];
    const expected = [
      ...['core/events', 'events.k8s.io/events'].flatMap((r) =>
        ['get', 'list', 'watch'].map((v) => `${r}: ${v}`),
      ),
      ...enriched.map((r) => `${r}: get`),
    ].sort();
    assert.deepEqual(grants(find(manifests, 'ClusterRole')), expected);
  });

  it('Role grants exactly the leader Lease and the checkpoint ConfigMap, by name', () => {
    const lease = config.leaderElection.leaderElectionID;
    assert.deepEqual(grants(find(manifests, 'Role')), [
      `coordination.k8s.io/leases: create`,
      `coordination.k8s.io/leases[${lease}]: get`,
      `coordination.k8s.io/leases[${lease}]: update`,
      'core/configmaps[kube-event-router-checkpoint]: get',
      'core/configmaps[kube-event-router-checkpoint]: update',
    ]);
  });

  it('bindings tie the roles to the ServiceAccount the Deployment runs as', () => {
    const sa = find(manifests, 'ServiceAccount');
    assert.equal(pod.serviceAccountName, sa.name);
    for (const [binding, role] of [
      ['ClusterRoleBinding', 'ClusterRole'],
      ['RoleBinding', 'Role'],
    ] as const) {
      const body = find(manifests, binding).body as {
        roleRef: { kind: string; name: string };
        subjects: { kind: string; name: string; namespace: string }[];
      };
      assert.deepEqual(body.roleRef, {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: role,
        name: find(manifests, role).name,
      });
      assert.deepEqual(body.subjects, [{ kind: 'ServiceAccount', name: sa.name, namespace: NAMESPACE }]);
    }
  });

  it('the config in the ConfigMap is valid', () => {
    const loaded = loadConfigText(configYaml, { fileName: 'configmap.yaml', env: {} });
    assert.deepEqual(loaded.warnings, []);
    assert.equal(loaded.config.leaderElection.leaderElectionID, config.leaderElection.leaderElectionID);
    const graceMs = (pod as { terminationGracePeriodSeconds?: number }).terminationGracePeriodSeconds ?? 30;
    assert.ok(loaded.config.shutdownTimeoutMs < graceMs * 1000, 'outputs drain before kubelet kills the pod');
  });

  it('Deployment: one replica, probes on the served paths and the exposed port', () => {
    assert.equal(spec.replicas, 1);
    assert.deepEqual(
      container.ports.map((p) => [p.name, p.containerPort]),
      [['metrics', 2112]],
    );
    assert.deepEqual(container.livenessProbe.httpGet, { path: PATHS.healthz, port: 'metrics' });
    assert.deepEqual(container.readinessProbe.httpGet, { path: PATHS.readyz, port: 'metrics' });
    const annotations = spec.template.metadata.annotations;
    assert.deepEqual(
      [
        annotations['prometheus.io/scrape'],
        annotations['prometheus.io/port'],
        annotations['prometheus.io/path'],
      ],
      ['true', '2112', PATHS.metrics],
    );
    const expose = readDockerfile()
      .stages.at(-1)
      ?.find((i) => i.op === 'EXPOSE');
    assert.equal(expose?.args, '2112');
  });

  it('Deployment: hardened security context and resource bounds', () => {
    assert.deepEqual(pod.securityContext.seccompProfile, { type: 'RuntimeDefault' });
    assert.equal(pod.securityContext.runAsNonRoot, true);
    const sc = container.securityContext;
    assert.equal(sc.readOnlyRootFilesystem, true);
    assert.equal(sc.allowPrivilegeEscalation, false);
    assert.equal(sc.runAsNonRoot, true);
    assert.equal(sc.runAsUser, 65532);
    assert.deepEqual(sc.capabilities, { drop: ['ALL'] });
    assert.deepEqual(sc.seccompProfile, { type: 'RuntimeDefault' });
    for (const key of ['cpu', 'memory']) {
      assert.ok(container.resources.requests?.[key], `requests.${key}`);
      assert.ok(container.resources.limits?.[key], `limits.${key}`);
    }
    assert.deepEqual(container.envFrom, [{ secretRef: { name: 'kube-event-router-env', optional: true } }]);
  });

  it('mounts the config where the image CMD reads it, and writable volumes where it writes', () => {
    const cmd = dockerCmd();
    const configPath = cmd[cmd.indexOf('-c') + 1] ?? '';
    const mount = container.volumeMounts.find((m) => m.mountPath === posix.dirname(configPath));
    assert.ok(mount, `nothing mounted at ${posix.dirname(configPath)}`);
    assert.equal(mount.readOnly, true);
    const volume = pod.volumes.find((v) => v.name === mount.name);
    assert.equal(volume?.configMap?.name, configMap.name);
    assert.ok(
      posix.basename(configPath) in (configMap.body.data as object),
      'the CMD file is a ConfigMap key',
    );
    assert.equal(container.args, undefined, 'the image CMD is used as is');

    const writable = container.volumeMounts.filter(
      (m) => pod.volumes.find((v) => v.name === m.name)?.emptyDir !== undefined,
    );
    assert.ok(writable.some((m) => m.mountPath === '/tmp'));
    // With no deadLetter.path, dead letters go to the default directory: a volume here, and
    // created for the image's user in the Dockerfile.
    assert.ok(
      writable.some((m) => m.mountPath === DEFAULT_DEAD_LETTER_DIR),
      `${DEFAULT_DEAD_LETTER_DIR} is not a writable volume`,
    );
    const runs = (readDockerfile().stages.at(-1) ?? []).filter((i) => i.op === 'RUN').map((i) => i.args);
    assert.ok(
      runs.some(
        (r) =>
          r.includes(`mkdir -p ${DEFAULT_DEAD_LETTER_DIR}`) &&
          r.includes(`chown 65532:65532 ${DEFAULT_DEAD_LETTER_DIR}`),
      ),
      'the image creates the dead-letter directory for its user',
    );
    for (const receiver of config.receivers) {
      const path = receiver.deadLetter?.path;
      if (path === undefined) continue;
      assert.ok(
        writable.some((m) => path.startsWith(`${m.mountPath}/`)),
        `${path} is not on a writable volume`,
      );
    }
  });

  it('`kubectl kustomize` builds it offline, with a pinned image and every object in place', async () => {
    const kubectl = requireExecutable('kubectl', 'apt-get install kubernetes-client');
    const { stdout } = await promisify(execFile)(kubectl, ['kustomize', MANIFESTS], {
      timeout: 60_000,
    });
    const built = parseManifests(stdout, 'kustomize output');
    assert.deepEqual(
      built.map((m) => `${m.kind}/${m.name}`).sort(),
      manifests.map((m) => `${m.kind}/${m.name}`).sort(),
    );
    const image = (
      (find(built, 'Deployment').body.spec as DeploymentSpec).template.spec.containers[0] as Container
    ).image;
    assert.match(image, /^[^:]+:[^:]+$/);
    assert.doesNotMatch(image, /:latest$/);
    for (const m of built) {
      const labels = (m.body.metadata as { labels?: Record<string, string> }).labels ?? {};
      assert.equal(labels['app.kubernetes.io/part-of'], 'kube-event-router', `${m.kind}/${m.name}`);
    }
  });
});
