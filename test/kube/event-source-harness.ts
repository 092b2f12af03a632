// A running kubernetes source against the test API server, recording what reaches the sink and
// the observer. Time for backoff is a ManualClock; only real I/O is waited for.
import { KubeConfig } from '@kubernetes/client-node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKubeClient, type KubeClient } from '../../src/kube/client.ts';
import { createKubernetesSource, type KubernetesSourceOptions } from '../../src/kube/event-source.ts';
import type { EventChange, EventSink } from '../../src/sources/types.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { KubeApiServer, type KubeObject } from '../support/kube-api-server.ts';

export interface Observed {
  listed: number[];
  restarts: string[];
  malformed: string[];
  activity: number;
}

export interface Harness {
  readonly server: KubeApiServer;
  readonly client: KubeClient;
  readonly clock: ManualClock;
  readonly changes: EventChange[];
  readonly observed: Observed;
  /** `TYPE name count` for each change, for compact assertions. */
  summary(from?: number): string[];
  /** The source's run(); settles after stop() (or by itself when the sink fails). */
  readonly running: Promise<void>;
  stop(): Promise<void>;
}

export interface HarnessOptions extends Partial<Omit<KubernetesSourceOptions, 'client' | 'clock'>> {
  readonly qps?: number;
  readonly burst?: number;
  /** Runs before the source starts (seed objects, inject failures). */
  readonly seed?: (server: KubeApiServer) => void;
  readonly sink?: (change: EventChange, record: () => void) => Promise<void> | void;
}

export function coreEvent(
  name: string,
  namespace = 'default',
  count = 1,
  extra: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace },
    involvedObject: { kind: 'Pod', name: `pod-${name}`, namespace },
    reason: 'BackOff',
    message: `Back-off restarting failed container in ${name}`,
    type: 'Warning',
    count,
    firstTimestamp: '2026-01-01T00:00:00Z',
    lastTimestamp: '2026-01-01T00:00:00Z',
    ...extra,
  };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const clock = new ManualClock();
  const server = await KubeApiServer.start({ now: () => clock.now() });
  const dir = await mkdtemp(join(tmpdir(), 'kube-source-'));
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(await server.writeKubeconfig(dir));
  await rm(dir, { recursive: true, force: true });
  const client = createKubeClient({
    kubeConfig,
    qps: options.qps ?? 1000,
    burst: options.burst ?? 1000,
    clock,
  });
  options.seed?.(server);
  const changes: EventChange[] = [];
  const observed: Observed = { listed: [], restarts: [], malformed: [], activity: 0 };
  const controller = new AbortController();
  const source = createKubernetesSource({ namespaces: [], random: () => 0.5, ...options, client, clock });
  const sink: EventSink = (change) => {
    const record = (): void => void changes.push(change);
    return options.sink ? options.sink(change, record) : record();
  };
  const running = source.run(sink, controller.signal, {
    listed: (n) => observed.listed.push(n),
    watchRestarted: (reason) => observed.restarts.push(reason),
    malformed: (reason) => observed.malformed.push(reason),
    activity: () => observed.activity++,
  });
  return {
    server,
    client,
    clock,
    changes,
    observed,
    summary: (from = 0) =>
      changes
        .slice(from)
        .map((c) => `${c.type} ${c.event.metadata.name ?? ''} ${String(c.event.count ?? '')}`.trim()),
    running,
    stop: async () => {
      controller.abort();
      try {
        await running;
      } finally {
        client.close();
        await server.close();
      }
    },
  };
}

/** Polls real I/O progress (no fixed sleeps); fails after `timeoutMs` with `what`. */
export async function waitFor(condition: () => boolean, what = 'condition', timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Watch requests the server received, with the resourceVersion each asked for. */
export function watchRequests(
  server: KubeApiServer,
): { path: string; resourceVersion: string | null; status: number }[] {
  return server
    .requestsWhere((r) => r.watch)
    .map((r) => ({ path: r.path, resourceVersion: r.query.get('resourceVersion'), status: r.status }));
}
