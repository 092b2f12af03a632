// High availability parts of the wiring: the restart checkpoint and leader election.
import type { Logger } from 'pino';
import type { RouterConfig } from './config/schema.ts';
import type { RawEvent } from './event/event.ts';
import { SettleTracker } from './event/settle-tracker.ts';
import { CheckpointError, type Checkpoint, type CheckpointStore } from './kube/checkpoint.ts';
import { resumeFilter } from './kube/checkpoint-resume.ts';
import { createConfigMapStore, createFileStore } from './kube/checkpoint-stores.ts';
import type { KubeClient } from './kube/client.ts';
import { createLeaderElector, type LeaderElector } from './kube/leader.ts';
import { leaderIdentity, leaseNamespace } from './kube/lease.ts';
import type { Clock } from './util/clock.ts';

export interface Resume {
  readonly store: CheckpointStore;
  readonly tracker: SettleTracker;
  readonly previous: Checkpoint | undefined;
  readonly admit: (event: RawEvent, key: string) => boolean;
}

/** Reads the previous run's checkpoint (when enabled) and builds what the router resumes with. */
export async function prepareCheckpoint(config: RouterConfig, client: KubeClient | undefined, logger: Logger): Promise<Resume | undefined> {
  const settings = config.checkpoint;
  if (!settings.enabled) return undefined;
  let store: CheckpointStore;
  if (settings.path !== undefined) store = createFileStore(settings.path);
  else if (client !== undefined) {
    store = createConfigMapStore({ client, namespace: leaseNamespace({ contextNamespace: client.contextNamespace }), name: settings.configMap });
  } else {
    logger.warn('checkpoint.enabled without checkpoint.path outside a cluster: no checkpoint is kept.');
    return undefined;
  }
  let previous: Checkpoint | undefined;
  try {
    previous = await store.read();
  } catch (err) {
    if (!(err instanceof CheckpointError)) throw err;
    logger.error({ err }, 'Cannot read the checkpoint; starting without it.');
  }
  if (previous !== undefined) logger.info({ highWaterMs: previous.highWaterMs, boundaryKeys: previous.boundaryKeys.length }, 'Resuming from the checkpoint.');
  return {
    store,
    previous,
    tracker: new SettleTracker({ windowMs: settings.clockSkewMs * 2 }),
    admit: resumeFilter(previous, { skewMs: settings.clockSkewMs }),
  };
}

/** The exporter's age limit, widened to reach back to the checkpoint's high-water mark. */
export function maxEventAgeMs(config: RouterConfig, previous: Checkpoint | undefined, nowMs: number): number {
  const configured = config.maxEventAgeSeconds * 1000;
  if (previous?.highWaterMs === undefined) return configured;
  return Math.max(configured, nowMs - previous.highWaterMs + config.checkpoint.clockSkewMs);
}

export function createElector(config: RouterConfig, client: KubeClient | undefined, clock: Clock, logger: Logger): LeaderElector | undefined {
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
