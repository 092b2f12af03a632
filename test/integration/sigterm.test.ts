import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KubeApiServer, type KubeObject } from '../support/kube-api-server.ts';
import { realEventsNdjson } from '../support/real-events.ts';
import { WebhookSink } from './webhook-sink.ts';

// SIGTERM under load: the real binary, a receiver that fails mid-stream so retries pile up, then
// SIGTERM. Every accepted occurrence must end delivered or in the dead-letter file, once.

const ROOT = new URL('../..', import.meta.url).pathname;
const EVENTS = 600;
const HEALTHY_REQUESTS = 150;
/** `run`'s exit code when it stopped with events in the dead-letter file (docs/operations.md). */
const DEAD_LETTERED_EXIT = 3;

function event(i: number): KubeObject {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `job-${i}.${i}`, namespace: 'batch' },
    involvedObject: { kind: 'Pod', name: `job-${i}`, namespace: 'batch', apiVersion: 'v1' },
    reason: 'FailedScheduling',
    message: `0/3 nodes are available: 3 Insufficient memory (${i})`,
    type: 'Warning',
    count: 1,
    firstTimestamp: now,
    lastTimestamp: now,
  };
}

interface Stopped {
  accepted: number;
  delivered: number;
  deadLettered: number;
}

describe('SIGTERM under load', () => {
  let server: KubeApiServer;
  let sink: WebhookSink;
  let dir: string;

  before(async () => {
    server = await KubeApiServer.start();
    sink = await WebhookSink.start();
    // Healthy at first, then an outage: what is queued or retrying at SIGTERM must be dead-lettered.
    sink.answer = ({ index }) => (index < HEALTHY_REQUESTS ? { status: 200 } : { status: 503 });
    dir = mkdtempSync(join(tmpdir(), 'ker-sigterm-'));
  });

  after(async () => {
    await sink.close();
    await server.close();
  });

  it('drains, dead-letters the rest, and exits 3 (something dead-lettered) with nothing lost', async () => {
    for (let i = 0; i < EVENTS; i++) server.create(event(i));
    const kubeconfig = await server.writeKubeconfig(dir);
    const deadLetterPath = join(dir, 'dead.ndjson');
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      [
        'maxEventAgeSeconds: 3600',
        'omitLookup: true',
        'shutdownTimeoutMs: 1500',
        'route:',
        '  match:',
        '    - receiver: hook',
        'receivers:',
        '  - name: hook',
        `    deadLetter: { path: ${deadLetterPath} }`,
        '    retry: { initialDelayMs: 200, maxAttempts: 100, maxElapsedMs: 600000 }',
        '    webhook:',
        `      endpoint: ${sink.url}`,
      ].join('\n'),
    );
    const child = spawn(
      join(ROOT, 'bin/kube-event-router'),
      ['run', '-c', config, '--kubeconfig', kubeconfig, '--metrics-address', ''],
      {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    await sink.until(() => sink.received.length >= HEALTHY_REQUESTS + 5, 60_000, 'the outage to start');
    child.kill('SIGTERM');
    assert.equal(await exited, DEAD_LETTERED_EXIT, stderr);

    const stoppedLine = stderr.split('\n').find((l) => l.includes('"msg":"Stopped."'));
    assert.ok(stoppedLine !== undefined, stderr);
    const stopped = JSON.parse(stoppedLine) as Stopped;
    const delivered = sink.accepted.map(
      (body) => (JSON.parse(body) as { metadata: { uid: string } }).metadata.uid,
    );
    const dead = existsSync(deadLetterPath)
      ? readFileSync(deadLetterPath, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { reason: string; event: { metadata: { uid: string } } })
      : [];
    const deadUids = dead.map((d) => d.event.metadata.uid);
    const all = new Set([...delivered, ...deadUids]);
    console.log(
      `# accepted=${stopped.accepted} delivered=${delivered.length} dead-lettered=${deadUids.length} lost=${stopped.accepted - all.size} duplicated=${delivered.length + deadUids.length - all.size}`,
    );
    assert.equal(delivered.length, HEALTHY_REQUESTS);
    assert.equal(stopped.delivered, delivered.length);
    assert.equal(stopped.deadLettered, deadUids.length);
    assert.equal(
      all.size,
      delivered.length + deadUids.length,
      'nothing both delivered and dead-lettered, nothing twice',
    );
    assert.equal(all.size, stopped.accepted, 'every accepted occurrence is accounted for');
    assert.ok(stopped.accepted > HEALTHY_REQUESTS);
    assert.ok(
      dead.some((d) => d.reason === 'shutdown'),
      'what was left at the deadline went to the dead-letter file',
    );
  });
});

describe('SIGTERM in replay mode', () => {
  let sink: WebhookSink;
  let dir: string;
  const SHUTDOWN_TIMEOUT_MS = 3000;
  const REPLAYED = 20;

  before(async () => {
    sink = await WebhookSink.start();
    dir = mkdtempSync(join(tmpdir(), 'ker-sigterm-replay-'));
  });

  after(async () => {
    await sink.close();
  });

  function replayConfig(deadLetterPath: string): string {
    const config = join(dir, 'replay.yaml');
    writeFileSync(
      config,
      [
        `shutdownTimeoutMs: ${SHUTDOWN_TIMEOUT_MS}`,
        'route:',
        '  match:',
        '    - receiver: hook',
        'receivers:',
        '  - name: hook',
        `    deadLetter: { path: ${deadLetterPath} }`,
        // Retries that would go on for ten minutes: only the shutdown deadline can end them.
        '    retry: { initialDelayMs: 200, maxAttempts: 1000, maxElapsedMs: 600000 }',
        '    batch: { maxEvents: 1 }',
        '    webhook:',
        `      endpoint: ${sink.url}`,
      ].join('\n'),
    );
    return config;
  }

  /** `source`: `replay:FILE` or `demo`. */
  function runReplay(
    config: string,
    source: string,
  ): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
    const child = spawn(
      join(ROOT, 'bin/kube-event-router'),
      ['run', '-c', config, '--source', source, '--metrics-address', ''],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, exited, stderr: () => stderr };
  }

  function stoppedLine(stderr: string): Stopped {
    const line = stderr.split('\n').find((l) => l.includes('"msg":"Stopped."'));
    assert.ok(line !== undefined, stderr);
    return JSON.parse(line) as Stopped;
  }

  it('with the receiver up: ends by itself, everything delivered, exits 0', async () => {
    sink.answer = () => ({ status: 200 });
    const events = join(dir, 'events-ok.ndjson');
    writeFileSync(events, realEventsNdjson(REPLAYED));
    const deadLetterPath = join(dir, 'replay-ok-dead.ndjson');
    const run = runReplay(replayConfig(deadLetterPath), `replay:${events}`);
    assert.equal(await run.exited, 0, run.stderr());
    const stopped = stoppedLine(run.stderr());
    assert.ok(stopped.accepted > 0);
    assert.equal(stopped.delivered, stopped.accepted);
    assert.equal(stopped.deadLettered, 0);
    assert.equal(existsSync(deadLetterPath), false);
  });

  // The same SIGTERM in both offline source modes (the kubernetes one is the test above).
  for (const mode of ['replay', 'demo'] as const) {
    it(`${mode}, the receiver down: stops at shutdownTimeoutMs, dead-letters every event as shutdown, exits 3`, async () => {
      sink.answer = () => ({ status: 503 });
      const events = join(dir, 'events.ndjson');
      writeFileSync(events, realEventsNdjson(REPLAYED));
      const deadLetterPath = join(dir, `${mode}-dead.ndjson`);
      const before = sink.received.length;
      const run = runReplay(replayConfig(deadLetterPath), mode === 'replay' ? `replay:${events}` : 'demo');
      await sink.until(() => sink.received.length > before, 60_000, 'the first delivery attempt');
      run.child.kill('SIGTERM');
      const signalledAtMs = Date.now();
      const code = await run.exited;
      const tookMs = Date.now() - signalledAtMs;
      assert.equal(code, DEAD_LETTERED_EXIT, run.stderr());
      // Before the fix a replay's drain ignored the deadline and went through every retry (65 s for 20 events).
      assert.ok(tookMs < SHUTDOWN_TIMEOUT_MS + 10_000, `exited ${tookMs} ms after SIGTERM`);

      const stopped = stoppedLine(run.stderr());
      const dead = readFileSync(deadLetterPath, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { reason: string });
      assert.equal(stopped.delivered, 0);
      assert.ok(stopped.accepted > 0);
      assert.equal(dead.length, stopped.accepted, 'every accepted event is in the dead-letter file');
      assert.equal(stopped.deadLettered, dead.length);
      assert.deepEqual(new Set(dead.map((d) => d.reason)), new Set(['shutdown']));
    });
  }
});
