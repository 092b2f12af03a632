// Reading object metadata into what the enricher keeps, and the owner chain semantics shared
// with the offline ObjectIndex (src/event/object-index.ts): follow the controller owner
// reference (else the first one) while the owner is known; the top owner is the last reference
// reached, even when that owner itself cannot be read.
import type { InvolvedObjectMeta, ObjectReference, OwnerReference, TopOwner } from '../event/event.ts';

export const MAX_OWNER_DEPTH = 10;

const EMPTY: Readonly<Record<string, string>> = Object.freeze({});
const NO_OWNERS: readonly OwnerReference[] = Object.freeze([]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringMap(value: unknown): Readonly<Record<string, string>> {
  if (!isObject(value)) return EMPTY;
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) if (typeof v === 'string') out[key] = v;
  return out;
}

function owners(value: unknown): readonly OwnerReference[] {
  if (!Array.isArray(value) || value.length === 0) return NO_OWNERS;
  return value.filter(
    (ref): ref is OwnerReference =>
      isObject(ref) && typeof ref['kind'] === 'string' && typeof ref['name'] === 'string',
  );
}

/** The metadata the cache keeps for one object (owner not yet resolved). */
export interface StoredMeta extends InvolvedObjectMeta {
  readonly uid: string | undefined;
}

/** Reads the `metadata` of a PartialObjectMetadata answer, keeping only what enrichment uses. */
export function storedMeta(metadata: unknown): StoredMeta {
  const meta = isObject(metadata) ? metadata : {};
  return {
    uid: typeof meta['uid'] === 'string' ? meta['uid'] : undefined,
    labels: stringMap(meta['labels']),
    annotations: stringMap(meta['annotations']),
    ownerReferences: owners(meta['ownerReferences']),
    deleted: false,
  };
}

/** The reference the chain follows: the controller, else the first owner. */
export function controllerRef(refs: readonly OwnerReference[]): OwnerReference | undefined {
  for (const ref of refs) if (ref.controller === true) return ref;
  return refs[0];
}

export function topOwnerOf(ref: OwnerReference): TopOwner {
  return ref.apiVersion === undefined
    ? { kind: ref.kind, name: ref.name }
    : { kind: ref.kind, name: ref.name, apiVersion: ref.apiVersion };
}

/** Looks up one owner's stored metadata; undefined when it cannot be read. */
export type OwnerLookup = (ref: ObjectReference) => Promise<StoredMeta | undefined>;

/**
 * Walks the chain from `start` (whose own key is `startKey`) and returns the top controller.
 * Stops at `MAX_OWNER_DEPTH`, at an owner already visited (a cycle), at an owner that cannot be
 * read, and at an owner whose uid differs from the reference (a newer object of the same name).
 */
export async function resolveTopOwner(
  start: StoredMeta,
  namespace: string | undefined,
  startKey: string,
  keyOf: (ref: ObjectReference) => string | undefined,
  lookupOwner: OwnerLookup,
): Promise<TopOwner | undefined> {
  let current: StoredMeta = start;
  let top: TopOwner | undefined;
  const visited = [startKey];
  for (let depth = 0; depth < MAX_OWNER_DEPTH; depth++) {
    const ref = controllerRef(current.ownerReferences);
    if (ref === undefined) break;
    top = topOwnerOf(ref);
    const ownerRef: ObjectReference = {
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      name: ref.name,
      namespace,
      uid: ref.uid,
    };
    const key = keyOf(ownerRef);
    if (key === undefined || visited.includes(key)) break;
    visited.push(key);
    const next = await lookupOwner(ownerRef);
    if (next === undefined || (ref.uid !== undefined && next.uid !== undefined && next.uid !== ref.uid))
      break;
    current = next;
  }
  return top;
}
