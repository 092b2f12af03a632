// In-memory object storage for the test API server: one global resourceVersion counter, as etcd
// gives a real apiserver, and a change history that watches replay and `compact()` forgets.
import { randomUUID } from 'node:crypto';

export interface ResourceType {
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The URL segment: `events`, `deployments`, ... */
  readonly plural: string;
  readonly singular?: string;
  readonly namespaced: boolean;
  readonly shortNames?: readonly string[];
}

export type KubeObject = Record<string, unknown> & { metadata: Record<string, unknown> };
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  readonly rv: number;
  readonly resource: string;
  readonly type: WatchEventType;
  readonly object: KubeObject;
}

export function apiVersionOf(type: ResourceType): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

export function resourceKey(type: ResourceType): string {
  return `${type.group}/${type.plural}`;
}

/** An API answer other than success, sent as a `Status` object. */
export class ApiStatusError extends Error {
  readonly code = 'E_KUBE_STATUS';
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiStatusError';
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details === undefined ? {} : { details: this.details }),
      code: this.status,
    };
  }
}

export function notFound(type: ResourceType, name: string): ApiStatusError {
  const what = type.group === '' ? type.plural : `${type.plural}.${type.group}`;
  return new ApiStatusError(404, 'NotFound', `${what} "${name}" not found`, {
    name,
    group: type.group,
    kind: type.plural,
  });
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

export function metaString(obj: KubeObject, field: string): string | undefined {
  const value = obj.metadata[field];
  return typeof value === 'string' ? value : undefined;
}

export class ObjectStore {
  private rv = 1000;
  private compactedRv = 0;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly sorted = new Map<string, string[]>();
  private history: Change[] = [];
  private readonly listeners = new Set<(change: Change) => void>();

  /** `maxHistory` bounds the replayable history; older changes are compacted away. */
  constructor(private readonly maxHistory = 1_000_000) {}

  get resourceVersion(): number {
    return this.rv;
  }

  /** Forgets history: a watch or continue token from before now answers 410 Expired. */
  compact(): void {
    this.compactedRv = this.rv;
    this.history = [];
  }

  isExpired(rv: number): boolean {
    return rv < this.compactedRv;
  }

  get compactedResourceVersion(): number {
    return this.compactedRv;
  }

  /** Current objects of a resource, in key order (namespace, then name), as pages need. */
  list(type: ResourceType, namespace?: string): KubeObject[] {
    const all = this.bucket(type);
    const out: KubeObject[] = [];
    for (const key of this.sortedKeys(type)) {
      const obj = all.get(key);
      if (obj !== undefined && (namespace === undefined || metaString(obj, 'namespace') === namespace))
        out.push(obj);
    }
    return out;
  }

  // Sorting every list of a large store dominated paged lists; keys change only on create/delete.
  private sortedKeys(type: ResourceType): string[] {
    const key = resourceKey(type);
    let keys = this.sorted.get(key);
    if (keys === undefined) {
      keys = [...this.bucket(type).keys()].sort();
      this.sorted.set(key, keys);
    }
    return keys;
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const obj = this.bucket(type).get(objectKey(namespace, name));
    if (obj === undefined) throw notFound(type, name);
    return obj;
  }

  create(type: ResourceType, namespace: string | undefined, input: KubeObject): KubeObject {
    const meta = { ...input.metadata };
    let name = typeof meta['name'] === 'string' ? meta['name'] : undefined;
    if (name === undefined && typeof meta['generateName'] === 'string')
      name = `${meta['generateName']}${randomUUID().slice(0, 5)}`;
    if (name === undefined || name === '')
      throw new ApiStatusError(422, 'Invalid', `${type.kind} is invalid: metadata.name: Required value`);
    const ns = type.namespaced ? (namespace ?? metaString(input, 'namespace') ?? 'default') : undefined;
    if (this.bucket(type).has(objectKey(ns, name))) {
      throw new ApiStatusError(409, 'AlreadyExists', `${type.plural} "${name}" already exists`, {
        name,
        kind: type.plural,
      });
    }
    meta['name'] = name;
    if (ns !== undefined) meta['namespace'] = ns;
    meta['uid'] = randomUUID();
    meta['creationTimestamp'] ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const obj: KubeObject = { ...input, apiVersion: apiVersionOf(type), kind: type.kind, metadata: meta };
    return this.commit(type, 'ADDED', obj);
  }

  /** Replaces an object; a stale `metadata.resourceVersion` in `input` is a 409 Conflict, as on a real server. */
  update(type: ResourceType, namespace: string | undefined, name: string, input: KubeObject): KubeObject {
    const current = this.get(type, namespace, name);
    const sent = metaString(input, 'resourceVersion');
    if (sent !== undefined && sent !== '' && sent !== metaString(current, 'resourceVersion')) {
      throw new ApiStatusError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${type.plural} "${name}": the object has been modified`,
      );
    }
    const meta: Record<string, unknown> = {
      ...input.metadata,
      name,
      uid: current.metadata['uid'],
      creationTimestamp: current.metadata['creationTimestamp'],
    };
    if (namespace !== undefined) meta['namespace'] = namespace;
    return this.commit(type, 'MODIFIED', {
      ...input,
      apiVersion: apiVersionOf(type),
      kind: type.kind,
      metadata: meta,
    });
  }

  delete(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const current = this.get(type, namespace, name);
    this.bucket(type).delete(objectKey(namespace, name));
    this.sorted.delete(resourceKey(type));
    return this.commit(type, 'DELETED', current);
  }

  /** Changes of one resource after `rv`, or `undefined` when they were compacted away. */
  changesSince(type: ResourceType, rv: number): Change[] | undefined {
    if (this.isExpired(rv)) return undefined;
    const key = resourceKey(type);
    return this.history.filter((c) => c.rv > rv && c.resource === key);
  }

  subscribe(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private bucket(type: ResourceType): Map<string, KubeObject> {
    const key = resourceKey(type);
    let bucket = this.objects.get(key);
    if (bucket === undefined) {
      bucket = new Map();
      this.objects.set(key, bucket);
    }
    return bucket;
  }

  private commit(type: ResourceType, changeType: WatchEventType, obj: KubeObject): KubeObject {
    this.rv += 1;
    const stored: KubeObject = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.rv) } };
    const key = objectKey(metaString(stored, 'namespace'), metaString(stored, 'name') ?? '');
    if (changeType === 'ADDED') this.sorted.delete(resourceKey(type));
    if (changeType !== 'DELETED') this.bucket(type).set(key, stored);
    const change: Change = { rv: this.rv, resource: resourceKey(type), type: changeType, object: stored };
    this.history.push(change);
    if (this.history.length > this.maxHistory) {
      const dropped = this.history.splice(0, this.history.length - this.maxHistory);
      this.compactedRv = Math.max(this.compactedRv, dropped[dropped.length - 1]?.rv ?? 0);
    }
    for (const listener of this.listeners) listener(change);
    return stored;
  }
}
