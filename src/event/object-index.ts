import { InputFormatError, parseJsonInput, parseYamlInput } from './input-format.ts';
import type { InvolvedObjectMeta, ObjectReference, OwnerReference, TopOwner } from './event.ts';

// An in-memory set of Kubernetes objects (from `--objects FILE`) that answers the questions the
// object cache answers in a cluster: labels, annotations and the owner chain of an involved object.

interface StoredObject {
  readonly kind: string;
  readonly apiVersion: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string | undefined;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly ownerReferences: OwnerReference[];
}

const MAX_OWNER_DEPTH = 10;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(value)) return out;
  for (const [key, v] of Object.entries(value)) if (typeof v === 'string') out[key] = v;
  return out;
}

function owners(value: unknown): OwnerReference[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (ref): ref is OwnerReference =>
      isObject(ref) && typeof ref['kind'] === 'string' && typeof ref['name'] === 'string',
  );
}

function key(kind: string, namespace: string, name: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}

export class ObjectIndex {
  private readonly byKey = new Map<string, StoredObject>();
  private readonly byUid = new Map<string, StoredObject>();

  add(value: unknown): boolean {
    if (!isObject(value) || !isObject(value['metadata']) || typeof value['kind'] !== 'string') return false;
    const meta = value['metadata'];
    if (typeof meta['name'] !== 'string') return false;
    const stored: StoredObject = {
      kind: value['kind'],
      apiVersion: typeof value['apiVersion'] === 'string' ? value['apiVersion'] : '',
      namespace: typeof meta['namespace'] === 'string' ? meta['namespace'] : '',
      name: meta['name'],
      uid: typeof meta['uid'] === 'string' ? meta['uid'] : undefined,
      labels: stringMap(meta['labels']),
      annotations: stringMap(meta['annotations']),
      ownerReferences: owners(meta['ownerReferences']),
    };
    this.byKey.set(key(stored.kind, stored.namespace, stored.name), stored);
    if (stored.uid !== undefined) this.byUid.set(stored.uid, stored);
    return true;
  }

  get size(): number {
    return this.byKey.size;
  }

  private find(ref: ObjectReference): StoredObject | undefined {
    if (ref.uid !== undefined) {
      const found = this.byUid.get(ref.uid);
      if (found !== undefined) return found;
    }
    if (ref.kind === undefined || ref.name === undefined) return undefined;
    return this.byKey.get(key(ref.kind, ref.namespace ?? '', ref.name));
  }

  /** The top controller: follow controller owner references while the owner is known. */
  private topOwner(start: StoredObject): TopOwner | undefined {
    let current = start;
    let top: TopOwner | undefined;
    for (let depth = 0; depth < MAX_OWNER_DEPTH; depth++) {
      const refs = current.ownerReferences;
      const ref = refs.find((r) => r.controller === true) ?? refs[0];
      if (ref === undefined) break;
      top = { kind: ref.kind, name: ref.name, apiVersion: ref.apiVersion };
      const next = this.find({ kind: ref.kind, name: ref.name, namespace: current.namespace, uid: ref.uid });
      if (next === undefined) break;
      current = next;
    }
    return top;
  }

  /** What the object cache would return for this involved object, or undefined when unknown. */
  lookup(ref: ObjectReference): InvolvedObjectMeta | undefined {
    const found = this.find(ref);
    if (found === undefined) return undefined;
    const meta: InvolvedObjectMeta = {
      labels: found.labels,
      annotations: found.annotations,
      ownerReferences: found.ownerReferences,
      deleted: false,
    };
    const owner = this.topOwner(found);
    return owner === undefined ? meta : { ...meta, owner };
  }
}

/** Builds an index from a List, a JSON array, NDJSON or YAML documents of Kubernetes objects. */
export function readObjects(text: string): ObjectIndex {
  const index = new ObjectIndex();
  const addAll = (value: unknown): void => {
    if (isObject(value) && Array.isArray(value['items'])) value['items'].forEach(addAll);
    else if (Array.isArray(value)) value.forEach(addAll);
    else index.add(value);
  };
  const start = text.trimStart();
  if (start.startsWith('{') || start.startsWith('[')) {
    const input = parseJsonInput(text);
    if (input.kind === 'document') addAll(input.value);
    else {
      const bad = input.lines.flatMap((entry) =>
        'error' in entry ? [`line ${entry.line}: ${entry.error}`] : [],
      );
      if (bad.length > 0)
        throw new InputFormatError(
          `${bad.slice(0, 3).join('; ')}${bad.length > 3 ? ` (and ${bad.length - 3} more bad lines)` : ''}`,
        );
      for (const entry of input.lines) if ('value' in entry) addAll(entry.value);
    }
    return index;
  }
  if (start !== '') parseYamlInput(text, 'objects').forEach(addAll);
  return index;
}
