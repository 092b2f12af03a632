// Electors against the test API server on a ManualClock: time moves only in `advance`, and
// between steps the harness waits for every API call in flight to finish (real local I/O).
import { KubeConfig } from '@kubernetes/client-node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKubeClient, type KubeClient } from '../../src/kube/client.ts';
import {
  createLeaderElector,
  type LeaderElector,
  type LeaderElectorOptions,
  type StopReason,
} from '../../src/kube/leader.ts';
import { recordOf, type LeaseRecord } from '../../src/kube/lease.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { KubeApiServer, type KubeObject } from '../support/kube-api-server.ts';

export const NAMESPACE = 'router-ns';
export const LEASE = 'kube-event-router';

export interface Candidate {
  readonly identity: string;
  readonly elector: LeaderElector;
  readonly controller: AbortController;
  readonly running: Promise<void>;
  readonly log: string[];
  leaderSignal: AbortSignal | undefined;
  startedAtMs: number | undefined;
  stoppedAtMs: number | undefined;
  stopReason: StopReason | undefined;
}

export interface LeaseWorld {
  readonly server: KubeApiServer;
  readonly clock: ManualClock;
  /** Requests sent and not yet answered, across every client. */
  inFlight(): number;
  client(): Pick<KubeClient, 'request'>;
  candidate(identity: string, options?: Partial<LeaderElectorOptions>): Candidate;
  /** Moves time by `ms` in `stepMs` steps, letting every API call finish between steps. */
  advance(ms: number, stepMs?: number): Promise<void>;
  /** Advances in steps until `condition` holds; returns the clock time then, or throws after `maxMs`. */
  advanceUntil(condition: () => boolean, maxMs: number, stepMs?: number): Promise<number>;
  lease(): LeaseRecord | undefined;
  /** The Lease object as stored. */
  leaseObject(): KubeObject;
  close(): Promise<void>;
}

async function realTurns(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export async function startLeaseWorld(): Promise<LeaseWorld> {
  const clock = new ManualClock();
  const server = await KubeApiServer.start({ now: () => clock.now() });
  const dir = await mkdtemp(join(tmpdir(), 'lease-'));
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(await server.writeKubeconfig(dir, NAMESPACE));
  await rm(dir, { recursive: true, force: true });
  const clients: KubeClient[] = [];
  let pending = 0;
  const client = (): Pick<KubeClient, 'request'> => {
    const real = createKubeClient({ kubeConfig, qps: 10_000, burst: 10_000, clock });
    clients.push(real);
    return {
      request: async (path, options) => {
        pending++;
        try {
          return await real.request(path, options);
        } finally {
          pending--;
        }
      },
    };
  };
  const idle = async (): Promise<void> => {
    const deadline = Date.now() + 5000;
    do {
      await realTurns();
      while (pending > 0) {
        if (Date.now() > deadline) throw new Error('API calls did not finish');
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await realTurns();
    } while (pending > 0);
  };
  const candidates: Candidate[] = [];
  const world: LeaseWorld = {
    server,
    clock,
    inFlight: () => pending,
    client,
    candidate(identity, options = {}) {
      const controller = new AbortController();
      const elector = createLeaderElector({
        client: client(),
        namespace: NAMESPACE,
        name: LEASE,
        identity,
        clock,
        ...options,
      });
      const c: Candidate = {
        identity,
        elector,
        controller,
        log: [],
        leaderSignal: undefined,
        startedAtMs: undefined,
        stoppedAtMs: undefined,
        stopReason: undefined,
        running: Promise.resolve(),
      };
      const running = elector.run(controller.signal, {
        onStartedLeading: (signal) => {
          c.leaderSignal = signal;
          c.startedAtMs = clock.now();
          c.log.push('started');
        },
        onStoppedLeading: (reason) => {
          c.stoppedAtMs = clock.now();
          c.stopReason = reason;
          c.log.push(`stopped:${reason}`);
        },
        onNewLeader: (who) => c.log.push(`leader:${who}`),
      });
      Object.assign(c, { running });
      candidates.push(c);
      return c;
    },
    async advance(ms, stepMs = 100) {
      for (let done = 0; done < ms; done += stepMs) {
        await idle();
        await clock.advance(Math.min(stepMs, ms - done));
      }
      await idle();
    },
    async advanceUntil(condition, maxMs, stepMs = 100) {
      const start = clock.now();
      await idle();
      while (!condition()) {
        if (clock.now() - start > maxMs) throw new Error(`condition not met within ${maxMs} ms`);
        await clock.advance(stepMs);
        await idle();
      }
      return clock.now();
    },
    leaseObject: () => server.store.get(leaseType(server), NAMESPACE, LEASE),
    lease() {
      try {
        return recordOf(server.store.get(leaseType(server), NAMESPACE, LEASE));
      } catch {
        return undefined;
      }
    },
    async close() {
      for (const c of candidates) c.controller.abort();
      await idle();
      await Promise.allSettled(candidates.map((c) => c.running));
      for (const c of clients) c.close();
      await server.close();
    },
  };
  return world;
}

function leaseType(server: KubeApiServer) {
  const type = server.registry.matching('Lease').find((t) => t.group === 'coordination.k8s.io');
  if (type === undefined) throw new Error('the test API server serves no Lease');
  return type;
}
