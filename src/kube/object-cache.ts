// The involved-object cache behind enrichment (DESIGN §1.3): metadata-only lookups through a
// MetadataFetcher, TTL + LRU bounded by `cacheSize`, one request per object at a time, negative
// caching of NotFound / Forbidden / unknown kinds, deleted objects served for a grace period and
// the owner chain resolved through the same cache. A lookup never rejects: a failure resolves
// undefined (or the last known metadata), is counted, and backs off so a sick API server does
// not slow the event path.
import { LRUCache } from 'lru-cache';
import type { InvolvedObjectMeta, ObjectReference } from '../event/event.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import { failure, type FetchResult, type LookupFailure, type MetadataFetcher, type ObjectKey } from './metadata-fetcher.ts';
import { resolveTopOwner, storedMeta, type StoredMeta } from './owner-chain.ts';

export const CACHE_DEFAULTS = {
  ttlMs: 5 * 60_000,
  deletedGraceMs: 10 * 60_000,
  negativeTtlMs: 60_000,
  /** After a failed lookup: how long that object, or every object once the breaker opens, is not asked again. */
  errorBackoffMs: 10_000,
  timeoutMs: 3_000,
  /** Consecutive failed lookups that open the breaker. */
  breakerThreshold: 5,
} as const;

/** `unavailable`: not asked because recent lookups failed (the breaker is open). */
export type CacheErrorReason = LookupFailure | 'unavailable';

/** Metrics hooks. hit/miss count every lookup (owners included); error/forbidden count answers. */
export interface ObjectCacheObserver {
  hit?(): void;
  miss?(): void;
  error?(reason: CacheErrorReason): void;
  forbidden?(kind: string): void;
}

/** The pino methods the cache uses. */
export interface CacheLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface ObjectCacheOptions {
  readonly fetcher: MetadataFetcher;
  /** Entries (objects, owners and negative answers); RouterConfig.cacheSize. */
  readonly cacheSize: number;
  readonly ttlMs?: number;
  readonly deletedGraceMs?: number;
  readonly negativeTtlMs?: number;
  readonly errorBackoffMs?: number;
  readonly timeoutMs?: number;
  readonly breakerThreshold?: number;
  readonly clock?: Clock;
  readonly logger?: CacheLogger;
  readonly observer?: ObjectCacheObserver;
}

export interface ObjectCache {
  /** The involved object's labels, annotations and top owner; undefined when unknown. Never rejects. */
  lookup(ref: ObjectReference): Promise<InvolvedObjectMeta | undefined>;
  /** The object was deleted (e.g. seen by a watch): keep serving it, `deleted: true`, for the grace period. */
  markDeleted(ref: ObjectReference): void;
  readonly size: number;
}

interface Entry {
  /** Undefined for a negative answer. */
  readonly value: StoredMeta | undefined;
  /** Served without asking the API until then. */
  readonly freshUntil: number;
  /** When the object last answered 200: a 404 within the grace period after that means "deleted". */
  readonly seenAt: number | undefined;
  /** `value` with its owner resolved, filled on first use. */
  resolved: InvolvedObjectMeta | undefined;
}

const LOG_INTERVAL_MS = 60_000;
const MAX_LOGGED_KINDS = 1_000;

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  if (slash >= 0) return apiVersion.slice(0, slash);
  return apiVersion === 'v1' ? '' : apiVersion;
}

/** The cache key: version-free, since every version of a group serves the same object. */
export function cacheKey(ref: ObjectReference): string | undefined {
  if (!ref.kind || !ref.name) return undefined;
  return `${groupOf(ref.apiVersion ?? '')}\u0000${ref.kind}\u0000${ref.namespace ?? ''}\u0000${ref.name}`;
}

function objectKey(ref: ObjectReference): ObjectKey {
  return { apiVersion: ref.apiVersion ?? '', kind: ref.kind ?? '', namespace: ref.namespace ?? '', name: ref.name ?? '' };
}

