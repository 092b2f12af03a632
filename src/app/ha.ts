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
import type { Clock } from '../util/clock.ts';

export interface Resume {
  readonly store: CheckpointStore;
  readonly tracker: SettleTracker;
  /** What the last writer stored; re-read by `refresh` when this replica becomes the leader. */
  previous: Checkpoint | undefined;
  admit: (event: RawEvent, key: string) => boolean;
  /** Reads the checkpoint again (a standby taking over must resume from the leader's last one). */
  refresh(): Promise<void>;
}

async function readCheckpoint(store: CheckpointStore, logger: Logger): Promise<Checkpoint | undefined> {
  try {
    const previous = await store.read();
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
async function usable(store: CheckpointStore, logger: Logger): Promise<boolean> {
  const found = await (store.exists?.() ?? Promise.resolve(true)).catch((err: unknown) => {
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
    if (settings.implicit && !(await usable(store, logger))) return undefined;
  } else {
    // On by default, but a replay or the demo has no cluster to keep it in: nothing to say.
    if (!settings.implicit)
      logger.warn('checkpoint.enabled without checkpoint.path outside a cluster: no checkpoint is kept.');
    return undefined;
  }
  const previous = await readCheckpoint(store, logger);
  const resume: Resume = {
    store,
    previous,
    tracker: new SettleTracker({ windowMs: settings.clockSkewMs * 2 }),
    admit: resumeFilter(previous, { skewMs: settings.clockSkewMs }),
    async refresh(): Promise<void> {
      resume.previous = await readCheckpoint(store, logger);
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
