// Builds and runs the whole router from a config file and the `run` flags.
import type { Logger } from 'pino';
import { createOutputs, type Tally } from './outputs.ts';
import { ConfigError, loadConfigFile } from '../config/load.ts';
import { watchConfigFile } from '../config/watch.ts';
import type { LoadedConfig, RouterConfig } from '../config/schema.ts';
import type { RawEvent } from '../event/event.ts';
import type { Output } from '../output/output.ts';
import type { CompiledRoute } from '../route/route.ts';
import { ObjectIndex, readObjects } from '../event/object-index.ts';
import { createKubeClient, type KubeClient } from '../kube/client.ts';
import { createEnricher, objectCacheFromIndex } from '../kube/enricher.ts';
import { createKubernetesSource, type KubernetesEventSource } from '../kube/event-source.ts';
import { createMetadataFetcher } from '../kube/metadata-fetcher.ts';
import { createObjectCache, type ObjectCache } from '../kube/object-cache.ts';
import { Router } from './pipeline.ts';
import { occurrenceKey } from '../event/settle-tracker.ts';
import { Checkpointer } from '../kube/checkpoint.ts';
import { createElector, maxEventAgeMs, prepareCheckpoint } from './ha.ts';
import { createDemoSource } from '../sources/demo.ts';
import { demoObjects } from '../sources/demo-scenario.ts';
import { createReplaySource } from '../sources/replay.ts';
import type { EventSource, SourceObserver } from '../sources/types.ts';
import { createLogger } from '../telemetry/log.ts';
import { Metrics } from '../telemetry/metrics.ts';
import { startTelemetryServer, type TelemetryServer } from '../telemetry/server.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import { readFile } from 'node:fs/promises';

export type SourceSpec =
  { kind: 'kubernetes' } | { kind: 'replay'; path: string } | { kind: 'demo'; speed?: number };

export interface AppOptions {
  readonly configPath: string;
  readonly source: SourceSpec;
  readonly kubeconfig?: string;
  /** `--metrics-address`; '' = no telemetry server. */
  readonly metricsAddress: string;
  /** Objects for enrichment without a cluster (replay). */
  readonly objectsPath?: string;
  readonly dryRun?: boolean;
  readonly clock?: Clock;
  readonly stdout?: NodeJS.WritableStream;
  readonly env?: NodeJS.ProcessEnv;
  /** Overrides the config's log destination (tests). */
  readonly logDestination?: NodeJS.WritableStream;
  /** Reload the config when its file changes (default true). */
  readonly watchConfig?: boolean;
}

export interface RunResult {
  /** Occurrences routed to at least one receiver. */
  readonly accepted: number;
  /** This replica lost the leader lease and stopped sending (the process should exit non-zero). */
  readonly leadershipLost: boolean;
  /** (event, receiver) deliveries, and those that went to the dead-letter file. */
  readonly delivered: number;
  readonly deadLettered: number;
}

export interface App {
  readonly loaded: LoadedConfig;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly telemetry: TelemetryServer | undefined;
  /** Runs until the source ends (replay, demo) or `stop` is called; then drains. */
  readonly done: Promise<RunResult>;
  /** Stops the source and drains the outputs up to shutdownTimeoutMs (SIGTERM). */
  stop(): Promise<RunResult>;
  /** Resolves once the first list is done (what /readyz reports). */
  readonly ready: Promise<void>;
}

const MAX_REASON_CHARS = 200;

interface Health {
  ready: boolean;
  lastActivityMs: number;
  onReady: () => void;
}