function kindLabel(ref: ObjectReference): string {
  const group = groupOf(ref.apiVersion ?? '');
  return group === '' ? (ref.kind ?? '') : `${ref.kind ?? ''}.${group}`;
}

function publicMeta(value: StoredMeta, owner: InvolvedObjectMeta['owner']): InvolvedObjectMeta {
  const { labels, annotations, ownerReferences, deleted } = value;
  return owner === undefined ? { labels, annotations, ownerReferences, deleted } : { labels, annotations, ownerReferences, deleted, owner };
}

function deletedEntry(prev: Entry & { value: StoredMeta }, freshUntil: number): Entry {
  const resolved = prev.resolved === undefined ? undefined : { ...prev.resolved, deleted: true };
  return { value: { ...prev.value, deleted: true }, freshUntil, seenAt: prev.seenAt, resolved };
}

function hasValue(entry: Entry | undefined): entry is Entry & { value: StoredMeta } {
  return entry?.value !== undefined;
}

export function createObjectCache(options: ObjectCacheOptions): ObjectCache {
  const cfg = { ...CACHE_DEFAULTS, ...definedOnly(options) };
  const { fetcher, observer = {}, logger } = options;
  const clock = options.clock ?? systemClock;
  const entries = new LRUCache<string, Entry>({ max: Math.max(1, options.cacheSize) });
  const inflight = new Map<string, Promise<Entry>>();
  const loggedKinds = new Set<string>();
  let consecutiveErrors = 0;
  let breakerOpenUntil = Number.NEGATIVE_INFINITY;
  let lastErrorLogAt = Number.NEGATIVE_INFINITY;
  let suppressedErrors = 0;

  const negative = (freshUntil: number): Entry => ({ value: undefined, freshUntil, seenAt: undefined, resolved: undefined });
  const forbiddenKey = (ref: ObjectReference): string => `forbidden\u0000${kindLabel(ref)}\u0000${ref.namespace ?? ''}`;

  function fresh(key: string): Entry | undefined {
    const entry = entries.get(key);
    return entry !== undefined && clock.now() < entry.freshUntil ? entry : undefined;
  }

  function logOncePerKind(what: string, ref: ObjectReference, message: string, extra: Record<string, unknown> = {}): void {
    const kind = kindLabel(ref);
    const id = `${what}\u0000${kind}`;
    if (loggedKinds.has(id)) return;
    if (loggedKinds.size >= MAX_LOGGED_KINDS) loggedKinds.clear();
    loggedKinds.add(id);
    logger?.warn({ kind, ...extra }, message);
  }

  function logError(result: FetchResult & { status: 'error' }, ref: ObjectReference): void {
    const now = clock.now();
    if (now - lastErrorLogAt < LOG_INTERVAL_MS) {
      suppressedErrors++;
      return;
    }
    const fields = { kind: kindLabel(ref), reason: result.reason, err: result.message, suppressed: suppressedErrors };
    logger?.warn(fields, 'Object lookup failed; events go on without labels and annotations.');
    lastErrorLogAt = now;
    suppressedErrors = 0;
  }

  function fetchWithTimeout(ref: ObjectReference): Promise<FetchResult> {
    const controller = new AbortController();
    return new Promise((resolve) => {
      const timer = clock.setTimer(() => {
        controller.abort(new Error('Object lookup timed out.'));
        resolve({ status: 'error', reason: 'timeout', message: `No answer within ${cfg.timeoutMs} ms.` });
      }, cfg.timeoutMs);
      const settle = (result: FetchResult): void => {
        timer.cancel();
        resolve(result);
      };
      fetcher.get(objectKey(ref), controller.signal).then(settle, (err: unknown) => settle(failure(err, controller.signal)));
    });
  }

  function store(key: string, ref: ObjectReference, result: FetchResult): Entry {
    const now = clock.now();
    const prev = entries.peek(key);
    if (result.status !== 'error') consecutiveErrors = 0;
    let entry: Entry;
    switch (result.status) {
      case 'found':
        entry = { value: storedMeta(result.metadata), freshUntil: now + cfg.ttlMs, seenAt: now, resolved: undefined };
        break;
      case 'notFound':
        // Events often outlive their object: a 404 soon after we saw it means "deleted".
        if (hasValue(prev) && prev.seenAt !== undefined && now - prev.seenAt < cfg.deletedGraceMs) {
          entry = deletedEntry(prev, prev.seenAt + cfg.deletedGraceMs);
        } else entry = negative(now + cfg.negativeTtlMs);
        break;
      case 'forbidden':
        observer.forbidden?.(kindLabel(ref));
        logOncePerKind('forbidden', ref, 'Not allowed to read objects of this kind; their events are not enriched.', { err: result.message });
        entries.set(forbiddenKey(ref), negative(now + cfg.negativeTtlMs));
        entry = negative(now + cfg.negativeTtlMs);
        break;
      case 'unknownKind':
        logOncePerKind('unknownKind', ref, 'The API does not serve this kind; its events are not enriched.', { apiVersion: ref.apiVersion ?? '' });
        entry = negative(now + cfg.negativeTtlMs);
        break;
      case 'error':
        observer.error?.(result.reason);
        logError(result, ref);
        if (++consecutiveErrors >= cfg.breakerThreshold) breakerOpenUntil = now + cfg.errorBackoffMs;
        // Stale metadata beats none: keep serving what we had while the API is failing.
        entry = hasValue(prev) ? { ...prev, freshUntil: now + cfg.errorBackoffMs } : negative(now + cfg.errorBackoffMs);
        break;
    }
    entries.set(key, entry);
    return entry;
  }

  function load(key: string, ref: ObjectReference): Promise<Entry> {
    let flight = inflight.get(key);
    if (flight === undefined) {
      flight = fetchWithTimeout(ref)
        .then((result) => store(key, ref, result))
        .finally(() => inflight.delete(key));
      inflight.set(key, flight);
    }
    return flight;
  }

  /** The entry for `key`: from the cache, or loaded; never rejects. */
  function entryFor(key: string, ref: ObjectReference): Entry | Promise<Entry> {
    const cached = fresh(key) ?? fresh(forbiddenKey(ref));
    if (cached !== undefined) {
      observer.hit?.();
      return cached;
    }
    if (clock.now() < breakerOpenUntil && !inflight.has(key)) {
      observer.error?.('unavailable');
      return entries.peek(key) ?? negative(Number.NEGATIVE_INFINITY);
    }
    observer.miss?.();
    return load(key, ref);
  }

  async function resolveOwner(value: StoredMeta, ref: ObjectReference, key: string): Promise<InvolvedObjectMeta> {
    const lookupOwner = async (owner: ObjectReference): Promise<StoredMeta | undefined> => {
      const ownerKey = cacheKey(owner);
      return ownerKey === undefined ? undefined : (await entryFor(ownerKey, owner)).value;
    };
    const owner = await resolveTopOwner(value, ref.namespace, key, cacheKey, lookupOwner);
    return publicMeta(value, owner);
  }

  return {
    async lookup(ref) {
      const key = cacheKey(ref);
      if (key === undefined) return undefined;
      const entry = await entryFor(key, ref);
      if (entry.value === undefined) return undefined;
      entry.resolved ??= await resolveOwner(entry.value, ref, key);
      return entry.resolved;
    },
    markDeleted(ref) {
      const key = cacheKey(ref);
      const prev = key === undefined ? undefined : entries.peek(key);
      if (key === undefined || !hasValue(prev) || prev.value.deleted) return;
      entries.set(key, deletedEntry(prev, clock.now() + cfg.deletedGraceMs));
    },
    get size() {
      return entries.size;
    },
  };
}

function definedOnly(options: ObjectCacheOptions): Partial<Record<keyof typeof CACHE_DEFAULTS, number>> {
  const out: Partial<Record<keyof typeof CACHE_DEFAULTS, number>> = {};
  for (const key of Object.keys(CACHE_DEFAULTS) as (keyof typeof CACHE_DEFAULTS)[]) {
    const value = options[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
