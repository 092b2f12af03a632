// Leader election on a Lease with client-go's semantics (tools/leaderelection): a candidate takes
// the lease when it is free or has not changed for a lease duration *as observed locally* (so
// clocks need not agree), renews every retry period, and gives up leadership the moment renewal
// has failed for a renew deadline — before anyone else may take the lease (renewDeadline <
// leaseDuration). `release()` clears the holder so a standby takes over within one retry period.
import type { Logger } from 'pino';
import type { KubeClient } from './client.ts';
import type { Clock, TimerHandle } from '../util/clock.ts';
import { CONFLICT, LeaseClient, type LeaseRecord, type ObservedLease } from './lease.ts';

export const LEADER_DEFAULTS = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
} as const;

export const STOP_REASONS = ['lost', 'released', 'aborted'] as const;
export type StopReason = (typeof STOP_REASONS)[number];

export interface LeaderCallbacks {
  /** Leadership began; `leaderSignal` aborts the moment it ends, for whatever reason. */
  onStartedLeading(leaderSignal: AbortSignal): void;
  /** Leadership ended: `lost` (renewal failed or another holder), `released`, or `aborted` (run's signal). */
  onStoppedLeading(reason: StopReason): void;
  /** The observed holder changed (this replica included). */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectorOptions {
  readonly client: Pick<KubeClient, 'request'>;
  readonly namespace: string;
  /** The Lease name (`leaderElectionID`). */
  readonly name: string;
  readonly identity: string;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  readonly clock: Clock;
  readonly logger?: Logger;
}

export interface LeaderElector {
  /**
   * Campaigns until leader, then renews until leadership ends; resolves then (or when `signal`
   * aborts). Aborting `signal` stops renewing without releasing: use `release()` for a hand-over.
   */
  run(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<void>;
  /** Stops renewing and, if leading, clears the holder so a standby takes over at once. */
  release(): Promise<void>;
  isLeader(): boolean;
}

/** The outcome of one tryAcquireOrRenew. */
type Attempt = 'held' | 'heldByOther' | 'failed';

export class LeaderConfigError extends Error {
  readonly code = 'E_LEADER_CONFIG';
}

/** A signal that aborts with any of `parents`, or after `timeoutMs` of clock time; `done` unhooks it. */
function linked(
  parents: readonly AbortSignal[],
  clock: Clock,
  timeoutMs?: number,
): { signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  const hooks = parents.map((parent) => {
    const onAbort = (): void => controller.abort(parent.reason);
    if (parent.aborted) controller.abort(parent.reason);
    else parent.addEventListener('abort', onAbort, { once: true });
    return () => parent.removeEventListener('abort', onAbort);
  });
  const timer: TimerHandle | undefined =
    timeoutMs === undefined
      ? undefined
      : clock.setTimer(() => controller.abort(new Error('renew deadline reached')), timeoutMs);
  return {
    signal: controller.signal,
    done: () => {
      timer?.cancel();
      for (const unhook of hooks) unhook();
    },
  };
}

class Elector implements LeaderElector {
  private readonly leases: LeaseClient;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private observedLease: ObservedLease | undefined;
  private observedJson = '';
  private observedAtMs = 0;
  private leading = false;
  private lastHolder: string | undefined;
  /** Aborted by release(): ends campaigning and renewing. */
  private readonly stopper = new AbortController();
  private running: Promise<void> = Promise.resolve();
  private callbacks: LeaderCallbacks | undefined;

  constructor(private readonly o: LeaderElectorOptions) {
    this.leaseDurationMs = o.leaseDurationMs ?? LEADER_DEFAULTS.leaseDurationMs;
    this.renewDeadlineMs = o.renewDeadlineMs ?? LEADER_DEFAULTS.renewDeadlineMs;
    this.retryPeriodMs = o.retryPeriodMs ?? LEADER_DEFAULTS.retryPeriodMs;
    if (!(
      this.leaseDurationMs > this.renewDeadlineMs &&
      this.renewDeadlineMs > this.retryPeriodMs &&
      this.retryPeriodMs > 0
    ))
      throw new LeaderConfigError('need leaseDurationMs > renewDeadlineMs > retryPeriodMs > 0');
    if (o.identity === '') throw new LeaderConfigError('the leader identity must not be empty');
    this.leases = new LeaseClient(o.client, o.namespace, o.name);
  }

  isLeader(): boolean {
    return this.leading;
  }

