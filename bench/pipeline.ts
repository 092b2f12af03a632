// The router's own pipeline without a network peer: replay source → dedupe → enrich → route →
// render (enhanced event JSON) → batched stdout receiver into a null stream.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { startApp } from '../src/app/app.ts';
import { eventsToCreate } from './fixture-events.ts';

export async function benchPipeline(n: number): Promise<{ pipelineEventsPerSec: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'ker-pipeline-'));
  const events = eventsToCreate(n).map((e, i) =>
    JSON.stringify({ ...e, metadata: { ...e.metadata, uid: `bench-${i}` } }),
  );
  const eventsPath = join(dir, 'events.ndjson');
  writeFileSync(eventsPath, events.join('\n'));
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    [
      'route:',
      '  match:',
      '    - receiver: out',
      'receivers:',
      '  - name: out',
      `    queue: { maxEvents: ${n}, policy: block }`,
      '    batch: { maxEvents: 500, flushIntervalMs: 20 }',
      '    stdout: {}',
    ].join('\n'),
  );
  const sink = new Writable({ write: (_c, _e, done) => done() });
  const start = performance.now();
  const app = await startApp({
    configPath: config,
    source: { kind: 'replay', path: eventsPath },
    metricsAddress: '',
    stdout: sink,
    logDestination: sink,
    watchConfig: false,
  });
  const result = await app.done;
  const elapsedS = (performance.now() - start) / 1000;
  if (result.delivered !== n) throw new Error(`Pipeline delivered ${result.delivered} of ${n}.`);
  return { pipelineEventsPerSec: Math.round(n / elapsedS) };
}
