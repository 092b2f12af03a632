// The router's peak RSS as a pod sees it: the real binary in its own process, with the
// NODE_OPTIONS of manifests/deployment.yaml, draining a backlog of N events from the test API
// server (bench/e2e-peer.ts) into a webhook with the default queue. Peak = VmHWM from /proc.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseAllDocuments } from 'yaml';

const BIN = new URL('../bin/kube-event-router', import.meta.url).pathname;
const DEPLOYMENT = new URL('../manifests/deployment.yaml', import.meta.url);

/** NODE_OPTIONS and the memory limit of the router container in the manifests. */
export function manifestMemory(): { nodeOptions: string; limit: string } {
  const docs = parseAllDocuments(readFileSync(DEPLOYMENT, 'utf8')).map(
    (d) => d.toJS() as Record<string, unknown>,
  );
  const deployment = docs.find((d) => d['kind'] === 'Deployment') as {
    spec: {
      template: {
        spec: {
          containers: {
            env?: { name: string; value?: string }[];
            resources: { limits: { memory: string } };
          }[];
        };
      };
    };
  };
  const container = deployment.spec.template.spec.containers[0];
  if (container === undefined) throw new Error('No container in manifests/deployment.yaml.');
  const nodeOptions = container.env?.find((e) => e.name === 'NODE_OPTIONS')?.value ?? '';
  return { nodeOptions, limit: container.resources.limits.memory };
}

function highWaterMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
  return Math.round(kb / 1024);
}

export async function benchRouterRss(
  n: number,
): Promise<{ peakRssMb: number; nodeOptions: string; limit: string }> {
  const manifest = manifestMemory();
  // BENCH_NODE_OPTIONS tries other heap settings against the same backlog.
  const nodeOptions = process.env['BENCH_NODE_OPTIONS'] ?? manifest.nodeOptions;
  const { limit } = manifest;
  const peer = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./e2e-peer.ts', import.meta.url).pathname],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: peer.stdout })[Symbol.asyncIterator]();
  const next = async <T>(): Promise<T> => {
    const { value, done } = await lines.next();
    if (done === true) throw new Error('The benchmark peer exited early.');
    return JSON.parse(String(value)) as T;
  };
  const { kubeconfig, sinkUrl } = await next<{ kubeconfig: string; sinkUrl: string }>();
  peer.stdin.write(`load ${n}\n`);
  await next<{ loaded: number }>();
  const dir = mkdtempSync(join(tmpdir(), 'ker-rss-'));
  const config = join(dir, 'config.yaml');
  // As the throughput bench, minus its queue option: the default queue is what bounds memory.
  writeFileSync(
    config,
    [
      'maxEventAgeSeconds: 315360000',
      'kubeQPS: 1000',
      'kubeBurst: 1000',
      'route:',
      '  match:',
      '    - receiver: hook',
      'receivers:',
      '  - name: hook',
      '    batch: { maxEvents: 500, flushIntervalMs: 20 }',
      '    webhook:',
      `      endpoint: ${sinkUrl}`,
    ].join('\n'),
  );
  const router = spawn(BIN, ['run', '-c', config, '--kubeconfig', kubeconfig, '--metrics-address', ''], {
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const exited = new Promise((resolve) => router.on('exit', resolve));
  await next<{ lastAckMs: number }>();
  const peakRssMb = highWaterMb(router.pid as number);
  router.kill('SIGTERM');
  await exited;
  peer.stdin.end();
  return { peakRssMb, nodeOptions, limit };
}
