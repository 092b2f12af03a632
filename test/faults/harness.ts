// Shared parts of the fault-injection scenarios: a "cluster" (the test API server), receivers
// (webhook sinks), the router in this process, and the accounting every scenario reports.
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startApp, type App } from '../../src/app/app.ts';
import { KubeApiServer, type KubeObject } from '../support/kube-api-server.ts';
import { WebhookSink } from '../integration/webhook-sink.ts';

export interface Figures {
  readonly scenario: string;
  /** Occurrences the cluster produced that the router had to deliver. */
  readonly accepted: number;
  readonly delivered: number;
  readonly deadLettered: number;
  readonly lost: number;
  readonly duplicated: number;
  /** Scenario-specific figures (failover gap, re-lists, ...). */
  readonly notes?: string;
}

export interface Scale {
  /** Multiplies every duration of a scenario (1 = the real durations). */
  readonly time: number;
  /** Multiplies event counts. */
  readonly events: number;
}

export const SILENT = new Writable({ write: (_c, _e, done) => done() });

export function nowStamp(offsetMs = 0): string {
  return new Date(Date.now() + offsetMs).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** A Warning event about one of a few pods, as a crash-looping workload produces them. */
export function warningEvent(i: number, namespace = 'prod'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `api-${i % 13}.${i}`, namespace },
    involvedObject: { kind: 'Pod', name: `api-${i % 13}`, namespace, apiVersion: 'v1' },
    reason: i % 2 === 0 ? 'BackOff' : 'Unhealthy',
    message: `fault scenario event ${i}`,
    type: 'Warning',
    count: 1,
    firstTimestamp: nowStamp(),
    lastTimestamp: nowStamp(),
  };
}

/** Occurrence keys (`uid/count`) the webhook accepted, from enhanced-event bodies or arrays of them. */
export function deliveredKeys(sink: WebhookSink): string[] {
  return sink.accepted.flatMap(keysOfBody);
}

/** Occurrence keys in one request body (an enhanced event or an array of them). */
export function keysOfBody(body: string): string[] {
  const parsed = JSON.parse(body) as unknown;
  const items = (Array.isArray(parsed) ? parsed : [parsed]) as {
    metadata: { uid: string };
    count: number;
  }[];
  return items.map((e) => `${e.metadata.uid}/${e.count}`);
}

export function account(
  scenario: string,
  expected: ReadonlySet<string>,
  delivered: readonly string[],
  deadLettered: readonly string[],
  notes?: string,
): Figures {
  const all = [...delivered, ...deadLettered];
  const seen = new Set(all);
  return {
    scenario,
    accepted: expected.size,
    delivered: delivered.length,
    deadLettered: deadLettered.length,
    lost: [...expected].filter((k) => !seen.has(k)).length,
    duplicated: all.length - seen.size,
    ...(notes === undefined ? {} : { notes }),
  };
}

export interface ConfigLines {
  readonly top?: string[];
  readonly receiver?: string[];
  /** No dead-letter option: what a user copying an exporter config gets. */
  readonly defaults?: boolean;
}

export interface Rig {
  readonly server: KubeApiServer;
  readonly sink: WebhookSink;
  readonly dir: string;
  readonly kubeconfig: string;
  /**
   * Writes a config routing everything to the sink; `extra` lines go under the receiver. Unless
   * `defaults` is set, the receiver has a deadLetter.path in the rig's directory.
   */
  writeConfig(lines?: ConfigLines): string;
  /** Replaces a config file atomically (rename), as kubelet swaps a ConfigMap. */
  rewriteConfig(path: string, lines: ConfigLines): void;
  startRouter(config: string): Promise<App>;
  close(): Promise<void>;
}

export async function startRig(): Promise<Rig> {
  const server = await KubeApiServer.start({ bookmarkIntervalMs: 1000 });
  const sink = await WebhookSink.start();
  const dir = mkdtempSync(join(tmpdir(), 'ker-faults-'));
  const kubeconfig = await server.writeKubeconfig(join(dir, 'kube'));
  const apps: App[] = [];
  return {
    server,
    sink,
    dir,
    kubeconfig,
    writeConfig(lines: ConfigLines = {}): string {
      const path = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
      writeFileSync(path, configText(lines));
      return path;
    },
    rewriteConfig(path, lines): void {
      writeFileSync(`${path}.tmp`, configText(lines));
      renameSync(`${path}.tmp`, path);
    },
    async startRouter(config: string): Promise<App> {
      const app = await startApp({
        configPath: config,
        source: { kind: 'kubernetes' },
        kubeconfig,
        metricsAddress: '',
        logDestination: SILENT,
      });
      apps.push(app);
      await app.ready;
      return app;
    },
    async close(): Promise<void> {
      await Promise.all(apps.map((a) => a.stop()));
      await sink.close();
      await server.close();
    },
  };

  function configText(lines: ConfigLines): string {
    return [
      'maxEventAgeSeconds: 3600',
      'omitLookup: true',
      ...(lines.top ?? []),
      'route:',
      '  match:',
      '    - receiver: hook',
      'receivers:',
      '  - name: hook',
      ...(lines.defaults === true ? [] : [`    deadLetter: { path: ${join(dir, 'dead.ndjson')} }`]),
      ...(lines.receiver ?? []).map((l) => `    ${l}`),
      '    webhook:',
      `      endpoint: ${sink.url}`,
    ].join('\n');
  }
}

/** Runs `tick` at `perSecond` for `durationMs` of real time (a load generator, not a test sleep). */
export async function produce(
  perSecond: number,
  durationMs: number,
  tick: (i: number, elapsedMs: number) => void,
): Promise<number> {
  const start = Date.now();
  let i = 0;
  while (Date.now() - start < durationMs) {
    const due = Math.floor(((Date.now() - start) / 1000) * perSecond);
    while (i < due) tick(i++, Date.now() - start);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return i;
}
