// Scenarios that stop router processes: the real binary in child processes, against the test
// API server and a webhook sink in this process.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  account,
  deliveredKeys,
  keysOfBody,
  produce,
  startRig,
  warningEvent,
  type ConfigLines,
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

/** `checkpoint: {path}` and nothing else: the store alone turns the checkpoint on. */
const PATH_ONLY = (rig: Rig): string[] => [`checkpoint: { path: ${join(rig.dir, 'checkpoint.json')} }`];

/** Stops the first router with `signal` mid-load, starts a second one on the same checkpoint. */
async function restartScenario(
  scale: Scale,
  signal: 'SIGTERM' | 'SIGKILL',
  title: string,
  lines: (rig: Rig) => ConfigLines,
): Promise<Figures> {
  const rig = await startRig();
  try {
    const config = rig.writeConfig(lines(rig));
    const expected = new Set<string>();
    // One event per request (the webhook's default): a rate the router keeps up with even on a
    // loaded machine, so a SIGTERM drain fits in shutdownTimeoutMs.
    const rate = Math.max(20, Math.round(50 * scale.events));
    const phaseMs = Math.max(1500, 10_000 * scale.time);
    const add = (i: number): void =>
      void expected.add(`${String(rig.server.create(warningEvent(i)).metadata['uid'])}/1`);
    const first = startReplica(rig, config, 'replica-a');
    await untilLogged(first, 'Watching events.', 30_000);
    let n = await produce(rate, phaseMs, add);
    first.child.kill(signal);
    const code = await first.exited;
    // What the drain could not deliver by shutdownTimeoutMs is dead-lettered, not lost.
    const dead = [...stderrDeadLetters(first).map((d) => d.key), ...fileDeadLetters(rig)];
    // Events keep happening while no router runs.
    for (let i = 0; i < rate / 2; i++) add(n++);
    const second = startReplica(rig, config, 'replica-b');
    await untilLogged(second, 'Watching events.', 30_000);
    const more = await produce(rate, phaseMs, (i) => add(n + i));
    n += more;
    await rig.sink.until(
      () => new Set([...deliveredKeys(rig.sink), ...dead]).size >= expected.size,
      180_000,
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
      dead,
      `first router exit ${String(code)}; repeats carry a known Idempotency-Key: ${repeatedIds}`,
    );
  } finally {
    await rig.close();
  }
}

/** The config a user writes: `checkpoint: {path: X}` and no output option. */
export function sigtermRestart(scale: Scale): Promise<Figures> {
  return restartScenario(
    scale,
    'SIGTERM',
    'SIGTERM under load, then restart (checkpoint: {path} alone)',
    (rig) => ({
      top: PATH_ONLY(rig),
      defaults: true,
    }),
  );
}

/** Repeats are allowed here (the batches in flight); the row reports them, and lost must be 0. */
export function sigkillRestart(scale: Scale): Promise<Figures> {
  return restartScenario(scale, 'SIGKILL', 'SIGKILL under load, then restart (checkpoint)', (rig) => ({
    top: CHECKPOINT(rig),
    receiver: QUEUE,
  }));
}

/** Occurrence keys in the rig's dead-letter file (configs with deadLetter.path). */
function fileDeadLetters(rig: Rig): string[] {
  const path = join(rig.dir, 'dead.ndjson');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const record = JSON.parse(l) as { event: { metadata: { uid: string }; count?: number } };
      return `${record.event.metadata.uid}/${record.event.count ?? 1}`;
    });
}

/** Dead letters a router without a dead-letter file wrote to stderr: occurrence key → reason. */
function stderrDeadLetters(replica: Replica): { key: string; reason: string }[] {
  const out: { key: string; reason: string }[] = [];
  for (const line of replica.stderr.split('\n')) {
    if (!line.startsWith('{"msg":"Dead letter."')) continue;
    const record = JSON.parse(line) as {
      reason: string;
      event: { metadata: { uid: string }; count?: number };
    };
    out.push({ key: `${record.event.metadata.uid}/${record.event.count ?? 1}`, reason: record.reason });
  }
  return out;
}

/**
 * The receiver stays down longer than retry.maxElapsedMs (the only option set, shortened so the
 * row runs in seconds; the default is 10 min). No deadLetter.path and no dead-letter volume on
 * this machine: every event must come out on stderr, one JSON line each, with its reason.
 */
export async function receiverDownPastBudget(scale: Scale): Promise<Figures> {
  const rig = await startRig();
  try {
    const budgetMs = Math.max(1000, Math.round(10_000 * scale.time));
    rig.sink.answer = () => ({ status: 503 });
    const config = rig.writeConfig({ defaults: true, receiver: [`retry: { maxElapsedMs: ${budgetMs} }`] });
    const router = startReplica(rig, config, 'replica-a');
    await untilLogged(router, 'Watching events.', 30_000);
    const expected = new Set<string>();
    await produce(Math.max(20, Math.round(100 * scale.events)), Math.max(1000, 5000 * scale.time), (i) =>
      expected.add(`${String(rig.server.create(warningEvent(i)).metadata['uid'])}/1`),
    );
    const start = Date.now();
    while (stderrDeadLetters(router).length < expected.size && Date.now() - start < budgetMs + 60_000)
      await new Promise((resolve) => setTimeout(resolve, 50));
    router.child.kill('SIGTERM');
    await router.exited;
    const dead = stderrDeadLetters(router);
    const reasons = [...new Set(dead.map((d) => d.reason))].join(', ');
    return account(
      `receiver down longer than retry.maxElapsedMs (${budgetMs / 1000} s), no deadLetter.path`,
      expected,
      deliveredKeys(rig.sink),
      dead.map((d) => d.key),
      `${dead.length} dead letters on stderr, reason ${reasons}; ${rig.sink.received.length} requests answered 503`,
    );
  } finally {
    await rig.close();
  }
}

/** Two replicas with leader election; the leader is killed; the standby takes over. */
export async function leaderFailover(scale: Scale): Promise<Figures[]> {
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
    const rate = Math.max(20, Math.round(50 * scale.events));
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
      180_000,
      'every event after the failover',
    );
    const firstAfter = rig.sink.received[deliveredAtKill];
    const gapS = firstAfter === undefined ? Number.NaN : (firstAfter.atMs - killedAt) / 1000;
    standby.child.kill('SIGTERM');
    await standby.exited;
    const gap = `failover gap ${gapS.toFixed(1)} s (lease 3 s, retry 0.5 s)`;
    // The same run seen by a receiver that stores by Idempotency-Key (the occurrence id): an
    // occurrence is stored twice only if the new leader sent it under another id.
    const stored = new Map<string, Set<string>>();
    for (const r of rig.sink.received.filter((r) => r.status < 300)) {
      for (const key of keysOfBody(r.body)) {
        const ids = stored.get(key) ?? new Set<string>();
        ids.add(String(r.headers['idempotency-key']));
        stored.set(key, ids);
      }
    }
    const keyed = [...stored.entries()].flatMap(([key, ids]) => [...ids].map(() => key));
    return [
      account(
        'leader killed, standby takes over: webhook as sent (at least once)',
        expected,
        deliveredKeys(rig.sink),
        [],
        gap,
      ),
      account(
        'leader killed, standby takes over: receiver keyed on the stable id',
        expected,
        keyed,
        [],
        'the re-sends above carry the same Idempotency-Key, so a receiver that stores by it keeps one',
      ),
    ];
  } finally {
    await rig.close();
  }
}
