// Scenarios that stop router processes: the real binary in child processes, against the test
// API server and a webhook sink in this process.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  account,
  deliveredKeys,
  produce,
  startRig,
  warningEvent,
  type Figures,
  type Rig,
  type Scale,
} from './harness.ts';

const BIN = new URL('../../bin/kube-event-router', import.meta.url).pathname;

interface Replica {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  stderr: string;
}

function startReplica(rig: Rig, config: string, name: string): Replica {
  const child = spawn(BIN, ['run', '-c', config, '--kubeconfig', rig.kubeconfig, '--metrics-address', ''], {
    env: { ...process.env, POD_NAME: name, POD_NAMESPACE: 'default' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const replica: Replica = {
    child,
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    stderr: '',
  };
  child.stderr?.on('data', (chunk: Buffer) => (replica.stderr += chunk.toString()));
  return replica;
}

async function untilLogged(replica: Replica, text: string, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!replica.stderr.includes(text)) {
    if (Date.now() - start > timeoutMs)
      throw new Error(`Timed out waiting for "${text}": ${replica.stderr.slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const CHECKPOINT = (rig: Rig): string[] => [
  `checkpoint: { enabled: true, path: ${join(rig.dir, 'checkpoint.json')}, intervalMs: 200 }`,
];
const QUEUE = ['queue: { maxEvents: 100000, policy: block }'];

/** Stops the first router with `signal` mid-load, starts a second one on the same checkpoint. */
async function restartScenario(scale: Scale, signal: 'SIGTERM' | 'SIGKILL', title: string): Promise<Figures> {
  const rig = await startRig();
  try {
    const config = rig.writeConfig({ top: CHECKPOINT(rig), receiver: QUEUE });
    const expected = new Set<string>();
    const rate = Math.max(20, Math.round(300 * scale.events));
    const phaseMs = Math.max(1500, 10_000 * scale.time);
    const add = (i: number): void =>
      void expected.add(`${String(rig.server.create(warningEvent(i)).metadata['uid'])}/1`);
    const first = startReplica(rig, config, 'replica-a');
    await untilLogged(first, 'Watching events.', 30_000);
    let n = await produce(rate, phaseMs, add);
    first.child.kill(signal);
    const code = await first.exited;
    // Events keep happening while no router runs.
    for (let i = 0; i < rate / 2; i++) add(n++);
    const second = startReplica(rig, config, 'replica-b');
    await untilLogged(second, 'Watching events.', 30_000);
    const more = await produce(rate, phaseMs, (i) => add(n + i));
    n += more;
    await rig.sink.until(
      () => new Set(deliveredKeys(rig.sink)).size >= expected.size,
      60_000,
      'every event after the restart',
    );
    second.child.kill('SIGTERM');
    await second.exited;
    const keys = deliveredKeys(rig.sink);
    const ids = rig.sink.received
      .filter((r) => r.status < 300)
      .map((r) => String(r.headers['idempotency-key']));
    const repeatedIds = ids.length - new Set(ids).size;
    return account(
      title,
      expected,
      keys,
      [],
      `first router exit ${String(code)}; repeats carry a known Idempotency-Key: ${repeatedIds}`,
    );
  } finally {
    await rig.close();
  }
}

export function sigtermRestart(scale: Scale): Promise<Figures> {
  return restartScenario(scale, 'SIGTERM', 'SIGTERM under load, then restart');
}

/** Repeats are allowed here (the batches in flight); the row reports them, and lost must be 0. */
export function sigkillRestart(scale: Scale): Promise<Figures> {
  return restartScenario(scale, 'SIGKILL', 'SIGKILL under load, then restart (checkpoint)');
}

/** Two replicas with leader election; the leader is killed; the standby takes over. */
export async function leaderFailover(scale: Scale): Promise<Figures> {
  const rig = await startRig();
  try {
    rig.server.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kube-event-router-checkpoint', namespace: 'default' },
      data: {},
    });
    const config = rig.writeConfig({
      top: [
        'leaderElection: { enabled: true, leaderElectionID: kube-event-router, leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 500 }',
        'checkpoint: { enabled: true, intervalMs: 200 }',
      ],
      receiver: QUEUE,
    });
    const expected = new Set<string>();
    const rate = Math.max(20, Math.round(200 * scale.events));
    const add = (i: number): void =>
      void expected.add(`${String(rig.server.create(warningEvent(i)).metadata['uid'])}/1`);
    const leader = startReplica(rig, config, 'replica-a');
    await untilLogged(leader, 'Became the leader.', 30_000);
    const standby = startReplica(rig, config, 'replica-b');
    let n = await produce(rate, Math.max(1500, 10_000 * scale.time), add);
    leader.child.kill('SIGKILL');
    const killedAt = Date.now();
    const deliveredAtKill = rig.sink.received.length;
    n += await produce(rate, 6000, (i) => add(n + i));
    await untilLogged(standby, 'Became the leader.', 30_000);
    await rig.sink.until(
      () => new Set(deliveredKeys(rig.sink)).size >= expected.size,
      60_000,
      'every event after the failover',
    );
    const firstAfter = rig.sink.received[deliveredAtKill];
    const gapS = firstAfter === undefined ? Number.NaN : (firstAfter.atMs - killedAt) / 1000;
    standby.child.kill('SIGTERM');
    await standby.exited;
    return account(
      'leader killed, standby takes over',
      expected,
      deliveredKeys(rig.sink),
      [],
      `failover gap ${gapS.toFixed(1)} s (lease 3 s, retry 0.5 s)`,
    );
  } finally {
    await rig.close();
  }
}
