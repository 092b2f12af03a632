// Keys from kubernetes-event-exporter forks that name something the router has, honoured
// under their fork names: `enrichEvents` (which metadata enrichment keeps), `cacheTTL` (a Go
// duration: how long a looked-up object stays fresh) and `mappingCacheSize` (how many API
// group versions discovery remembers).
import { z } from 'zod';
import { parseDuration } from '../go/time/duration.ts';
import { options, positiveInt } from './zod-helpers.ts';

const NANOS_PER_MS = 1_000_000n;

export const FORK_DEFAULTS = {
  objectCacheTtlMs: 5 * 60_000,
  discoveryCacheSize: 512,
} as const;

/** `true`: every label (annotation) of the involved object; a list: only these keys; `false`: none. */
const keep = z.union([z.boolean(), z.array(z.string())], {
  error: 'expected true, false or a list of keys',
});

export const forkKeysShape = {
  enrichEvents: options({ labels: keep.default(true), annotations: keep.default(true) }).optional(),
  cacheTTL: z
    .string()
    .transform((text, ctx) => {
      const nanos = parseDuration(text);
      if (nanos === undefined || nanos <= 0n) {
        ctx.addIssue({
          code: 'custom',
          message: `expected a positive Go duration such as "5m", got "${text}"`,
        });
        return z.NEVER;
      }
      return Math.max(1, Number(nanos / NANOS_PER_MS));
    })
    .optional(),
  mappingCacheSize: positiveInt.optional(),
};

export type KeepKeys = boolean | readonly string[];

export interface EnrichmentSettings {
  readonly labels: KeepKeys;
  readonly annotations: KeepKeys;
  /** How long a looked-up object's metadata is used before it is asked again. */
  readonly objectCacheTtlMs: number;
  /** API group versions discovery remembers (kind → resource). */
  readonly discoveryCacheSize: number;
}

export function enrichmentSettings(top: {
  readonly enrichEvents?: { readonly labels: KeepKeys; readonly annotations: KeepKeys } | undefined;
  readonly cacheTTL?: number | undefined;
  readonly mappingCacheSize?: number | undefined;
}): EnrichmentSettings {
  return {
    labels: top.enrichEvents?.labels ?? true,
    annotations: top.enrichEvents?.annotations ?? true,
    objectCacheTtlMs: top.cacheTTL ?? FORK_DEFAULTS.objectCacheTtlMs,
    discoveryCacheSize: top.mappingCacheSize ?? FORK_DEFAULTS.discoveryCacheSize,
  };
}
