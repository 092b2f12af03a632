import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { CheckpointError, type Checkpoint } from '../../src/kube/checkpoint.ts';
import { CHECKPOINT_KEY, createConfigMapStore } from '../../src/kube/checkpoint-stores.ts';
import type { KubeObject } from '../support/kube-api-server.ts';
import { NAMESPACE, startLeaseWorld, type LeaseWorld } from './leader-support.ts';

const NAME = 'kube-event-router-checkpoint';
const cp = (n: number): Checkpoint => ({
  resourceVersion: String(n),
  highWaterMs: n,
  boundaryKeys: [`k/${n}`],
  writtenAt: 'w',
});
const isConfigMap = (r: { kind: string | undefined }): boolean => r.kind === 'ConfigMap';

describe('ConfigMap checkpoint store', () => {
  let world: LeaseWorld;
  beforeEach(async () => {
    world = await startLeaseWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  const manifest = (): void => {
    // As manifests/checkpoint.yaml: the object exists, without data, with someone's label.
    world.server.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: NAME, namespace: NAMESPACE, labels: { app: 'x' } },
    });
  };
  const stored = (): KubeObject =>
    world.server.store.get(world.server.registry.matching('ConfigMap')[0] ?? assert.fail(), NAMESPACE, NAME);
  const calls = (): string[] => world.server.requestsWhere(isConfigMap).map((r) => `${r.method} ${r.status}`);

  it('reads nothing from the manifest-created ConfigMap, then updates it in place', async () => {
    manifest();
    const store = createConfigMapStore({ client: world.client(), namespace: NAMESPACE });
    assert.equal(await store.read(), undefined);
    await store.write(cp(1));
    await store.write(cp(2));
    assert.deepEqual(await store.read(), cp(2));
    const obj = stored();
    assert.deepEqual((obj['metadata'] as Record<string, unknown>)['labels'], { app: 'x' });
    assert.deepEqual(Object.keys(obj['data'] as object), [CHECKPOINT_KEY]);
    assert.deepEqual(calls(), ['GET 200', 'PUT 200', 'PUT 200', 'GET 200']);
  });

  it('on a conflict reads again and retries', async () => {
    manifest();
    const store = createConfigMapStore({ client: world.client(), namespace: NAMESPACE });
    await store.write(cp(1));
    // Someone else (an old leader's last write) changes it in between.
    world.server.update({ ...stored(), data: { [CHECKPOINT_KEY]: JSON.stringify(cp(9)), other: 'kept' } });
    await store.write(cp(2));
    assert.deepEqual(await store.read(), cp(2));
    assert.equal((stored()['data'] as Record<string, string>)['other'], 'kept');
    assert.deepEqual(calls(), ['GET 200', 'PUT 200', 'PUT 409', 'GET 200', 'PUT 200', 'GET 200']);
  });

  it('gives up after maxAttempts conflicts', async () => {
    manifest();
    const store = createConfigMapStore({ client: world.client(), namespace: NAMESPACE, maxAttempts: 3 });
    world.server.failNext(10, 409, (r) => isConfigMap(r) && r.method === 'PUT');
    await assert.rejects(store.write(cp(1)), /still conflicting after 3 attempts/);
  });

  it('does not create a missing ConfigMap unless allowed (the Role grants get/update only)', async () => {
    const store = createConfigMapStore({ client: world.client(), namespace: NAMESPACE });
    assert.equal(await store.read(), undefined);
    await assert.rejects(store.write(cp(1)), /does not exist \(manifests\/checkpoint.yaml creates it/);
    const creating = createConfigMapStore({ client: world.client(), namespace: NAMESPACE, create: true });
    await creating.write(cp(1));
    assert.deepEqual(await store.read(), cp(1));
  });

  it('reports a forbidden or broken ConfigMap as a CheckpointError', async () => {
    manifest();
    world.server.update({ ...stored(), data: { [CHECKPOINT_KEY]: 'not json' } });
    const store = createConfigMapStore({ client: world.client(), namespace: NAMESPACE });
    await assert.rejects(store.read(), CheckpointError);
    world.server.forbid('configmaps');
    await assert.rejects(store.read(), /HTTP 403/);
    await assert.rejects(store.write(cp(1)), CheckpointError);
  });
});