  run(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<void> {
    this.callbacks = callbacks;
    this.running = this.campaignAndLead(signal, callbacks);
    return this.running;
  }

  private async campaignAndLead(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<void> {
    const life = linked([signal, this.stopper.signal], this.o.clock);
    const both = life.signal;
    try {
      if (!(await this.acquire(both))) return;
      const leaderController = new AbortController();
      this.leading = true;
      this.o.logger?.info(
        { lease: this.leases.description, identity: this.o.identity },
        'Became the leader.',
      );
      this.safely(() => callbacks.onStartedLeading(leaderController.signal));
      const reason = await this.renew(both);
      this.leading = false;
      leaderController.abort(new Error(`leadership ${reason}`));
      this.o.logger?.[reason === 'lost' ? 'warn' : 'info'](
        { lease: this.leases.description, reason },
        'Stopped leading.',
      );
      this.safely(() => callbacks.onStoppedLeading(reason));
    } finally {
      life.done();
    }
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.o.logger?.error({ err }, 'A leader-election callback failed.');
    }
  }

  /** Tries every retry period until the lease is ours; false when stopped first. */
  private async acquire(signal: AbortSignal): Promise<boolean> {
    this.o.logger?.info(
      { lease: this.leases.description, identity: this.o.identity },
      'Waiting to become the leader.',
    );
    for (;;) {
      if (signal.aborted) return false;
      if ((await this.attempt(signal)) === 'held') return true;
      if (!(await this.sleep(this.retryPeriodMs, signal))) return false;
    }
  }

  /** Renews until it fails for a renew deadline (`lost`), or the run is stopped. */
  private async renew(signal: AbortSignal): Promise<StopReason> {
    for (;;) {
      if (!(await this.sleep(this.retryPeriodMs, signal))) return this.stopReason();
      const deadlineAtMs = this.o.clock.now() + this.renewDeadlineMs;
      const window = linked([signal], this.o.clock, this.renewDeadlineMs);
      try {
        for (;;) {
          const outcome = await this.attempt(window.signal);
          if (outcome === 'held') break;
          if (signal.aborted) return this.stopReason();
          if (outcome === 'heldByOther') return 'lost';
          const leftMs = deadlineAtMs - this.o.clock.now();
          if (leftMs <= 0 || !(await this.sleep(Math.min(this.retryPeriodMs, leftMs), window.signal))) {
            if (signal.aborted) return this.stopReason();
            this.o.logger?.warn(
              { lease: this.leases.description, renewDeadlineMs: this.renewDeadlineMs },
              'Could not renew the lease within the renew deadline.',
            );
            return 'lost';
          }
        }
      } finally {
        window.done();
      }
    }
  }

  private stopReason(): StopReason {
    return this.stopper.signal.aborted ? 'released' : 'aborted';
  }

  private async sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await this.o.clock.sleep(ms, signal);
      return true;
    } catch {
      return false;
    }
  }

  private observe(lease: ObservedLease): void {
    const json = JSON.stringify(lease.record);
    if (json !== this.observedJson) {
      this.observedJson = json;
      this.observedAtMs = this.o.clock.now();
    }
    this.observedLease = lease;
    const holder = lease.record.holderIdentity;
    if (holder !== '' && holder !== this.lastHolder) {
      this.lastHolder = holder;
      this.o.logger?.info({ lease: this.leases.description, holder }, 'New leader observed.');
      const cb = this.callbacks?.onNewLeader;
      if (cb) this.safely(() => cb(holder));
    }
  }

  /** One tryAcquireOrRenew (client-go): read, decide, write guarded by resourceVersion. */
  private async attempt(signal: AbortSignal): Promise<Attempt> {
    const now = this.o.clock.now();
    const mine = (previous?: LeaseRecord): LeaseRecord => ({
      holderIdentity: this.o.identity,
      leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      acquireTimeMs: previous?.holderIdentity === this.o.identity ? previous.acquireTimeMs : now,
      renewTimeMs: now,
      leaseTransitions:
        previous === undefined
          ? 0
          : previous.leaseTransitions + (previous.holderIdentity === this.o.identity ? 0 : 1),
    });
    try {
      const current = await this.leases.get(signal);
      if (current === undefined) return this.written(await this.leases.create(mine(), signal));
      this.observe(current);
      const { holderIdentity, leaseDurationSeconds } = current.record;
      const validUntilMs = this.observedAtMs + leaseDurationSeconds * 1000;
      if (holderIdentity !== '' && holderIdentity !== this.o.identity && validUntilMs > now)
        return 'heldByOther';
      return this.written(await this.leases.update(current, mine(current.record), signal));
    } catch (err) {
      if (!signal.aborted)
        this.o.logger?.warn({ err, lease: this.leases.description }, 'Lease request failed.');
      return 'failed';
    }
  }

  private written(result: ObservedLease | typeof CONFLICT): Attempt {
    if (result === CONFLICT) return 'failed';
    this.observe(result);
    return 'held';
  }

  async release(): Promise<void> {
    const wasLeading = this.leading;
    this.stopper.abort(new Error('released'));
    await this.running;
    const lease = this.observedLease;
    if (!wasLeading || lease === undefined || lease.record.holderIdentity !== this.o.identity) return;
    const now = this.o.clock.now();
    // As client-go: an empty holder and a one-second lease tell standbys the lease is free now.
    const record: LeaseRecord = {
      ...lease.record,
      holderIdentity: '',
      leaseDurationSeconds: 1,
      acquireTimeMs: now,
      renewTimeMs: now,
    };
    try {
      const result = await this.leases.update(lease, record);
      if (result === CONFLICT)
        this.o.logger?.warn(
          { lease: this.leases.description },
          'Lease changed before release; left as it is.',
        );
      else this.o.logger?.info({ lease: this.leases.description }, 'Released the lease.');
    } catch (err) {
      this.o.logger?.warn(
        { err, lease: this.leases.description },
        'Could not release the lease; the standby waits for it to expire.',
      );
    }
  }
}

export function createLeaderElector(options: LeaderElectorOptions): LeaderElector {
  return new Elector(options);
}
