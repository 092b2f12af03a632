// The "must show", end to end: `run` with the replay source over real events, the real
// elasticsearch / opensearch clients, and a bulk server whose answers fail some items with 429
// (they arrive on retry) and some with a mapping error (they are in the dead-letter file), and
// nothing is indexed twice. Time is a ManualClock moved on by the test; no real sleeps.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { startApp } from '../../../src/app/app.ts';
import type { RunResult } from '../../../src/app/app.ts';
import { ManualClock } from '../../../src/util/clock.ts';
import { BulkServer } from '../servers/bulk-server.ts';
import type { BulkOp, Flavour } from '../servers/bulk-server.ts';
import { realEventsNdjson } from '../../support/real-events.ts';

const SUBSET = 300;

interface Script {
  readonly order: string[];
  readonly rateLimited: Set<string>;
  readonly mapping: Set<string>;
}

/** The 4th of every 7 new ids gets a 429 the first time; the 6th of every 11 a mapping error, always. */
function script(server: BulkServer): Script {
  const s: Script = { order: [], rateLimited: new Set(), mapping: new Set() };
  server.itemFailure = (op: BulkOp) => {
    if (op.seen === 1) {
      const n = s.order.push(op.id);
      if (n % 11 === 6) s.mapping.add(op.id);
      else if (n % 7 === 4) s.rateLimited.add(op.id);
    }
    if (s.mapping.has(op.id)) {
      const reason = `[1:611] Could not dynamically add mapping for field [app.kubernetes.io/name]. Existing mapping for [involvedObject.labels.app] must be of type object but found [keyword].`;
      return { status: 400, type: 'document_parsing_exception', reason };
    }
    if (s.rateLimited.has(op.id) && op.seen === 1) {
      return {
        status: 429,
        type: 'es_rejected_execution_exception',
        reason: 'rejected execution of coordinating operation [shard_detail=[kube-events][0]]',
      };
    }
    return undefined;
  };
  return s;
}

async function runRouter(flavour: Flavour, dir: string, server: BulkServer): Promise<RunResult> {
  const events = join(dir, 'events.ndjson');
  writeFileSync(events, realEventsNdjson(SUBSET));
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    [
      'route:',
      '  routes:',
      '    - match:',
      '        - receiver: search',
      'receivers:',
      '  - name: search',
      `    ${flavour}:`,
      `      hosts: ["${server.url}"]`,
      '      indexFormat: "kube-events-{2006.01.02}"',
      '      indexTimeSource: event',
      '    batch: { maxEvents: 40 }',
      '    retry: { initialDelayMs: 200, maxDelayMs: 2000 }',
      `    deadLetter: { path: "${join(dir, 'dead.ndjson')}" }`,
    ].join('\n'),
  );
  const clock = new ManualClock();
  const silent = new Writable({ write: (_c, _e, done) => done() });
  const app = await startApp({
    configPath: config,
    source: { kind: 'replay', path: events },
    metricsAddress: '',
    logDestination: silent,
    clock,
  });
  let finished = false;
  const done = app.done.finally(() => (finished = true));
  // Moves time on only while the router waits on it (a flush interval or a retry backoff).
  for (let steps = 0; !finished; steps++) {
    assert.ok(steps < 5_000, 'the run made no progress');
    await clock.advance(250);
  }
  return done;
}

for (const flavour of ['elasticsearch', 'opensearch'] as const) {
  describe(`run → ${flavour} (replay of real events)`, () => {
    let server: BulkServer;
    let dir: string;
    let s: Script;
    let result: RunResult;
    before(async () => {
      server = await BulkServer.start({ flavour });
      dir = mkdtempSync(join(tmpdir(), `ker-${flavour}-`));
      s = script(server);
      result = await runRouter(flavour, dir, server);
    });
    after(async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('sent every routed occurrence, some items failing with 429 and some with a mapping error', () => {
      assert.ok(result.accepted > 200, `accepted ${result.accepted}`);
      assert.equal(s.order.length, result.accepted, 'one document id per occurrence');
      assert.ok(
        s.rateLimited.size >= 20 && s.mapping.size >= 20,
        `${s.rateLimited.size} rate-limited, ${s.mapping.size} mapping errors`,
      );
      assert.equal(result.delivered, result.accepted - s.mapping.size);
      assert.equal(result.deadLettered, s.mapping.size);
    });

    it('the 429 items arrived on retry, each once', () => {
      const stored = new Map(server.store.docs().map((d) => [d.id, d]));
      for (const id of s.rateLimited) {
        assert.ok(stored.has(id), `${id} indexed after its retry`);
        assert.equal(server.store.writes.get(`${stored.get(id)?.index ?? ''}/${id}`), 1);
      }
      // Retried alone: the bulks after a failure carry the failed items, not their batch.
      const sentTimes = new Map<string, number>();
      for (const bulk of server.bulks) {
        for (const line of bulk.body.split('\n').filter((_, i) => i % 2 === 0 && _ !== '')) {
          const id = (
            Object.values(JSON.parse(line) as Record<string, { _id: string }>)[0] as { _id: string }
          )._id;
          sentTimes.set(id, (sentTimes.get(id) ?? 0) + 1);
        }
      }
      for (const id of s.order) {
        const want = s.rateLimited.has(id) ? 2 : s.mapping.has(id) ? 1 : 1;
        assert.equal(sentTimes.get(id), want, `${id} sent ${sentTimes.get(id) ?? 0} times`);
      }
    });

    it('nothing is indexed twice, and every other occurrence is indexed once', () => {
      assert.deepEqual(server.store.writtenTwice(), []);
      const ids = server.store.docs().map((d) => d.id);
      assert.equal(new Set(ids).size, ids.length);
      assert.deepEqual(ids.sort(), s.order.filter((id) => !s.mapping.has(id)).sort());
      // indexTimeSource: event → daily indexes named from the events' own times, not the clock's day.
      const indexes = new Set(server.store.docs().map((d) => d.index));
      assert.ok(
        [...indexes].every(
          (name) => /^kube-events-\d{4}\.\d\d\.\d\d$/.test(name) && name !== 'kube-events-2026.01.01',
        ),
        [...indexes].join(' '),
      );
      assert.ok(indexes.size > 1);
    });

    it('the mapping errors are in the dead-letter file with the item error and the deDot hint', () => {
      const lines = readFileSync(join(dir, 'dead.ndjson'), 'utf8')
        .split('\n')
        .filter((l) => l !== '');
      const records = lines.map(
        (l) =>
          JSON.parse(l) as {
            receiver: string;
            reason: string;
            error: string;
            attempts: number;
            event: { metadata: { uid: string } };
            payload: unknown;
          },
      );
      assert.equal(records.length, s.mapping.size);
      const uids = new Set([...s.mapping].map((id) => id.slice(0, id.lastIndexOf('-'))));
      for (const r of records) {
        assert.equal(r.receiver, 'search');
        assert.equal(r.reason, 'clientError');
        assert.equal(r.attempts, 1);
        assert.match(
          r.error,
          /^item HTTP 400 (document|mapper)_parsing_exception: .*app\.kubernetes\.io\/name/,
        );
        assert.match(r.error, /set deDot: true/);
        assert.ok(uids.has(r.event.metadata.uid));
        assert.equal(typeof r.payload, 'object');
      }
    });
  });
}
