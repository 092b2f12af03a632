// Builds and runs the whole router from a config file and the `run` flags. Each part is built
// by its own file (sources, health, HA, reload, shutdown); this one only puts them together.
import { loadConfigFile } from '../config/load.ts';
import { createLogger } from '../telemetry/log.ts';
import { Metrics } from '../telemetry/metrics.ts';
import { systemClock } from '../util/clock.ts';
import { createCheckpointer, createElector, prepareCheckpoint } from './ha.ts';
import { createHealth, startHealthServer } from './health.ts';
import { runSource } from './leading.ts';
import { outputsFactory, type Tally } from './outputs.ts';
import { startReloader } from './reload.ts';
import { createStopping, runUntilStopped } from './shutdown.ts';
import { createSource } from './sources.ts';
import type { App, AppCore, AppOptions } from './types.ts';
import { wireRouter } from './wire-router.ts';

export type { App, AppOptions, RunResult, SourceSpec } from './types.ts';
export type { Tally };

export async function startApp(options: AppOptions): Promise<App> {
  const core = await loadCore(options);
  const { config, clock, logger } = core;
  // Set once the checkpoint is read (it needs the client); the source reads it when it starts.
  const resumeAt: { resourceVersion?: string } = {};
  const source = await createSource(core, () => resumeAt.resourceVersion);
  const resume = await prepareCheckpoint(config, source.client, logger, clock);
  resumeAt.resourceVersion = resume?.previous?.resourceVersion;
  const tally: Tally = { delivered: 0, deadLettered: 0 };
  const outputsFor = outputsFactory(core, tally, resume);
  const health = createHealth(clock);
  const router = wireRouter(core, { source, outputs: await outputsFor(config), resume, health });
  health.paused = () => router.waitingOnOutputs;
  const elector = createElector(config, source.client, clock, logger);
  const checkpointer = createCheckpointer(resume, {
    config,
    position: source.position,
    elector,
    clock,
    logger,
  });
  const telemetry = await startHealthServer(core, health);
  const reloader = startReloader(core, router, outputsFor);
  const stopping = createStopping();
  const electorController = new AbortController();
  const running = runUntilStopped(
    core,
    () =>
      runSource(core, {
        router,
        stopping,
        elector,
        electorSignal: electorController.signal,
        resume,
        resumeAt: (resourceVersion) => (resumeAt.resourceVersion = resourceVersion),
      }),
    stopping,
    { router, tally, reloader, checkpointer, elector, electorController, client: source.client, telemetry },
  );
  const { loaded, metrics } = core;
  return {
    loaded,
    logger,
    metrics,
    telemetry,
    done: running.done,
    ready: health.whenReady,
    stop: running.stop,
  };
}

/** Loads the config and sets up what every part shares: the logger, the metrics, the clock. */
async function loadCore(options: AppOptions): Promise<AppCore> {
  const loaded = await loadConfigFile(options.configPath, options.env);
  const { config } = loaded;
  const logger = createLogger({
    level: config.logLevel,
    format: config.logFormat,
    stacks: options.debug === true,
    ...(options.logDestination === undefined ? {} : { destination: options.logDestination }),
  });
  const metrics = new Metrics({ prefix: config.metricsNamePrefix });
  metrics.configLoaded(loaded.hash);
  for (const warning of loaded.warnings) logger.warn({ warning }, 'Config warning.');
  return { options, loaded, config, clock: options.clock ?? systemClock, logger, metrics };
}
