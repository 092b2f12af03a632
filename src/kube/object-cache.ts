// The involved-object cache behind enrichment (docs/architecture.md): metadata-only lookups through a
// MetadataFetcher, TTL + LRU bounded by `cacheSize`, one request per object at a time, negative
// caching of NotFound / Forbidden / unknown kinds, deleted objects served for a grace period and
// the owner chain resolved through the same cache. A lookup never rejects: a failure resolves
// undefined (or the last known metadata), is counted, and backs off so a sick API server does
// not slow the event path.
import { LRUCache } from 'lru-cache';
import type { InvolvedObjectMeta, ObjectReference } from '../event/event.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import {
  failure,
  type FetchResult,
  type LookupFailure,
  type MetadataFetcher,
  type ObjectKey,
} from './metadata-fetcher.ts';
import { resolveTopOwner, storedMeta, type StoredMeta } from './owner-chain.ts';
import { LogLimiter } from '../telemetry/log-limit.ts';

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
  return {
    apiVersion: ref.apiVersion ?? '',
    kind: ref.kind ?? '',
    namespace: ref.namespace ?? '',
    name: ref.name ?? '',
  };
}

function kindLabel(ref: ObjectReference): string {
  const group = groupOf(ref.apiVersion ?? '');
  return group === '' ? (ref.kind ?? '') : `${ref.kind ?? ''}.${group}`;
}

function publicMeta(value: StoredMeta, owner: InvolvedObjectMeta['owner']): InvolvedObjectMeta {
  const { labels, annotations, ownerReferences, deleted } = value;
  return owner === undefined
    ? { labels, annotations, ownerReferences, deleted }
    : { labels, annotations, ownerReferences, deleted, owner };
}

function deletedEntry(prev: Entry & { value: StoredMeta }, freshUntil: number): Entry {
  const resolved = prev.resolved === undefined ? undefined : { ...prev.resolved, deleted: true };
  return { value: { ...prev.value, deleted: true }, freshUntil, seenAt: prev.seenAt, resolved };
}

function hasValue(entry: Entry | undefined): entry is Entry & { value: StoredMeta } {
  return entry?.value !== undefined;
}

/** Logs Forbidden / unknown kinds once per kind, and failures at most once a minute with a count. */
class CacheLog {
  private readonly perKind: LogLimiter;
  private readonly failures: LogLimiter;

  constructor(
    private readonly logger: CacheLogger | undefined,
    clock: Clock,
  ) {
    this.perKind = new LogLimiter(clock, Number.POSITIVE_INFINITY, MAX_LOGGED_KINDS);
    this.failures = new LogLimiter(clock, LOG_INTERVAL_MS);
  }

  oncePerKind(what: string, ref: ObjectReference, message: string, extra: Record<string, unknown>): void {
    const kind = kindLabel(ref);
    if (this.perKind.pass(`${what}\u0000${kind}`) === undefined) return;
    this.logger?.warn({ kind, ...extra }, message);
  }

  /** Any failure, whatever the kind: at most one line a minute, carrying how many were held back. */
  failure(result: FetchResult & { status: 'error' }, ref: ObjectReference): void {
    const suppressed = this.failures.pass('failure');
    if (suppressed === undefined) return;
    const fields = { kind: kindLabel(ref), reason: result.reason, err: result.message, suppressed };
    this.logger?.warn(fields, 'Object lookup failed; events go on without labels and annotations.');
  }
}

const negative = (freshUntil: number): Entry => ({
  value: undefined,
  freshUntil,
  seenAt: undefined,
  resolved: undefined,
});
const forbiddenKey = (ref: ObjectReference): string =>
  `forbidden\u0000${kindLabel(ref)}\u0000${ref.namespace ?? ''}`;

class LruObjectCache implements ObjectCache {
  private readonly cfg: Record<keyof typeof CACHE_DEFAULTS, number>;
  private readonly fetcher: MetadataFetcher;
  private readonly observer: ObjectCacheObserver;
  private readonly clock: Clock;
  private readonly log: CacheLog;
  private readonly entries: LRUCache<string, Entry>;
  private readonly inflight = new Map<string, Promise<Entry>>();
  private consecutiveErrors = 0;
  private breakerOpenUntil = Number.NEGATIVE_INFINITY;

  constructor(options: ObjectCacheOptions) {
    this.cfg = { ...CACHE_DEFAULTS, ...definedOnly(options) };
    this.fetcher = options.fetcher;
    this.observer = options.observer ?? {};
    this.clock = options.clock ?? systemClock;
    this.log = new CacheLog(options.logger, this.clock);
    this.entries = new LRUCache<string, Entry>({ max: Math.max(1, options.cacheSize) });
  }

  get size(): number {
    return this.entries.size;
  }

  async lookup(ref: ObjectReference): Promise<InvolvedObjectMeta | undefined> {
    const key = cacheKey(ref);
    if (key === undefined) return undefined;
    const entry = await this.entryFor(key, ref);
    if (entry.value === undefined) return undefined;
    entry.resolved ??= await this.resolveOwner(entry.value, ref, key);
    return entry.resolved;
  }

