// Readiness and liveness: what the source reports feeds /readyz and /healthz, served with
// /metrics on `--metrics-address`.
import type { Logger } from 'pino';
import type { SourceObserver } from '../sources/types.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import { startTelemetryServer, type TelemetryServer } from '../telemetry/server.ts';
import type { Clock } from '../util/clock.ts';
import type { AppCore } from './types.ts';

const MAX_REASON_CHARS = 200;

export interface Health {
  ready: boolean;
  lastActivityMs: number;
  /** True while backpressure (a full queue, policy block) holds the source: silence is expected then. */
  paused: () => boolean;
  /** Resolves once the first list is done (what /readyz reports). */
  readonly whenReady: Promise<void>;
  readonly markReady: () => void;
}

export function createHealth(clock: Clock): Health {
  let markReady = (): void => undefined;
  const whenReady = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  return { ready: false, lastActivityMs: clock.now(), paused: () => false, whenReady, markReady };
}

/** Turns the source's reports into health, metrics and log lines. */
export function sourceObserver(
  metrics: Metrics,
  health: Health,
  clock: Clock,
  logger: Logger,
): SourceObserver {
  return {
    listed: () => {
      health.ready = true;
      health.markReady();
      health.lastActivityMs = clock.now();
      metrics.listCompleted();
    },
    watchRestarted: (reason) => metrics.watchRestarted(reason),
    empty: (input) => logger.warn({ input }, 'The input holds no events.'),
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

/** /metrics, /healthz and /readyz on `--metrics-address` ('' = no server). */
export async function startHealthServer(core: AppCore, health: Health): Promise<TelemetryServer | undefined> {
  const { options, config, metrics, clock, logger } = core;
  if (options.metricsAddress === '') return undefined;
  return startTelemetryServer({
    address: options.metricsAddress,
    metrics,
    clock,
    logger,
    health: {
      ready: () => health.ready,
      lastActivityMs: () => {
        // Backpressure pauses the watch on purpose; the silence bound restarts when it ends.
        if (health.paused()) health.lastActivityMs = clock.now();
        return health.lastActivityMs;
      },
      maxSilenceMs: config.maxWatchSilenceSeconds === 0 ? 0 : config.maxWatchSilenceSeconds * 1000,
    },
  });
}
