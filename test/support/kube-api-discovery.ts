// The resource registry and the discovery documents kubectl and client-node read.
import { apiVersionOf, type ResourceType } from './kube-api-store.ts';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function core(kind: string, plural: string, namespaced: boolean, shortNames?: string[]): ResourceType {
  return { group: '', version: 'v1', kind, plural, namespaced, ...(shortNames ? { shortNames } : {}) };
}

function grouped(
  group: string,
  version: string,
  kind: string,
  plural: string,
  shortNames?: string[],
): ResourceType {
  return { group, version, kind, plural, namespaced: true, ...(shortNames ? { shortNames } : {}) };
}

export const BUILTIN_RESOURCES: readonly ResourceType[] = [
  core('Event', 'events', true, ['ev']),
  core('Pod', 'pods', true, ['po']),
  core('Namespace', 'namespaces', false, ['ns']),
  core('Node', 'nodes', false, ['no']),
  core('Service', 'services', true, ['svc']),
  core('ConfigMap', 'configmaps', true, ['cm']),
  core('Secret', 'secrets', true),
  core('ServiceAccount', 'serviceaccounts', true, ['sa']),
  core('Endpoints', 'endpoints', true, ['ep']),
  core('PersistentVolumeClaim', 'persistentvolumeclaims', true, ['pvc']),
  core('PersistentVolume', 'persistentvolumes', false, ['pv']),
  core('ReplicationController', 'replicationcontrollers', true, ['rc']),
  grouped('apps', 'v1', 'Deployment', 'deployments', ['deploy']),
  grouped('apps', 'v1', 'ReplicaSet', 'replicasets', ['rs']),
  grouped('apps', 'v1', 'StatefulSet', 'statefulsets', ['sts']),
  grouped('apps', 'v1', 'DaemonSet', 'daemonsets', ['ds']),
  grouped('batch', 'v1', 'Job', 'jobs'),
  grouped('batch', 'v1', 'CronJob', 'cronjobs', ['cj']),
  grouped('events.k8s.io', 'v1', 'Event', 'events', ['ev']),
  grouped('coordination.k8s.io', 'v1', 'Lease', 'leases'),
];

export class ResourceRegistry {
  private readonly types: ResourceType[] = [...BUILTIN_RESOURCES];

  register(type: ResourceType): void {
    this.types.push(type);
  }

  /** The resource served at `<apiVersion>/<plural>`, if any. */
  find(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.version === version && t.plural === plural);
  }

  /** By kind (`Pod`) or plural (`pods`), any group: what `forbid()` takes. */
  matching(kindOrPlural: string): ResourceType[] {
    return this.types.filter((t) => t.kind === kindOrPlural || t.plural === kindOrPlural);
  }

  /** A discovery document for `path`, or undefined when `path` is not a discovery path. */
  document(path: string, serverAddress: string): Record<string, unknown> | undefined {
    if (path === '/version') return VERSION;
    if (path === '/api') {
      return {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
      };
    }
    if (path === '/api/v1') return this.resourceList('', 'v1');
    if (path === '/apis')
      return { kind: 'APIGroupList', apiVersion: 'v1', groups: this.groups().map((g) => this.group(g)) };
    const m = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(path);
    if (m === null) return undefined;
    const [, group = '', version] = m;
    if (!this.groups().includes(group)) return undefined;
    if (version === undefined) return { kind: 'APIGroup', apiVersion: 'v1', ...this.group(group) };
    return this.types.some((t) => t.group === group && t.version === version)
      ? this.resourceList(group, version)
      : undefined;
  }

  private groups(): string[] {
    return [...new Set(this.types.map((t) => t.group).filter((g) => g !== ''))];
  }

  private group(name: string): Record<string, unknown> {
    const versions = [...new Set(this.types.filter((t) => t.group === name).map((t) => t.version))].map(
      (version) => ({
        groupVersion: `${name}/${version}`,
        version,
      }),
    );
    return { name, versions, preferredVersion: versions[0] };
  }

  private resourceList(group: string, version: string): Record<string, unknown> {
    const types = this.types.filter((t) => t.group === group && t.version === version);
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: types[0] === undefined ? version : apiVersionOf(types[0]),
      resources: types.map((t) => ({
        name: t.plural,
        singularName: t.singular ?? t.kind.toLowerCase(),
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: VERBS,
        ...(t.shortNames ? { shortNames: t.shortNames } : {}),
      })),
    };
  }
}

const VERSION = {
  major: '1',
  minor: '30',
  gitVersion: 'v1.30.0',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2024-04-17T00:00:00Z',
  goVersion: 'go1.22.2',
  compiler: 'gc',
  platform: 'linux/amd64',
};
