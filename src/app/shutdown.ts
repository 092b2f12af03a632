// The end of a run: the source stops (by itself, on SIGTERM, or on a lost lease), the outputs
// drain until a deadline and dead-letter the rest, then the checkpoint, the lease, the API
// client and the telemetry server are closed, in that order.
import type { RouterConfig } from '../config/schema.ts';
import type { Checkpointer } from '../kube/checkpoint.ts';
import type { KubeClient } from '../kube/client.ts';
import type { LeaderElector } from '../kube/leader.ts';
import type { TelemetryServer } from '../telemetry/server.ts';
import type { Tally } from './outputs.ts';
import type { Router } from './pipeline.ts';
import type { Reloader } from './reload.ts';
import type { AppCore, RunResult } from './types.ts';

/** Shared by the run and whoever stops it. */
export interface Stopping {
  /** Aborts the source. */
  readonly controller: AbortController;
  /** Set by a stop: when the drain gives up. Unset: the source ended by itself. */
  deadlineAtMs: number | undefined;
  leadershipLost: boolean;
}

export function createStopping(): Stopping {
  return { controller: new AbortController(), deadlineAtMs: undefined, leadershipLost: false };
}

export interface ShutdownParts {
  readonly router: Router;
  readonly tally: Tally;
  readonly reloader: Reloader;
  readonly checkpointer: Checkpointer | undefined;
  readonly elector: LeaderElector | undefined;
  /** Aborted last: the elector keeps the lease while the outputs drain. */
  readonly electorController: AbortController;
  readonly client: KubeClient | undefined;
  readonly telemetry: TelemetryServer | undefined;
}

export interface Running {
  readonly done: Promise<RunResult>;
  stop(): Promise<RunResult>;
}

/** How long outputs may take to deliver what they hold when nothing hurries them: retries end within maxElapsedMs. */
export function settleMs(config: RouterConfig): number {
  return Math.max(0, ...config.receivers.map((r) => r.retry.maxElapsedMs + r.batch.flushIntervalMs)) + 60_000;
}

/** Runs `runSource` to its end, then shuts everything down; `stop` is what SIGTERM calls. */
export function runUntilStopped(
  core: AppCore,
  runSource: () => Promise<void>,
  stopping: Stopping,
  parts: ShutdownParts,
): Running {
  const { config, clock, logger } = core;
  const { router, tally } = parts;
  const result = (): RunResult => ({
    accepted: router.acceptedCount,
    delivered: tally.delivered,
    deadLettered: tally.deadLettered,
    leadershipLost: stopping.leadershipLost,
  });
  const drain = (deadlineAtMs: number): Promise<unknown> =>
    Promise.all([router.drain(deadlineAtMs), parts.reloader.retired(deadlineAtMs)]);
  const done = (async (): Promise<RunResult> => {
    try {
      await runSource();
    } finally {
      parts.reloader.close();
      await drain(stopping.deadlineAtMs ?? clock.now() + settleMs(config));
      await parts.checkpointer?.flush();
      await parts.elector?.release();
      parts.electorController.abort();
      parts.client?.close();
      await parts.telemetry?.close();
      logger.info(result(), 'Stopped.');
      logger.flush();
    }
    return result();
  })();
  return {
    done,
    stop(): Promise<RunResult> {
      if (!stopping.controller.signal.aborted) {
        stopping.deadlineAtMs = clock.now() + config.shutdownTimeoutMs;
        logger.info({ shutdownTimeoutMs: config.shutdownTimeoutMs }, 'Stopping: draining outputs.');
        stopping.controller.abort();
        // The source may be blocked on a full queue, or may have ended with its outputs still
        // retrying (a replay): either way the outputs give up at this deadline, not later.
        void drain(stopping.deadlineAtMs);
      }
      return done;
    },
  };
}
