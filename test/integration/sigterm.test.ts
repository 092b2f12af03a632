import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KubeApiServer, type KubeObject } from '../support/kube-api-server.ts';
import { WebhookSink } from './webhook-sink.ts';

// SIGTERM under load: the real binary, a receiver that fails mid-stream so retries pile up, then
// SIGTERM. Every accepted occurrence must end delivered or in the dead-letter file, once.

const ROOT = new URL('../..', import.meta.url).pathname;
const EVENTS = 600;
const HEALTHY_REQUESTS = 150;

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

  it('drains, dead-letters the rest, and exits 0 with nothing lost', async () => {
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
    assert.equal(await exited, 0, stderr);

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
