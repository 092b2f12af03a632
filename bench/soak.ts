// npm run soak: 1,000,000 events through the router's pipeline (dedupe → enrich → route →
// render → default queue → batched webhook) into a receiver that is slow part of the time
// (bench/soak-peer.ts, its own process). Prints this process's RSS at every 100,000 events read
// and fails unless memory stays flat: the last figure at most 1.2 × the one at 200,000.
// The config sets no queue, retry or dead-letter option: the defaults are what is soaked.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createOutputs, type Tally } from '../src/app/outputs.ts';
import { Router } from '../src/app/pipeline.ts';
import { loadConfigText } from '../src/config/load.ts';
import type { RawEvent } from '../src/event/event.ts';
import { normalizeEvent } from '../src/event/normalize.ts';
import type { EventSource } from '../src/sources/types.ts';
import { Metrics } from '../src/telemetry/metrics.ts';
import { systemClock } from '../src/util/clock.ts';

const TOTAL = Number(process.env['SOAK_EVENTS'] ?? 1_000_000);
const STEP = Math.max(1, Math.round(TOTAL / 10));
const FIXTURE = new URL('../test/fixtures/events/real-events.ndjson', import.meta.url);
const MiB = 1024 * 1024;

const base = readFileSync(FIXTURE, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Record<string, unknown> & { metadata: Record<string, unknown> })
  .filter((e) => e['apiVersion'] === 'v1');

/** The i-th soak event: a real event under a new uid, happening now. */
function eventAt(i: number): RawEvent {
  const e = base[i % base.length] as (typeof base)[number];
  const { managedFields: _m, ...metadata } = e.metadata;
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return normalizeEvent({
    ...e,
    metadata: { ...metadata, uid: `soak-${i}`, name: `${String(metadata['name'])}.s${i}` },
    count: 1,
    firstTimestamp: now,
    lastTimestamp: now,
  });
}

const samples: { events: number; rssMb: number; heapMb: number }[] = [];

function generator(): EventSource {
  return {
    kind: 'replay',
    async run(sink) {
      for (let i = 0; i < TOTAL; i++) {
        await sink({ type: 'ADDED', event: eventAt(i) });
        if ((i + 1) % STEP === 0) {
          const mem = process.memoryUsage();
          const sample = {
            events: i + 1,
            rssMb: Math.round(mem.rss / MiB),
            heapMb: Math.round(mem.heapUsed / MiB),
          };
          samples.push(sample);
          console.log(
            `  ${String(sample.events).padStart(9)} events read   RSS ${sample.rssMb} MB   heap ${sample.heapMb} MB`,
          );
        }
      }
    },
  };
}

async function startPeer(): Promise<{
  url: string;
  count: () => Promise<Record<string, number>>;
  stop: () => void;
}> {
  const peer = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./soak-peer.ts', import.meta.url).pathname],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: peer.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const { value, done } = await lines.next();
    if (done === true) throw new Error('The soak peer exited early.');
    return JSON.parse(String(value)) as Record<string, unknown>;
  };
  const { url } = (await next()) as { url: string };
  return {
    url,
    count: async () => {
      peer.stdin.write('count\n');
      return (await next()) as Record<string, number>;
    },
    stop: () => peer.stdin.end(),
  };
}

const peer = await startPeer();
const { config } = loadConfigText(
  [
    'maxEventAgeSeconds: 3600',
    'omitLookup: true',
    'route:',
    '  match:',
    '    - receiver: hook',
    'receivers:',
    '  - name: hook',
    '    batch: { maxEvents: 100, flushIntervalMs: 50 }',
    '    webhook:',
    `      endpoint: ${peer.url}`,
  ].join('\n'),
  { fileName: 'soak.yaml', env: {} },
);
const quiet = new Writable({ write: (_c, _e, done) => done() });
const logger = pino({ level: 'warn' }, quiet);
const tally: Tally = { delivered: 0, deadLettered: 0 };
const outputs = await createOutputs({
  config,
  clock: systemClock,
  logger,
  metrics: new Metrics({ prefix: config.metricsNamePrefix }),
  stdout: quiet,
  dryRun: false,
  tally,
});
const router = new Router({
  config,
  source: generator(),
  outputs,
  logger,
  now: () => Date.now(),
  maxEventAgeMs: config.maxEventAgeSeconds * 1000,
  enrich: (raw, b) =>
    Promise.resolve({
      raw,
      object: undefined,
      occurrence: b.occurrence,
      clusterName: b.clusterName,
      environment: b.environment,
    }),
});

console.log(
  `soak: ${TOTAL.toLocaleString('en')} events, default queue (block, ${config.receivers[0]?.queue.maxEvents} events, ${Math.round((config.receivers[0]?.queue.maxBytes ?? 0) / MiB)} MiB), receiver slow part of the time`,
);
const startedMs = Date.now();
await router.run(new AbortController().signal);
await router.drain(Date.now() + 600_000);
const elapsedS = (Date.now() - startedMs) / 1000;
const received = await peer.count();
peer.stop();

const at200k = samples[1]?.rssMb ?? Number.NaN;
const last = samples.at(-1)?.rssMb ?? Number.NaN;
const flat = last <= 1.2 * at200k;
const summary = {
  events: TOTAL,
  delivered: tally.delivered,
  deadLettered: tally.deadLettered,
  receiverEvents: received['events'],
  slowRequests: received['slowRequests'],
  requests: received['requests'],
  elapsedS: Math.round(elapsedS),
  rssMbAt200k: at200k,
  rssMbLast: last,
  peakRssMb: Math.max(...samples.map((s) => s.rssMb)),
  flat,
};
console.log(
  `RSS at ${samples[1]?.events ?? '?'}: ${at200k} MB, last: ${last} MB, ratio ${(last / at200k).toFixed(2)} (limit 1.2)`,
);
console.log(JSON.stringify(summary));
process.exitCode = flat && tally.delivered === TOTAL ? 0 : 1;
