import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createLeaderElector, LeaderConfigError } from '../../src/kube/leader.ts';
import { leaderIdentity, leaseNamespace, microTime } from '../../src/kube/lease.ts';
import { startLeaseWorld, type LeaseWorld } from './leader-support.ts';

const isLease = (r: { kind: string | undefined }): boolean => r.kind === 'Lease';

describe('leader election', () => {
  let world: LeaseWorld;
  beforeEach(async () => {
    world = await startLeaseWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('a single candidate creates the lease and leads', async () => {
    const a = world.candidate('pod-a');
    await world.advance(0);
    assert.equal(a.elector.isLeader(), true);
    assert.deepEqual(a.log, ['leader:pod-a', 'started']);
    const lease = world.lease();
    assert.equal(lease?.holderIdentity, 'pod-a');
    assert.equal(lease?.leaseDurationSeconds, 15);
    assert.equal(lease?.leaseTransitions, 0);
    assert.equal(lease?.renewTimeMs, world.clock.now());
  });

  it('renews every retry period, keeping acquireTime', async () => {
    const a = world.candidate('pod-a');
    await world.advance(0);
    const acquiredMs = world.clock.now();
    await world.advance(10_000);
    const lease = world.lease();
    assert.equal(lease?.acquireTimeMs, acquiredMs);
    assert.equal(lease?.renewTimeMs, acquiredMs + 10_000);
    const puts = world.server.requestsWhere((r) => isLease(r) && r.method === 'PUT');
    assert.deepEqual(
      puts.map((r) => r.atMs - acquiredMs),
      [2000, 4000, 6000, 8000, 10_000],
    );
    assert.equal(a.elector.isLeader(), true);
  });

  it('of two contending candidates exactly one leads, for as long as it renews', async () => {
    const a = world.candidate('pod-a');
    const b = world.candidate('pod-b');
    for (let i = 0; i < 30; i++) {
      await world.advance(1000);
      assert.equal(Number(a.elector.isLeader()) + Number(b.elector.isLeader()), 1, `at ${i + 1} s`);
    }
    const leader = a.elector.isLeader() ? a : b;
    const standby = leader === a ? b : a;
    assert.equal(world.lease()?.holderIdentity, leader.identity);
    assert.equal(world.lease()?.leaseTransitions, 0);
    assert.deepEqual(standby.log, [`leader:${leader.identity}`]);
  });

  it('takes over from a killed leader once the lease has expired as observed (gap reported)', async () => {
    const a = world.candidate('pod-a');
    await world.advance(0);
    const b = world.candidate('pod-b');
    await world.advance(5000);
    a.controller.abort(); // a kill: no more renewals, no release
    await world.advance(0);
    const lastRenewMs = world.lease()?.renewTimeMs ?? 0;
    const takeoverMs = await world.advanceUntil(() => b.elector.isLeader(), 30_000);
    const gapMs = takeoverMs - lastRenewMs;
    console.log(`failover gap after a kill: ${(gapMs / 1000).toFixed(1)} s (lease 15 s, retry 2 s)`);
    assert.ok(gapMs >= 15_000 && gapMs <= 17_000, `gap ${gapMs} ms`);
    assert.equal(world.lease()?.holderIdentity, 'pod-b');
    assert.equal(world.lease()?.leaseTransitions, 1);
    assert.deepEqual(a.log, ['leader:pod-a', 'started', 'stopped:aborted']);
  });

  it('hands over within one retry period after release()', async () => {
    const a = world.candidate('pod-a');
    await world.advance(0);
    const b = world.candidate('pod-b');
    await world.advance(3000);
    const leaderSignal = a.leaderSignal;
    await a.elector.release();
    const releasedMs = world.clock.now();
    assert.equal(a.elector.isLeader(), false);
    assert.equal(leaderSignal?.aborted, true);
    assert.equal(a.stopReason, 'released');
    assert.equal(world.lease()?.holderIdentity, '');
    const takeoverMs = await world.advanceUntil(() => b.elector.isLeader(), 10_000);
    assert.ok(takeoverMs - releasedMs <= 2000, `took ${takeoverMs - releasedMs} ms`);
    assert.equal(world.lease()?.holderIdentity, 'pod-b');
    await a.running; // run() resolved
  });

  it('loses leadership when renewals fail for the renew deadline, not before', async () => {
    const a = world.candidate('pod-a');
    await world.advance(0);
    const acquiredMs = world.clock.now();
    world.server.failNext(1000, 500, isLease);
    await world.advance(2000 + 9900); // first failed renewal at +2 s; deadline at +12 s
    assert.equal(a.elector.isLeader(), true);
    assert.equal(a.leaderSignal?.aborted, false);
    await world.advance(200);
    assert.equal(a.elector.isLeader(), false);
    assert.equal(a.leaderSignal?.aborted, true);
    assert.equal(a.stopReason, 'lost');
    assert.equal(a.stoppedAtMs, acquiredMs + 12_000);
    await a.running;
    // It gave up 3 s before anyone else may take the lease (observed expiry: renewTime + 15 s).
    assert.ok(acquiredMs + 2000 + 15_000 - (a.stoppedAtMs ?? 0) >= 3000);
  });

  it('keeps leading through renewal errors shorter than the renew deadline', async () => {
    const a = world.candidate('pod-a');
    await world.advance(0);
    world.server.failNext(3, 503, isLease);
    await world.advance(20_000);
    assert.equal(a.elector.isLeader(), true);
    assert.deepEqual(a.log, ['leader:pod-a', 'started']);
  });

  it('stops leading at once when another holder has written the lease', async () => {
    const a = world.candidate('pod-a');
    await world.advance(0);
    const current = world.leaseObject();
    world.server.update({
      ...current,
      spec: {
        ...(current['spec'] as object),
        holderIdentity: 'intruder',
        renewTime: microTime(world.clock.now()),
      },
    });
    await world.advance(2000);
    assert.equal(a.elector.isLeader(), false);
    assert.deepEqual(a.log, ['leader:pod-a', 'started', 'leader:intruder', 'stopped:lost']);
  });

  it('a write conflict means another candidate won: no leadership', async () => {
    const a = world.candidate('pod-a');
    await world.advance(0);
    await a.elector.release();
    world.server.failNext(1, 409, (r) => isLease(r) && r.method === 'PUT');
    const b = world.candidate('pod-b');
    await world.advance(0);
    assert.equal(b.elector.isLeader(), false);
    await world.advance(2000);
    assert.equal(b.elector.isLeader(), true);
  });

  it('a new candidate trusts only its own clock: it waits a full lease duration from first sight', async () => {
    const a = world.candidate('pod-a');
    await world.advance(0);
    a.controller.abort();
    await world.advance(20_000); // the lease's renewTime is long past, but b has never seen it change
    const b = world.candidate('pod-b');
    const firstSightMs = world.clock.now();
    const takeoverMs = await world.advanceUntil(() => b.elector.isLeader(), 30_000);
    assert.ok(takeoverMs - firstSightMs >= 15_000 && takeoverMs - firstSightMs <= 17_000);
  });
});

describe('leader election settings', () => {
  const base = {
    client: { request: () => Promise.reject(new Error('unused')) },
    namespace: 'n',
    name: 'l',
    identity: 'i',
    clock: { now: () => 0, setTimer: () => ({ cancel: () => undefined }), sleep: () => Promise.resolve() },
  };
  for (const [what, timing] of [
    ['renew deadline not below the lease duration', { leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }],
    ['retry period not below the renew deadline', { renewDeadlineMs: 2000, retryPeriodMs: 2000 }],
    ['zero retry period', { retryPeriodMs: 0 }],
  ] as const) {
    it(`rejects a ${what}`, () => {
      assert.throws(() => createLeaderElector({ ...base, ...timing }), LeaderConfigError);
    });
  }

  it('finds the namespace: POD_NAMESPACE, then the in-cluster file, then the kubeconfig context', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ns-'));
    const file = join(dir, 'namespace');
    await writeFile(file, 'from-file\n');
    const cases = [
      {
        env: { POD_NAMESPACE: 'from-env' },
        namespaceFile: file,
        contextNamespace: 'ctx',
        expect: 'from-env',
      },
      { env: {}, namespaceFile: file, contextNamespace: 'ctx', expect: 'from-file' },
      { env: {}, namespaceFile: join(dir, 'missing'), contextNamespace: 'ctx', expect: 'ctx' },
      { env: {}, namespaceFile: join(dir, 'missing'), contextNamespace: undefined, expect: 'default' },
    ];
    for (const { expect, ...sources } of cases) assert.equal(leaseNamespace(sources), expect);
    await rm(dir, { recursive: true, force: true });
  });

  it('identifies as POD_NAME, else a host name with a random suffix', () => {
    assert.equal(leaderIdentity({ POD_NAME: 'router-7d9f-abc' }), 'router-7d9f-abc');
    const one = leaderIdentity({});
    assert.match(one, /^.+_[0-9a-f]{8}$/);
    assert.notEqual(one, leaderIdentity({}));
  });

  it('writes MicroTime with six fractional digits', () => {
    assert.equal(microTime(Date.UTC(2026, 0, 1, 0, 0, 1, 250)), '2026-01-01T00:00:01.250000Z');
  });
});
