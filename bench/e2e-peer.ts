// The router's peers for the end-to-end benchmark, in a process of their own as in a cluster:
// the test API server (the "cluster" producing events) and the webhook receiving them.
// Protocol on stdio: prints `{"kubeconfig":…, "sinkUrl":…}` when up. `go N` creates N events
// while the router watches; `load N` creates them at once and prints `{"loaded":N}` (a backlog
// for the router's first list). Once all N are acknowledged it prints
// `{"firstCreatedMs":…, "lastAckMs":…, "latenciesMs":[…]}`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { KubeApiServer } from '../test/support/kube-api-server.ts';
import { eventsToCreate } from './fixture-events.ts';

const EVENT_UID = /"metadata":\{[^{}]*?"uid":"([^"]+)"/g;
const nowMs = (): number => performance.timeOrigin + performance.now();

async function main(): Promise<void> {
  const server = await KubeApiServer.start({ bookmarkIntervalMs: 1000, maxHistory: 1_000_000 });
  const createdAt = new Map<string, number>();
  const latencies: number[] = [];
  let expected = Number.POSITIVE_INFINITY;
  let firstCreatedMs = 0;
  const sink = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const now = nowMs();
      // The enhanced event JSON starts with metadata, so its first uid is the Event's: a regex
      // finds it without parsing the whole body, keeping the receiver's cost out of the figure.
      for (const match of Buffer.concat(chunks).toString().matchAll(EVENT_UID)) {
        const t = createdAt.get(match[1] ?? '');
        if (t !== undefined) latencies.push(now - t);
      }
      res.writeHead(200).end();
      if (latencies.length >= expected) {
        process.stdout.write(
          `${JSON.stringify({ firstCreatedMs, lastAckMs: now, latenciesMs: latencies })}\n`,
        );
        expected = Number.POSITIVE_INFINITY;
      }
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const dir = mkdtempSync(join(tmpdir(), 'ker-bench-peer-'));
  const kubeconfig = await server.writeKubeconfig(dir);
  process.stdout.write(
    `${JSON.stringify({ kubeconfig, sinkUrl: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/events` })}\n`,
  );
  for await (const line of createInterface({ input: process.stdin })) {
    const match = /^(go|load) (\d+)$/.exec(line.trim());
    if (match === null) continue;
    const objects = eventsToCreate(Number(match[2]));
    expected = objects.length;
    firstCreatedMs = nowMs();
    if (match[1] === 'load') {
      for (const obj of objects) createdAt.set(String(server.create(obj).metadata['uid']), nowMs());
      process.stdout.write(`${JSON.stringify({ loaded: objects.length })}\n`);
      continue;
    }
    // Created in slices so the watch streams while the "cluster" is still producing.
    for (let i = 0; i < objects.length; i += 200) {
      for (const obj of objects.slice(i, i + 200))
        createdAt.set(String(server.create(obj).metadata['uid']), nowMs());
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  sink.close();
  await server.close();
}

await main();
