// The checkpoint is on by default with the kubernetes source: it uses the ConfigMap the manifests
// create, and without one the router runs on with a warning instead of failing every write.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { prepareCheckpoint } from '../../src/app/ha.ts';
import { loadConfigText } from '../../src/config/load.ts';
import { CHECKPOINT_KEY } from '../../src/kube/checkpoint-stores.ts';
import { createKubeClient, type KubeClient } from '../../src/kube/client.ts';
import { memoryLogger } from '../output/helpers.ts';
import { KubeApiServer } from '../support/kube-api-server.ts';

const NAMESPACE = 'router-ns';
const ROUTE = 'route:\n  match:\n    - receiver: d\nreceivers:\n  - name: d\n    stdout: {}\n';

describe('checkpoint on by default (kubernetes source)', () => {
  let server: KubeApiServer;
  let client: KubeClient;
  let dir: string;
  before(async () => {
    server = await KubeApiServer.start();
    dir = await mkdtemp(join(tmpdir(), 'ker-cp-default-'));
    client = createKubeClient({
      kubeconfig: await server.writeKubeconfig(dir, NAMESPACE),
      qps: 1000,
      burst: 1000,
    });
  });
  after(async () => {
    client.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const prepare = async (top = '') => {
    const { config } = loadConfigText(`${top}${ROUTE}`, { fileName: 'c.yaml', env: {} });
    const log = memoryLogger();
    const resume = await prepareCheckpoint(config, client, log.logger);
    return { resume, lines: log.lines };
  };

  it('without the ConfigMap: no checkpoint, one warning that says what to do', async () => {
    const { resume, lines } = await prepare();
    assert.equal(resume, undefined);
    assert.deepEqual(
      lines.map((l) => [l.level, l.store]),
      [[40, `configmap ${NAMESPACE}/kube-event-router-checkpoint`]],
    );
    assert.match(
      String(lines[0]?.msg),
      /^No restart checkpoint: .*Create it \(manifests\/checkpoint\.yaml\) or set checkpoint\.enabled: false\.$/,
    );
  });

  it('checkpoint.enabled: false: no checkpoint, no warning', async () => {
    const { resume, lines } = await prepare('checkpoint: { enabled: false }\n');
    assert.equal(resume, undefined);
    assert.deepEqual(lines, []);
  });

  it('with the ConfigMap (as manifests/checkpoint.yaml creates it): resumes from what it holds', async () => {
    server.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kube-event-router-checkpoint', namespace: NAMESPACE },
      data: {
        [CHECKPOINT_KEY]: JSON.stringify({ highWaterMs: 1000, boundaryKeys: ['u/1'], writtenAt: 'w' }),
      },
    });
    const { resume, lines } = await prepare();
    assert.equal(resume?.store.description, `configmap ${NAMESPACE}/kube-event-router-checkpoint`);
    assert.equal(resume?.previous?.highWaterMs, 1000);
    assert.deepEqual(
      lines.map((l) => l.msg),
      ['Resuming from the checkpoint.'],
    );
  });
});
