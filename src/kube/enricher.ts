// The Enricher (docs/architecture.md): turns a RawEvent into an EnrichedEvent, asking the object cache
// for the involved object only when it can matter. "Cheap drops first": when the current route
// tree reaches no receiver whatever the object's labels and annotations are, the lookup is
// skipped (the event is dropped by the router anyway, so nothing reads `object`).
import type { EnrichedEvent, InvolvedObjectMeta, RawEvent } from '../event/event.ts';
import { mayReachWithoutObject } from '../route/reachability.ts';
import type { CompiledRoute } from '../route/route.ts';
import type { ObjectIndex } from '../event/object-index.ts';
import type { ObjectCache } from './object-cache.ts';

export interface EnrichBase {
  readonly occurrence: number;
  readonly clusterName: string;
  readonly environment: Readonly<Record<string, string>>;
}

export interface EnricherObserver {
  /** The lookup was skipped because no receiver could be reached. */
  skipped?(): void;
}

export interface EnricherOptions {
  /** Undefined: no lookups (as `omitLookup`), e.g. a replay without a cluster. */
  readonly cache: ObjectCache | undefined;
  /** The current tree (a config reload swaps it). */
  readonly route: () => CompiledRoute;
  /** `omitLookup`: never look anything up. */
  readonly omitLookup: boolean;
  /** Which labels and annotations are kept (the fork key `enrichEvents`); default: all. */
  readonly keep?: MetadataKeep;
  readonly observer?: EnricherObserver;
}

export interface Enricher {
  /** Never rejects: a failed lookup leaves `object` undefined. */
  enrich(raw: RawEvent, base: EnrichBase): Promise<EnrichedEvent>;
}

/** `true`: all, `false`: none, a list: only these keys. */
export interface MetadataKeep {
  readonly labels: boolean | readonly string[];
  readonly annotations: boolean | readonly string[];
}

function kept(
  values: Readonly<Record<string, string>>,
  keep: boolean | readonly string[],
): Readonly<Record<string, string>> {
  if (keep === true) return values;
  if (keep === false) return {};
  const out: Record<string, string> = {};
  for (const key of keep) {
    const value = values[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function keepMetadata(object: InvolvedObjectMeta, keep: MetadataKeep | undefined): InvolvedObjectMeta {
  if (keep === undefined || (keep.labels === true && keep.annotations === true)) return object;
  return {
    ...object,
    labels: kept(object.labels, keep.labels),
    annotations: kept(object.annotations, keep.annotations),
  };
}

export function createEnricher({ cache, route, omitLookup, observer, keep }: EnricherOptions): Enricher {
  return {
    async enrich(raw, { occurrence, clusterName, environment }) {
      const bare: EnrichedEvent = { raw, object: undefined, occurrence, clusterName, environment };
      if (omitLookup || cache === undefined) return bare;
      if (!mayReachWithoutObject(route(), bare)) {
        observer?.skipped?.();
        return bare;
      }
      // The cache never rejects; the guard keeps a bug there from losing the event.
      const object = await cache.lookup(raw.involvedObject ?? {}).catch(() => undefined);
      if (object === undefined) return bare;
      return { raw, object: keepMetadata(object, keep), occurrence, clusterName, environment };
    },
  };
}

/** The offline ObjectIndex (`--objects FILE`) as an object cache, for replay runs without a cluster. */
export function objectCacheFromIndex(index: ObjectIndex): ObjectCache {
  return {
    lookup: (ref) => Promise.resolve(index.lookup(ref)),
    markDeleted: () => undefined,
    get size() {
      return index.size;
    },
  };
}
