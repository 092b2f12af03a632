// The Elasticsearch-style bulk path: events through the real output (render, queue, batch with
// the receiver's defaults: 500 events / 5 MB / 1 s) and the real elasticsearch receiver (the
// official client) into the local `_bulk` server, in this process. The baseline is
// JSON.stringify of the same events, measured in the same run.
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadConfigText } from '../src/config/load.ts';
import type { EnrichedEvent } from '../src/event/event.ts';
import { createDeadLetterWriter } from '../src/output/dead-letter.ts';
import { createOutput } from '../src/output/output.ts';
import { createReceiver } from '../test/receivers/create-receiver.ts';
import { systemClock } from '../src/util/clock.ts';
import { BulkServer } from '../test/receivers/servers/bulk-server.ts';

const ROUNDS = 3;
const COPIES = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Every event COPIES times, as distinct occurrences (distinct document ids). */
function occurrences(events: readonly EnrichedEvent[]): EnrichedEvent[] {
  const out: EnrichedEvent[] = [];
  for (let copy = 1; copy <= COPIES; copy++) for (const e of events) out.push({ ...e, occurrence: copy });
  return out;
}

async function oneRound(url: string, batch: readonly EnrichedEvent[]): Promise<number> {
  const text = [
    'route: {}',
    'receivers:',
    '  - name: es',
    `    queue: { maxEvents: ${batch.length}, policy: block }`,
    '    elasticsearch:',
    `      hosts: ["${url}"]`,
    '      indexFormat: "kube-events-{2006.01.02}"',
  ].join('\n');
  const config = loadConfigText(text, { fileName: 'bench.yaml', env: {} }).config.receivers[0];
  if (config === undefined) throw new Error('The bench receiver did not load.');
  const logger = pino({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));
  const receiver = createReceiver(config, { clock: systemClock, logger });
  let delivered = 0;
  const deadLetter = createDeadLetterWriter({ clock: systemClock, logger });
  const observer = {
    settled: (_e: EnrichedEvent, outcome: string) => void (outcome === 'delivered' && delivered++),
  };
  const output = createOutput(config, { receiver, deadLetter, clock: systemClock, logger, observer });
  const start = performance.now();
  for (const e of batch) await output.push(e);
  await output.drain(systemClock.now() + 120_000);
  const seconds = (performance.now() - start) / 1000;
  if (delivered !== batch.length) throw new Error(`bulk bench delivered ${delivered} of ${batch.length}`);
  return batch.length / seconds;
}

function stringifyRate(events: readonly EnrichedEvent[]): number {
  let sink = 0;
  const start = performance.now();
  for (let copy = 0; copy < COPIES; copy++) for (const e of events) sink += JSON.stringify(e.raw).length;
  const seconds = (performance.now() - start) / 1000;
  if (sink === 0) throw new Error('The baseline did no work.');
  return (COPIES * events.length) / seconds;
}

export async function benchBulk(
  events: readonly EnrichedEvent[],
): Promise<{ bulkEventsPerSec: number; bulkRatio: number }> {
  const server = await BulkServer.start({ acceptAll: true });
  try {
    const batch = occurrences(events);
    await oneRound(server.url, batch.slice(0, 1000)); // warm-up: JIT, client connection pool
    const bulk: number[] = [];
    const baseline: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      baseline.push(stringifyRate(events));
      bulk.push(await oneRound(server.url, batch));
    }
    const bulkEventsPerSec = Math.round(median(bulk));
    return { bulkEventsPerSec, bulkRatio: Math.round((bulkEventsPerSec / median(baseline)) * 1000) / 1000 };
  } finally {
    await server.close();
  }
}
