// Runs the source: at once without leader election; with it, only once this replica leads,
// and it stops at once when the lease is lost (another replica may be sending).
import type { LeaderElector } from '../kube/leader.ts';
import { maxEventAgeMs, type Resume } from './ha.ts';
import type { Router } from './pipeline.ts';
import type { Stopping } from './shutdown.ts';
import type { AppCore } from './types.ts';

export interface LeadingOptions {
  readonly router: Router;
  readonly stopping: Stopping;
  readonly elector: LeaderElector | undefined;
  /** Aborted after the drain: the elector keeps the lease while the outputs drain. */
  readonly electorSignal: AbortSignal;
  readonly resume: Resume | undefined;
  /** Tells the source where the previous leader got. */
  readonly resumeAt: (resourceVersion: string | undefined) => void;
}

export async function runSource(core: AppCore, options: LeadingOptions): Promise<void> {
  const { router, stopping, elector, resume } = options;
  if (elector === undefined) return router.run(stopping.controller.signal);
  const leaderSignal = await becomeLeader(core, options, elector);
  if (leaderSignal === undefined) return;
  if (resume !== undefined) {
    // The previous leader's last checkpoint, not the one read when this replica started.
    await resume.refresh();
    options.resumeAt(resume.previous?.resourceVersion);
    router.setMaxEventAgeMs(maxEventAgeMs(core.config, resume.previous, core.clock.now()));
  }
  await router.run(AbortSignal.any([stopping.controller.signal, leaderSignal]));
}

/** The leader's signal once elected; undefined when stopped (or the elector ended) first. */
async function becomeLeader(
  core: AppCore,
  options: LeadingOptions,
  elector: LeaderElector,
): Promise<AbortSignal | undefined> {
  const { metrics, logger, clock } = core;
  const { stopping } = options;
  metrics.leadership(false);
  let leading: (signal: AbortSignal) => void = () => undefined;
  const started = new Promise<AbortSignal>((resolve) => (leading = resolve));
  const electing = elector.run(options.electorSignal, {
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
      stopping.leadershipLost = true;
      stopping.deadlineAtMs = clock.now();
      stopping.controller.abort();
    },
  });
  const stopped = new Promise<undefined>((resolve) =>
    stopping.controller.signal.addEventListener('abort', () => resolve(undefined), { once: true }),
  );
  return Promise.race([started, stopped, electing.then(() => undefined)]);
}
