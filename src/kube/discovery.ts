// API discovery, cached: (apiVersion, kind) → resource plural and scope, read from `/api/v1`
// and `/apis/<group>/<version>`, so any kind can be looked up, custom resources included.
// A group version is read when first needed and again when asked for a kind it did not list
// (a CRD installed since), at most once per `minRefreshMs` per group version.
import type { Clock } from '../util/clock.ts';

/** The one request shape the object cache needs: a GET with an Accept header. */
export interface KubeTransport {
  /** Resolves with any HTTP answer; rejects only when no answer came (network, abort). */
  get(
    path: string,
    accept: string,
    signal?: AbortSignal,
  ): Promise<{ readonly status: number; readonly body: unknown }>;
}

export interface ResourceInfo {
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The plural resource name used in paths: `pods`, `replicasets`, `addons`. */
  readonly resource: string;
  readonly namespaced: boolean;
}

export interface Discovery {
  /** Undefined when the API does not serve this kind; rejects when discovery itself failed. */
  resolve(apiVersion: string, kind: string, signal?: AbortSignal): Promise<ResourceInfo | undefined>;
}

export class DiscoveryError extends Error {
  readonly code = 'E_DISCOVERY';
  constructor(message: string) {
    super(message);
    this.name = 'DiscoveryError';
  }
}

export interface DiscoveryOptions {
  readonly transport: KubeTransport;
  readonly clock: Clock;
  /** Default 30 s. */
  readonly minRefreshMs?: number;
  /** Group versions remembered (the fork key `mappingCacheSize`); default 512. */
  readonly maxGroupVersions?: number;
}

export const DEFAULT_DISCOVERY_REFRESH_MS = 30_000;
const MAX_GROUP_VERSIONS = 512;

interface GroupVersion {
  readonly group: string;
  readonly version: string;
}

interface GroupVersionState {
  kinds: ReadonlyMap<string, ResourceInfo>;
  fetchedAt: number;
  refreshing: Promise<void> | undefined;
}

/** `v1` and '' → core; `apps/v1` → apps; a bare group such as `extensions` cannot be resolved. */
export function parseApiVersion(apiVersion: string): GroupVersion | undefined {
  if (apiVersion === '' || apiVersion === 'v1') return { group: '', version: 'v1' };
  const slash = apiVersion.indexOf('/');
  if (slash <= 0 || slash === apiVersion.length - 1 || apiVersion.indexOf('/', slash + 1) >= 0)
    return undefined;
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads an APIResourceList; subresources (`pods/log`) are skipped. */
export function readResourceList(gv: GroupVersion, body: unknown): Map<string, ResourceInfo> {
  const kinds = new Map<string, ResourceInfo>();
  const resources = isObject(body) && Array.isArray(body['resources']) ? body['resources'] : [];
  for (const item of resources) {
    if (!isObject(item)) continue;
    const { name, kind, namespaced } = item;
    if (typeof name !== 'string' || typeof kind !== 'string' || name.includes('/')) continue;
    if (!kinds.has(kind)) kinds.set(kind, { ...gv, kind, resource: name, namespaced: namespaced === true });
  }
  return kinds;
}

export function createDiscovery(options: DiscoveryOptions): Discovery {
  const { transport, clock } = options;
  const minRefreshMs = options.minRefreshMs ?? DEFAULT_DISCOVERY_REFRESH_MS;
  const maxGroupVersions = options.maxGroupVersions ?? MAX_GROUP_VERSIONS;
  const states = new Map<string, GroupVersionState>();

  async function fetchList(gv: GroupVersion, state: GroupVersionState, signal?: AbortSignal): Promise<void> {
    const path = gv.group === '' ? `/api/${gv.version}` : `/apis/${gv.group}/${gv.version}`;
    const answer = await transport.get(path, 'application/json', signal);
    // A group version that is not served (yet) is an empty list, not a failure.
    if (answer.status === 404) state.kinds = new Map();
    else if (answer.status >= 200 && answer.status < 300) state.kinds = readResourceList(gv, answer.body);
    else throw new DiscoveryError(`Discovery of ${path} answered HTTP ${answer.status}.`);
    state.fetchedAt = clock.now();
  }

  function refresh(gv: GroupVersion, state: GroupVersionState, signal?: AbortSignal): Promise<void> {
    // One request per group version at a time; a failure leaves the old list and may be retried.
    state.refreshing ??= fetchList(gv, state, signal).finally(() => {
      state.refreshing = undefined;
    });
    return state.refreshing;
  }

  return {
    async resolve(apiVersion, kind, signal) {
      const gv = parseApiVersion(apiVersion);
      if (gv === undefined) return undefined;
      const id = `${gv.group}/${gv.version}`;
      let state = states.get(id);
      const known = state?.kinds.get(kind);
      if (known !== undefined) return known;
      if (state === undefined) {
        state = { kinds: new Map(), fetchedAt: Number.NEGATIVE_INFINITY, refreshing: undefined };
        // Event involvedObjects are user-writable: bound the group versions remembered.
        if (states.size >= maxGroupVersions) states.delete(states.keys().next().value ?? '');
        states.set(id, state);
      }
      if (state.refreshing === undefined && clock.now() - state.fetchedAt < minRefreshMs) return undefined;
      await refresh(gv, state, signal);
      return state.kinds.get(kind);
    },
  };
}
