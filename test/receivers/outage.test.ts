// The receiver-outage proof (issue 4, "Must show"): outputs with the real webhook receiver
// against a real HTTP server on 127.0.0.1, time driven by a ManualClock.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import type { EnrichedEvent } from '../../src/event/event.ts';
import { createDeadLetterWriter } from '../../src/output/dead-letter.ts';
import type { DeadLetterWriter } from '../../src/output/dead-letter.ts';
import { createOutput } from '../../src/output/output.ts';
import type { Output } from '../../src/output/output.ts';
import { createReceiver } from './create-receiver.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { Counts, memoryLogger, oneEvent, receiverFromYaml, someEvents, until } from '../output/helpers.ts';
import { startHttpServer } from './servers.ts';
import type { TestServer } from './servers.ts';

interface Rig {
  clock: ManualClock;
  counts: Counts;
  output: Output;
  t0: number;
}

function rig(
  server: TestServer,
  extra: string,
  deadLetter?: (clock: ManualClock) => DeadLetterWriter,
  random = (): number => 1,
): Rig {
  const clock = new ManualClock();
  const { logger } = memoryLogger();
  const config = receiverFromYaml(`- name: hook\n  webhook: { endpoint: "${server.url}" }\n${extra}`);
  const receiver = createReceiver(config, { clock, logger });
  const counts = new Counts();
  const writer = deadLetter?.(clock) ?? createDeadLetterWriter({ clock, logger });
  const output = createOutput(config, {
    receiver,
    deadLetter: writer,
    clock,
    logger,
    observer: counts,
    random,
  });
  return { clock, counts, output, t0: clock.now() };
}

/** Lets real I/O run; whenever the output waits on its clock (a retry), moves time on by `stepMs`. */
async function runUntilSettled(r: Rig, total: number, stepMs: number): Promise<void> {
  for (let steps = 0; r.counts.settledN < total; steps++) {
    assert.ok(steps < 10_000, 'no progress');
    await until(() => r.counts.settledN >= total || r.clock.timers > 0, 'a send to finish');
    if (r.counts.settledN < total) await r.clock.advance(stepMs);
  }
}

/** The `<uid>-<count>` of each event in accepted bodies, single or array alike. */
function deliveredKeys(bodies: readonly string[]): string[] {
  return bodies.flatMap((text) => {
    const body = JSON.parse(text) as unknown;
    const docs = Array.isArray(body) ? body : [body];
    return docs.map((d) => {
      const doc = d as { metadata: { uid: string }; count?: number };
      return `${doc.metadata.uid}-${doc.count ?? 1}`;
    });
  });
}

function keyOf(e: EnrichedEvent): string {
  return `${e.raw.metadata.uid ?? ''}-${e.occurrence}`;
}

describe('receiver outage', () => {
  let server: TestServer;
  let dir: string;
  before(async () => {
    server = await startHttpServer();
    dir = mkdtempSync(join(tmpdir(), 'ker-outage-'));
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const outages: { name: string; batch: string }[] = [
    { name: 'one event per request', batch: '' },
    { name: 'batches of 10 as JSON arrays', batch: '  batch: { maxEvents: 10 }\n' },
  ];
  for (const c of outages) {
    it(`503 for 20 s then recovery: everything delivered once, nothing lost (${c.name})`, async (t: TestContext) => {
      const retry =
        '  retry: { maxAttempts: 50, initialDelayMs: 100, maxDelayMs: 2000, maxElapsedMs: 600000 }\n';
      const r = rig(server, c.batch + retry);
      const recoverAt = r.t0 + 20_000;
      let refused = 0;
      const okBodies: string[] = [];
      server.handler = (req) => {
        if (r.clock.now() < recoverAt) {
          refused++;
          return { status: 503, body: 'maintenance' };
        }
        okBodies.push(req.body);
        return { status: 200 };
      };
      const events = someEvents(300);
      for (const e of events) await r.output.push(e);
      await runUntilSettled(r, events.length, 500);
      const keys = deliveredKeys(okBodies);
      t.diagnostic(
        `${events.length} events: ${refused} requests answered 503, ${okBodies.length} answered 200 carrying ${keys.length} events; ` +
          `delivered ${r.counts.count('delivered')}, dead-lettered ${r.counts.count('deadLettered')}, retried ${r.counts.retriedN}`,
      );
      assert.ok(refused > 5, 'the outage was felt');
      assert.ok(r.clock.now() >= recoverAt);
      assert.equal(r.counts.count('delivered'), events.length);
      assert.equal(r.counts.count('deadLettered'), 0);
      assert.ok(
        [...r.counts.outcomes.values()].every((o) => o.length === 1),
        'each event settled exactly once',
      );
      assert.deepEqual(keys, events.map(keyOf), 'every event reached the server, in order, none twice');
      await r.output.drain(r.clock.now() + 1000);
    });
  }

  it('400 goes to the dead-letter file with the reason and status; the rest is delivered', async () => {
    const path = join(dir, 'dead.ndjson');
    const r = rig(server, '', (clock) =>
      createDeadLetterWriter({ path, clock, logger: memoryLogger().logger }),
    );
    server.handler = (req) =>
      (JSON.parse(req.body) as { type?: string }).type === 'Warning'
        ? { status: 400, body: '{"error":"warnings not accepted"}' }
        : { status: 200 };
    const events = someEvents(100);
    const warnings = events.filter((e) => e.raw.type === 'Warning');
    for (const e of events) await r.output.push(e);
    await runUntilSettled(r, events.length, 500);
    await r.output.drain(r.clock.now() + 1000);
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(warnings.length > 0);
    assert.equal(lines.length, warnings.length);
    for (const [i, line] of lines.entries()) {
      assert.equal(line.receiver, 'hook');
      assert.equal(line.reason, 'clientError');
      assert.equal(line.error, 'HTTP 400: {"error":"warnings not accepted"}');
      assert.equal(line.attempts, 1, 'a 400 is not retried');
      assert.equal((line.event as { metadata: { uid: string } }).metadata.uid, warnings[i]?.raw.metadata.uid);
    }
    assert.equal(r.counts.count('delivered'), events.length - warnings.length);
  });

  it('429 with Retry-After: the next attempt comes exactly that much later on the clock', async () => {
    const r = rig(server, '', undefined, () => 0);
    server.handler = (_req, index) =>
      index === from ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 };
    const from = server.received.length;
    await r.output.push(oneEvent());
    await until(() => r.clock.timers > 0, 'the retry wait');
    assert.equal(server.received.length - from, 1);
    await r.clock.advance(1999);
    assert.equal(server.received.length - from, 1, 'not before Retry-After');
    await r.clock.advance(1);
    await until(() => r.counts.settledN === 1, 'delivery');
    assert.equal(server.received.length - from, 2);
    assert.equal(r.clock.now() - r.t0, 2000);
    assert.equal(r.counts.count('delivered'), 1);
    assert.equal(r.counts.failedBy.get('rateLimited'), 1);
  });
});