  markDeleted(ref: ObjectReference): void {
    const key = cacheKey(ref);
    const prev = key === undefined ? undefined : this.entries.peek(key);
    if (key === undefined || !hasValue(prev) || prev.value.deleted) return;
    this.entries.set(key, deletedEntry(prev, this.clock.now() + this.cfg.deletedGraceMs));
  }

  private fresh(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    return entry !== undefined && this.clock.now() < entry.freshUntil ? entry : undefined;
  }

  /** The entry for `key`: from the cache, or loaded; never rejects. */
  private entryFor(key: string, ref: ObjectReference): Entry | Promise<Entry> {
    const cached = this.fresh(key) ?? this.fresh(forbiddenKey(ref));
    if (cached !== undefined) {
      this.observer.hit?.();
      return cached;
    }
    if (this.clock.now() < this.breakerOpenUntil && !this.inflight.has(key)) {
      this.observer.error?.('unavailable');
      return this.entries.peek(key) ?? negative(Number.NEGATIVE_INFINITY);
    }
    this.observer.miss?.();
    let flight = this.inflight.get(key);
    if (flight === undefined) {
      flight = this.fetchWithTimeout(ref)
        .then((result) => this.store(key, ref, result))
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, flight);
    }
    return flight;
  }

  private fetchWithTimeout(ref: ObjectReference): Promise<FetchResult> {
    const controller = new AbortController();
    const { timeoutMs } = this.cfg;
    return new Promise((resolve) => {
      const timer = this.clock.setTimer(() => {
        controller.abort(new Error('Object lookup timed out.'));
        resolve({ status: 'error', reason: 'timeout', message: `No answer within ${timeoutMs} ms.` });
      }, timeoutMs);
      const settle = (result: FetchResult): void => {
        timer.cancel();
        resolve(result);
      };
      this.fetcher
        .get(objectKey(ref), controller.signal)
        .then(settle, (err: unknown) => settle(failure(err, controller.signal)));
    });
  }

  private store(key: string, ref: ObjectReference, result: FetchResult): Entry {
    const now = this.clock.now();
    if (result.status !== 'error') this.consecutiveErrors = 0;
    const entry = this.entryFrom(this.entries.peek(key), ref, result, now);
    this.entries.set(key, entry);
    return entry;
  }

  private entryFrom(prev: Entry | undefined, ref: ObjectReference, result: FetchResult, now: number): Entry {
    const { cfg } = this;
    switch (result.status) {
      case 'found':
        return {
          value: storedMeta(result.metadata),
          freshUntil: now + cfg.ttlMs,
          seenAt: now,
          resolved: undefined,
        };
      case 'notFound':
        // Events often outlive their object: a 404 soon after we saw it means "deleted".
        if (hasValue(prev) && prev.seenAt !== undefined && now - prev.seenAt < cfg.deletedGraceMs) {
          return deletedEntry(prev, prev.seenAt + cfg.deletedGraceMs);
        }
        return negative(now + cfg.negativeTtlMs);
      case 'forbidden':
        this.observer.forbidden?.(kindLabel(ref));
        this.log.oncePerKind(
          'forbidden',
          ref,
          'Not allowed to read objects of this kind; their events are not enriched.',
          { err: result.message },
        );
        this.entries.set(forbiddenKey(ref), negative(now + cfg.negativeTtlMs));
        return negative(now + cfg.negativeTtlMs);
      case 'unknownKind':
        this.log.oncePerKind(
          'unknownKind',
          ref,
          'The API does not serve this kind; its events are not enriched.',
          { apiVersion: ref.apiVersion ?? '' },
        );
        return negative(now + cfg.negativeTtlMs);
      case 'error':
        this.observer.error?.(result.reason);
        this.log.failure(result, ref);
        if (++this.consecutiveErrors >= cfg.breakerThreshold)
          this.breakerOpenUntil = now + cfg.errorBackoffMs;
        // Stale metadata beats none: keep serving what we had while the API is failing.
        return hasValue(prev)
          ? { ...prev, freshUntil: now + cfg.errorBackoffMs }
          : negative(now + cfg.errorBackoffMs);
    }
  }

  private async resolveOwner(
    value: StoredMeta,
    ref: ObjectReference,
    key: string,
  ): Promise<InvolvedObjectMeta> {
    const lookupOwner = async (owner: ObjectReference): Promise<StoredMeta | undefined> => {
      const ownerKey = cacheKey(owner);
      return ownerKey === undefined ? undefined : (await this.entryFor(ownerKey, owner)).value;
    };
    const owner = await resolveTopOwner(value, ref.namespace, key, cacheKey, lookupOwner);
    return publicMeta(value, owner);
  }
}

export function createObjectCache(options: ObjectCacheOptions): ObjectCache {
  return new LruObjectCache(options);
}

function definedOnly(options: ObjectCacheOptions): Partial<Record<keyof typeof CACHE_DEFAULTS, number>> {
  const out: Partial<Record<keyof typeof CACHE_DEFAULTS, number>> = {};
  for (const key of Object.keys(CACHE_DEFAULTS) as (keyof typeof CACHE_DEFAULTS)[]) {
    const value = options[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
