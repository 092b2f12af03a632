// High availability parts of the wiring: the restart checkpoint and leader election.
import type { Logger } from 'pino';
import type { RouterConfig } from '../config/schema.ts';
import type { RawEvent } from '../event/event.ts';
import { SettleTracker } from '../event/settle-tracker.ts';
import { CheckpointError, Checkpointer, type Checkpoint, type CheckpointStore } from '../kube/checkpoint.ts';
import { resumeFilter } from '../kube/checkpoint-resume.ts';
import { createConfigMapStore, createFileStore } from '../kube/checkpoint-stores.ts';
import type { KubeClient } from '../kube/client.ts';
import { createLeaderElector, type LeaderElector } from '../kube/leader.ts';
import { leaderIdentity, leaseNamespace } from '../kube/lease.ts';
import { Backoff } from '../kube/backoff.ts';
import { systemClock, type Clock } from '../util/clock.ts';

export interface Resume {
  readonly store: CheckpointStore;
  readonly tracker: SettleTracker;
  /** What the last writer stored; re-read by `refresh` when this replica becomes the leader. */
  previous: Checkpoint | undefined;
  admit: (event: RawEvent, key: string) => boolean;
  /** Reads the checkpoint again (a standby taking over must resume from the leader's last one). */
  refresh(): Promise<void>;
}

/**
 * Runs a checkpoint store call until the store answers: a transport error (the API server not up
 * yet, a network blip) is waited out with backoff, as the watch does, instead of ending the start
 * or skipping the checkpoint (which would repeat or miss events). An answer that is an error
 * (CheckpointError: forbidden, unreadable) is returned to the caller as before.
 */
export async function untilAnswered<T>(call: () => Promise<T>, clock: Clock, logger: Logger): Promise<T> {
  const backoff = new Backoff();
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (err instanceof CheckpointError) throw err;
      const delayMs = backoff.next();
      if (attempt === 1)
        logger.warn(
          { err, retryInMs: delayMs },
          'The Kubernetes API is not answering; the checkpoint is read once it does.',
        );
      else
        logger.debug(
          { err, attempt, retryInMs: delayMs },
          'Still waiting for the Kubernetes API to read the checkpoint.',
        );
      await clock.sleep(delayMs);
    }
  }
}

async function readCheckpoint(
  store: CheckpointStore,
  clock: Clock,
  logger: Logger,
): Promise<Checkpoint | undefined> {
  try {
    const previous = await untilAnswered(() => store.read(), clock, logger);
    if (previous !== undefined) {
      logger.info(
        { highWaterMs: previous.highWaterMs, boundaryKeys: previous.boundaryKeys.length },
        'Resuming from the checkpoint.',
      );
    }
    return previous;
  } catch (err) {
    if (!(err instanceof CheckpointError)) throw err;
    logger.error({ err }, 'Cannot read the checkpoint; starting without it.');
    return undefined;
  }
}

/** The default ConfigMap checkpoint runs only where the ConfigMap is there (manifests/checkpoint.yaml). */
async function usable(store: CheckpointStore, clock: Clock, logger: Logger): Promise<boolean> {
  const exists = store.exists?.bind(store);
  const asked = exists === undefined ? Promise.resolve(true) : untilAnswered(exists, clock, logger);
  const found = await asked.catch((err: unknown) => {
    if (!(err instanceof CheckpointError)) throw err;
    return err;
  });
  if (found === true) return true;
  logger.warn(
    { store: store.description, ...(found === false ? {} : { error: found.message }) },
    'No restart checkpoint: its ConfigMap is missing or unreadable, so a restart may repeat or miss events. Create it (manifests/checkpoint.yaml) or set checkpoint.enabled: false.',
  );
  return false;
}

/** Reads the previous run's checkpoint (when enabled) and builds what the router resumes with. */
export async function prepareCheckpoint(
  config: RouterConfig,
  client: KubeClient | undefined,
  logger: Logger,
  clock: Clock = systemClock,
): Promise<Resume | undefined> {
  const settings = config.checkpoint;
  if (!settings.enabled) return undefined;
  let store: CheckpointStore;
  if (settings.path !== undefined) store = createFileStore(settings.path);
  else if (client !== undefined) {
    store = createConfigMapStore({
      client,
      namespace: leaseNamespace({ contextNamespace: client.contextNamespace }),
      name: settings.configMap,
    });
    if (settings.implicit && !(await usable(store, clock, logger))) return undefined;
  } else {
    // On by default, but a replay or the demo has no cluster to keep it in: nothing to say.
    if (!settings.implicit)
      logger.warn('checkpoint.enabled without checkpoint.path outside a cluster: no checkpoint is kept.');
    return undefined;
  }
  const previous = await readCheckpoint(store, clock, logger);
  const resume: Resume = {
    store,
    previous,
    tracker: new SettleTracker({ windowMs: settings.clockSkewMs * 2 }),
    admit: resumeFilter(previous, { skewMs: settings.clockSkewMs }),
    async refresh(): Promise<void> {
      resume.previous = await readCheckpoint(store, clock, logger);
      resume.admit = resumeFilter(resume.previous, { skewMs: settings.clockSkewMs });
    },
  };
  return resume;
}

/** The exporter's age limit, widened to reach back to the checkpoint's high-water mark. */
export function maxEventAgeMs(config: RouterConfig, previous: Checkpoint | undefined, nowMs: number): number {
  const configured = config.maxEventAgeSeconds * 1000;
  if (previous?.highWaterMs === undefined) return configured;
  return Math.max(configured, nowMs - previous.highWaterMs + config.checkpoint.clockSkewMs);
}

export function createElector(
  config: RouterConfig,
  client: KubeClient | undefined,
  clock: Clock,
  logger: Logger,
): LeaderElector | undefined {
  const settings = config.leaderElection;
  if (!settings.enabled || client === undefined) return undefined;
  return createLeaderElector({
    client,
    namespace: leaseNamespace({ contextNamespace: client.contextNamespace }),
    name: settings.leaderElectionID,
    identity: leaderIdentity(),
    leaseDurationMs: settings.leaseDurationMs,
    renewDeadlineMs: settings.renewDeadlineMs,
    retryPeriodMs: settings.retryPeriodMs,
    clock,
    logger,
  });
}

/** Writes the checkpoint periodically (only while leading, when electing) and on shutdown. */
export function createCheckpointer(
  resume: Resume | undefined,
  options: {
    readonly config: RouterConfig;
    readonly position: () => string | undefined;
    readonly elector: LeaderElector | undefined;
    readonly clock: Clock;
    readonly logger: Logger;
  },
): Checkpointer | undefined {
  if (resume === undefined) return undefined;
  const { elector } = options;
  const checkpointer = new Checkpointer({
    store: resume.store,
    snapshot: () => resume.tracker.snapshot(),
    position: options.position,
    clock: options.clock,
    intervalMs: options.config.checkpoint.intervalMs,
    logger: options.logger,
    canWrite: () => elector === undefined || elector.isLeader(),
    ...(resume.previous === undefined ? {} : { previous: resume.previous }),
  });
  checkpointer.start();
  return checkpointer;
}
