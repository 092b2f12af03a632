// End to end: the test API server streams real events (list/watch over HTTP) → the router (watch,
// dedupe, enrich with cache, route, batch) → a webhook on a local HTTP server. The API server and
// the webhook run in a peer process (bench/e2e-peer.ts), as they would in a cluster; the router
// runs here, so RSS is the router's own.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { startApp } from '../src/app/app.ts';
import { eventsToCreate } from './fixture-events.ts';

export const MODES = ['watch', 'backlog'] as const;
export type Mode = (typeof MODES)[number];

export interface EndToEndResult {
  readonly eventsPerSec: number;
  readonly baselineEventsPerSec: number;
  readonly ratio: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly peakRssMb: number;
  readonly cacheHits: number;
  readonly cacheMisses: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** JSON.parse + JSON.stringify of the same watch stream: the floor any router pays. */
function baseline(n: number): number {
  const lines = eventsToCreate(n).map((o) => JSON.stringify({ type: 'ADDED', object: o }));
  let sink = 0;
  const start = performance.now();
  for (let round = 0; round < 3; round++)
    for (const line of lines) sink += JSON.stringify(JSON.parse(line)).length;
  const elapsedMs = performance.now() - start;
  if (sink === 0) throw new Error('Baseline did no work.');
  return (3 * lines.length) / (elapsedMs / 1000);
}

function configFor(sinkUrl: string, n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'ker-bench-'));
  const path = join(dir, 'config.yaml');
  writeFileSync(
    path,
    [
      'maxEventAgeSeconds: 315360000', // the fixtures are years old
      'kubeQPS: 1000',
      'kubeBurst: 1000',
      'route:',
      '  match:',
      '    - receiver: hook',
      'receivers:',
      '  - name: hook',
      '    batch: { maxEvents: 500, flushIntervalMs: 20 }',
      `    queue: { maxEvents: ${n}, policy: block }`,
      '    webhook:',
      `      endpoint: ${sinkUrl}`,
    ].join('\n'),
  );
  return path;
}

/**
 * `watch`: events are created while the router watches (arrival → ack latency is meaningful).
 * `backlog`: N events exist before the router starts; it lists and delivers them (throughput
 * of the router itself, less bound by the test server's watch fan-out).
 */
export async function benchEndToEnd(n: number, mode: Mode = 'watch'): Promise<EndToEndResult> {
  const baselineEventsPerSec = baseline(n);
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
  if (mode === 'backlog') {
    peer.stdin.write(`load ${n}\n`);
    await next<{ loaded: number }>();
  }
  const startedMs = performance.timeOrigin + performance.now();
  const app = await startApp({
    configPath: configFor(sinkUrl, n),
    source: { kind: 'kubernetes' },
    kubeconfig,
    metricsAddress: '',
    logDestination: new Writable({ write: (_c, _e, done) => done() }),
  });
  if (mode === 'watch') await app.ready;
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
  if (mode === 'watch') peer.stdin.write(`go ${n}\n`);
  const result = await next<{ firstCreatedMs: number; lastAckMs: number; latenciesMs: number[] }>();
  clearInterval(sampler);
  const metrics = await app.metrics.text();
  await app.stop();
  peer.stdin.end();
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const fromMs = mode === 'watch' ? result.firstCreatedMs : startedMs;
  const eventsPerSec = n / ((result.lastAckMs - fromMs) / 1000);
  const counter = (name: string): number =>
    Number(new RegExp(`^kube_event_router_${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? 0);
  return {
    eventsPerSec: Math.round(eventsPerSec),
    baselineEventsPerSec: Math.round(baselineEventsPerSec),
    ratio: Math.round((eventsPerSec / baselineEventsPerSec) * 1000) / 1000,
    p50Ms: Math.round(percentile(sorted, 50) * 10) / 10,
    p99Ms: Math.round(percentile(sorted, 99) * 10) / 10,
    peakRssMb: Math.round(peakRss / 1048576),
    cacheHits: counter('cache_hits_total'),
    cacheMisses: counter('cache_misses_total'),
  };
}