function sourceObserver(metrics: Metrics, health: Health, clock: Clock, logger: Logger): SourceObserver {
  return {
    listed: () => {
      health.ready = true;
      health.onReady();
      health.lastActivityMs = clock.now();
      metrics.listCompleted();
    },
    watchRestarted: (reason) => metrics.watchRestarted(reason),
    activity: () => {
      health.lastActivityMs = clock.now();
    },
    malformed: (reason) => {
      metrics.eventMalformed(reason);
      // A bad value can be huge (a 1 MB field): the log keeps the start of the reason.
      logger.warn(
        { reason: reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS)}…` : reason },
        'Skipped an item that is not a valid Event.',
      );
    },
  };
}

async function offlineCache(options: AppOptions): Promise<ObjectCache | undefined> {
  if (options.source.kind === 'demo') {
    const index = new ObjectIndex();
    for (const obj of demoObjects()) index.add(obj);
    return objectCacheFromIndex(index);
  }
  if (options.objectsPath === undefined) return undefined;
  return objectCacheFromIndex(readObjects(await readFile(options.objectsPath, 'utf8')));
}

function kubeParts(
  options: AppOptions,
  loaded: LoadedConfig,
  clock: Clock,
  logger: Logger,
  metrics: Metrics,
  resumeAt: () => string | undefined,
) {
  const { config } = loaded;
  const client: KubeClient = createKubeClient({
    ...(options.kubeconfig === undefined ? {} : { kubeconfig: options.kubeconfig }),
    qps: config.kubeQPS,
    burst: config.kubeBurst,
    clock,
  });
  logger.info({ server: client.server, origin: client.origin }, 'Connected to the Kubernetes API.');
  const source = createKubernetesSource({
    client,
    namespaces: config.namespaces,
    clock,
    logger,
    initialResourceVersion: resumeAt,
  });
  const cache = createObjectCache({
    fetcher: createMetadataFetcher({ transport: client, clock }),
    cacheSize: config.cacheSize,
    clock,
    logger,
    observer: {
      hit: () => metrics.cacheHit(),
      miss: () => metrics.cacheMiss(),
      error: (reason) => metrics.cacheError(reason),
      forbidden: () => metrics.cacheError('forbidden'),
    },
  });
  return { client, source, cache };
}

export async function startApp(options: AppOptions): Promise<App> {
  const clock = options.clock ?? systemClock;
  const loaded = await loadConfigFile(options.configPath, options.env);
  const { config } = loaded;
  const logger = createLogger({
    level: config.logLevel,
    format: config.logFormat,
    ...(options.logDestination === undefined ? {} : { destination: options.logDestination }),
  });
  const metrics = new Metrics({ prefix: config.metricsNamePrefix });
  metrics.configLoaded(loaded.hash);
  for (const warning of loaded.warnings) logger.warn({ warning }, 'Config warning.');

  let source: EventSource;
  let cache: ObjectCache | undefined;
  let client: KubeClient | undefined;
  let kubeSource: KubernetesEventSource | undefined;
  // Set once the checkpoint is read (it needs the client); the source reads it when it starts.
  const resumeAt: { resourceVersion?: string } = {};
  if (options.source.kind === 'kubernetes') {
    ({ client, source, cache } = kubeParts(
      options,
      loaded,
      clock,
      logger,
      metrics,
      () => resumeAt.resourceVersion,
    ));
    kubeSource = source as KubernetesEventSource;
  } else {
    source =
      options.source.kind === 'replay'
        ? createReplaySource(options.source.path)
        : createDemoSource({ clock, speed: options.source.speed });
    cache = await offlineCache(options);
  }

  let onReady = (): void => undefined;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  const health: Health = { ready: false, lastActivityMs: clock.now(), onReady };
  const tally: Tally = { delivered: 0, deadLettered: 0 };
  const resume = await prepareCheckpoint(config, client, logger);
  resumeAt.resourceVersion = resume?.previous?.resourceVersion;
  const outputsFor = (next: RouterConfig): Map<string, Output> =>
    createOutputs({
      config: next,
      clock,
      logger,
      metrics,
      tally,
      stdout: options.stdout ?? process.stdout,
      dryRun: options.dryRun ?? false,
      settled: (event, receiver) => resume?.tracker.settled(occurrenceKey(event.raw), receiver),
    });
  const outputs = outputsFor(config);
  // Reads the router's current tree, so cheap drops follow a config reload.
  const currentRoute = (): CompiledRoute => router.current.config.route;
  const enricher = createEnricher({
    cache,
    route: currentRoute,
    omitLookup: config.omitLookup,
    observer: { skipped: () => metrics.lookupSkipped() },
  });
  const router = new Router({
    config,
    source,
    outputs,
    enrich: enricher.enrich,
    logger,
    now: () => clock.now(),
    observer: {
      eventReceived: (type) => metrics.eventReceived(type),
      eventCounted: (event) => metrics.eventCounted(event.raw),
      eventRouted: (receivers) => metrics.eventRouted(receivers),
      eventDropped: (reason, n) => metrics.eventDropped(reason, n),
    },
    sourceObserver: sourceObserver(metrics, health, clock, logger),
    // A replay imports history: the exporter's age limit is for live watches. A checkpoint
    // widens it to reach back to where the previous run got.
    ...(options.source.kind === 'replay'
      ? {}
      : { maxEventAgeMs: maxEventAgeMs(config, resume?.previous, clock.now()) }),
    ...(resume === undefined
      ? {}
      : { tracker: resume.tracker, admit: (event: RawEvent, key: string) => resume.admit(event, key) }),
  });
  const elector = createElector(config, client, clock, logger);
  const checkpointer =
    resume === undefined
      ? undefined
      : new Checkpointer({
          store: resume.store,
          snapshot: () => resume.tracker.snapshot(),
          position: () => kubeSource?.position(),
          clock,
          intervalMs: config.checkpoint.intervalMs,
          logger,
          canWrite: () => elector === undefined || elector.isLeader(),
          ...(resume.previous === undefined ? {} : { previous: resume.previous }),
        });
  checkpointer?.start();

  const telemetry =
    options.metricsAddress === ''
      ? undefined
      : await startTelemetryServer({
          address: options.metricsAddress,
          metrics,
          clock,
          logger,
          health: {
            ready: () => health.ready,
            lastActivityMs: () => health.lastActivityMs,
            maxSilenceMs: config.maxWatchSilenceSeconds === 0 ? 0 : config.maxWatchSilenceSeconds * 1000,
          },
        });

  // A source that ends by itself waits for every delivery: retries end within maxElapsedMs.
  const settleMs =
    Math.max(0, ...config.receivers.map((r) => r.retry.maxElapsedMs + r.batch.flushIntervalMs)) + 60_000;
  const retiring = new Set<Promise<void>>();
  let loadedHash = loaded.hash;
  const reload = async (): Promise<void> => {
    let next: LoadedConfig;
    try {
      next = await loadConfigFile(options.configPath, options.env);
    } catch (err) {
      metrics.configReloaded('failure');
      const problems = err instanceof ConfigError ? err.lines : [(err as Error).message];
      logger.error({ problems }, 'Config reload failed; the running config stays in force.');
      return;
    }
    if (next.hash === loadedHash) return;
    const previous = router.current.outputs;
    router.swap({ config: next.config, outputs: outputsFor(next.config) });
    loadedHash = next.hash;
    metrics.configReloaded('success');
    metrics.configLoaded(next.hash);
    for (const warning of next.warnings) logger.warn({ warning }, 'Config warning.');
    logger.info({ hash: next.hash, receivers: next.config.receivers.map((r) => r.name) }, 'Config reloaded.');
    // The replaced outputs deliver what they hold, then close: a reload loses nothing.
    for (const output of previous.values()) {
      const drained = output.drain(clock.now() + settleMs).finally(() => retiring.delete(drained));
      retiring.add(drained);
    }
  };
  const watcher =
    options.watchConfig === false
      ? undefined
      : watchConfigFile(options.configPath, clock, () => void reload());

  const controller = new AbortController();
  let deadlineAtMs: number | undefined;
  // The elector outlives the source: it keeps the lease while the outputs drain, then releases it.
  const electorController = new AbortController();
  let leadershipLost = false;
  const result = (): RunResult => ({
    accepted: router.acceptedCount,
    delivered: tally.delivered,
    deadLettered: tally.deadLettered,
    leadershipLost,
  });
  const runSource = async (): Promise<void> => {
    if (elector === undefined) return router.run(controller.signal);
    metrics.leadership(false);
    let leading: (signal: AbortSignal) => void = () => undefined;
    const started = new Promise<AbortSignal>((resolve) => (leading = resolve));
    const electing = elector.run(electorController.signal, {
      onStartedLeading: (leaderSignal) => {
        metrics.leadership(true);
        logger.info('Became the leader.');
        leading(leaderSignal);
      },
      onStoppedLeading: (reason) => {
        metrics.leadership(false);
        if (reason !== 'lost') return;
        // Another replica may be sending now: stop at once, and let the pod restart as a standby.
        logger.error('Lost the leader lease; stopping.');
        leadershipLost = true;
        deadlineAtMs = clock.now();
        controller.abort();
      },
    });
    const stopped = new Promise<undefined>((resolve) =>
      controller.signal.addEventListener('abort', () => resolve(undefined), { once: true }),
    );
    const leaderSignal = await Promise.race([started, stopped, electing.then(() => undefined)]);
    if (leaderSignal === undefined) return;
    if (resume !== undefined) {
      // The previous leader's last checkpoint, not the one read when this replica started.
      await resume.refresh();
      resumeAt.resourceVersion = resume.previous?.resourceVersion;
      router.setMaxEventAgeMs(maxEventAgeMs(config, resume.previous, clock.now()));
    }
    await router.run(AbortSignal.any([controller.signal, leaderSignal]));
  };
  const done = (async (): Promise<RunResult> => {
    try {
      await runSource();
    } finally {
      watcher?.close();
      await Promise.all([router.drain(deadlineAtMs ?? clock.now() + settleMs), ...retiring]);
      await checkpointer?.flush();
      await elector?.release();
      electorController.abort();
      client?.close();
      await telemetry?.close();
      logger.info(result(), 'Stopped.');
      logger.flush();
    }
    return result();
  })();

  return {
    loaded,
    logger,
    metrics,
    telemetry,
    done,
    ready,
    stop(): Promise<RunResult> {
      if (!controller.signal.aborted) {
        deadlineAtMs = clock.now() + config.shutdownTimeoutMs;
        logger.info({ shutdownTimeoutMs: config.shutdownTimeoutMs }, 'Stopping: draining outputs.');
        controller.abort();
      }
      return done;
    },
  };
}

export type { Tally };
