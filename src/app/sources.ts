// The event source `run` reads from (the Kubernetes API, a replay file or the demo story) and
// the object cache that enriches its events.
import { readObjectsFile } from '../event/input-file.ts';
import { ObjectIndex } from '../event/object-index.ts';
import { createKubeClient, type KubeClient } from '../kube/client.ts';
import { objectCacheFromIndex } from '../kube/enricher.ts';
import { createKubernetesSource } from '../kube/event-source.ts';
import { createMetadataFetcher } from '../kube/metadata-fetcher.ts';
import { createDiscovery } from '../kube/discovery.ts';
import { createObjectCache, type ObjectCache } from '../kube/object-cache.ts';
import { createDemoSource } from '../sources/demo.ts';
import { demoObjects } from '../sources/demo-scenario.ts';
import { createReplaySource } from '../sources/replay.ts';
import type { EventSource } from '../sources/types.ts';
import type { AppCore, AppOptions } from './types.ts';

export interface SourceParts {
  readonly source: EventSource;
  readonly cache: ObjectCache | undefined;
  /** Only with the Kubernetes source. */
  readonly client: KubeClient | undefined;
  /** Where the Kubernetes watch got (for the checkpoint); undefined for the other sources. */
  readonly position: () => string | undefined;
}

/**
 * `resumeAt`: the resourceVersion to resume the watch at, read when the watch starts (the
 * checkpoint it comes from is read after the client exists).
 */
export async function createSource(core: AppCore, resumeAt: () => string | undefined): Promise<SourceParts> {
  const { options, clock } = core;
  if (options.source.kind === 'kubernetes') return kubeParts(core, resumeAt);
  const source =
    options.source.kind === 'replay'
      ? createReplaySource(options.source.path)
      : createDemoSource({ clock, speed: options.source.speed });
  return { source, cache: await offlineCache(options), client: undefined, position: () => undefined };
}

async function offlineCache(options: AppOptions): Promise<ObjectCache | undefined> {
  if (options.source.kind === 'demo') {
    const index = new ObjectIndex();
    for (const obj of demoObjects()) index.add(obj);
    return objectCacheFromIndex(index);
  }
  if (options.objectsPath === undefined) return undefined;
  return objectCacheFromIndex(await readObjectsFile('--objects', options.objectsPath));
}

function kubeParts(core: AppCore, resumeAt: () => string | undefined): SourceParts {
  const { options, config, clock, logger, metrics } = core;
  const client: KubeClient = createKubeClient({
    ...(options.kubeconfig === undefined ? {} : { kubeconfig: options.kubeconfig }),
    qps: config.kubeQPS,
    burst: config.kubeBurst,
    clock,
    onConnected: () => logger.info(where, 'Connected to the Kubernetes API.'),
  });
  const where = { server: client.server, origin: client.origin };
  logger.info(where, 'Connecting to the Kubernetes API.');
  const source = createKubernetesSource({
    client,
    namespaces: config.namespaces,
    clock,
    logger,
    initialResourceVersion: resumeAt,
  });
  const cache = createObjectCache({
    fetcher: createMetadataFetcher({
      transport: client,
      clock,
      discovery: createDiscovery({
        transport: client,
        clock,
        maxGroupVersions: config.enrichment.discoveryCacheSize,
      }),
    }),
    cacheSize: config.cacheSize,
    ttlMs: config.enrichment.objectCacheTtlMs,
    clock,
    logger,
    observer: {
      hit: () => metrics.cacheHit(),
      miss: () => metrics.cacheMiss(),
      error: (reason) => metrics.cacheError(reason),
      forbidden: () => metrics.cacheError('forbidden'),
    },
  });
  return { source, cache, client, position: () => source.position() };
}
