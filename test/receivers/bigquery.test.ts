// The bigquery receiver through the real @google-cloud/bigquery client (and google-auth-library,
// with a workload identity federation credentials file) against a BigQuery API server on
// 127.0.0.1 (bigquery-server.ts: tabledata.insertAll and the token exchange, as documented).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ReceiverConfig } from '../../src/config/schema.ts';
import type { EnrichedEvent } from '../../src/event/event.ts';
import { createOutput } from '../../src/output/output.ts';
import { createRenderer } from '../../src/output/payload.ts';
import { bigqueryRow } from '../../src/receivers/bigquery/rows.ts';
import { createReceiver } from './create-receiver.ts';
import type { SendResult } from '../../src/receivers/common/types.ts';
import { ManualClock } from '../../src/util/clock.ts';
import {
  Counts,
  MemoryDeadLetter,
  memoryLogger,
  realEvents,
  receiverFromYaml,
  until,
} from '../output/helpers.ts';
import { BigqueryServer, SUBJECT_TOKEN, googleError } from './bigquery-server.ts';

const signal = new AbortController().signal;
const TABLE = 'kube-project.k8s.events';

function summary(result: SendResult): unknown[] {
  if (result.kind === 'ok') return ['ok'];
  if (result.kind === 'partial')
    return ['partial', result.retry, result.drop.map((d) => d.index), result.reason];
  return [result.kind, result.reason];
}

describe('bigquery receiver', () => {
  let server: BigqueryServer;
  let dir: string;
  let credentials: string;
  before(async () => {
    server = await BigqueryServer.start();
    dir = mkdtempSync(join(tmpdir(), 'ker-bigquery-'));
    credentials = server.credentialsFile(dir);
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    server.tables.clear();
    server.tables.add(TABLE);
    server.stored.clear();
    server.inserts.length = 0;
    server.handler = () => undefined;
    server.rowError = () => undefined;
    server.tokenAnswer = undefined;
  });

  function config(extra = '', sibling = 'retry: { initialDelayMs: 500, maxDelayMs: 500 }'): ReceiverConfig {
    return receiverFromYaml(
      [
        '- name: bq',
        `  ${sibling}`,
        '  bigquery:',
        '    project: kube-project',
        '    dataset: k8s',
        '    table: events',
        `    credentials_path: ${credentials}`,
        `    endpoint: "${server.origin}"`,
        ...(extra === '' ? [] : [`    ${extra}`]),
      ].join('\n'),
    );
  }

  /** Every event through an Output (ManualClock; retries waited out), until each one settled. */
  async function throughOutput(cfg: ReceiverConfig, events: readonly EnrichedEvent[]) {
    const clock = new ManualClock();
    const logs = memoryLogger();
    const receiver = createReceiver(cfg, { clock, logger: logs.logger });
    const counts = new Counts();
    const deadLetter = new MemoryDeadLetter();
    const output = createOutput(cfg, {
      receiver,
      deadLetter,
      clock,
      logger: logs.logger,
      observer: counts,
      random: () => 1,
    });
    for (const event of events) await output.push(event);
    while (counts.settledN < events.length) {
      await until(() => counts.settledN === events.length || clock.timers > 0, 'an insert or a wait');
      if (counts.settledN < events.length) await clock.advance(1_000);
    }
    await output.drain(clock.now() + 1_000);
    return { counts, deadLetter, logs };
  }

  it('replays the 934 real events: the exporter rows, one insertId per occurrence, stored once through lost answers and retries', async () => {
    const events = realEvents();
    const cfg = config();
    const payloads = events.map(createRenderer(cfg));
    // Every third insertAll is committed but its answer is lost (a 503 after the write), and
    // every fifth fails before the write: the retried rows carry the same insertIds.
    server.handler = (req, index) => {
      if (index % 5 === 1) return googleError(503, 'backendError', 'Backend error.', 'UNAVAILABLE');
      if (index % 3 === 0) {
        for (const row of req.rows)
          if (!server.stored.has(row.insertId)) server.stored.set(row.insertId, row.json);
        return googleError(503, 'backendError', 'Backend error.', 'UNAVAILABLE');
      }
      return undefined;
    };
    const { counts, deadLetter } = await throughOutput(cfg, events);
    assert.equal(deadLetter.records.length, 0);
    assert.equal(counts.count('delivered'), events.length);
    // The fixture holds a few occurrences twice (same uid and count): BigQuery keeps the first row
    // of an insertId, as it should for one occurrence.
    const unique = new Map<string, (typeof payloads)[number]>();
    for (const p of payloads) if (!unique.has(p.id)) unique.set(p.id, p);
    assert.deepEqual(
      [...server.stored.keys()].sort(),
      [...unique.keys()].sort(),
      'each occurrence stored once',
    );
    for (const [id, row] of server.stored) assert.deepEqual(row, bigqueryRow(unique.get(id)?.body ?? ''), id);
    const sent = server.inserts.flatMap((r) => r.rows.map((row) => row.insertId));
    assert.ok(sent.length > payloads.length, 'some rows were sent more than once');
    assert.ok(
      server.inserts.every((r) => r.rows.length <= 500 && !r.skipInvalidRows && !r.ignoreUnknownValues),
    );
    assert.ok(server.inserts.length < events.length / 5, `${server.inserts.length} insertAll requests`);
    assert.equal(server.issuedTokens.length, 1, 'one token exchange, reused');
  });

  it('per-row errors: an invalid row is dead-lettered alone, stopped rows go again at once, a backendError row is retried alone', async () => {
    const events = realEvents().slice(300, 330);
    const cfg = config();
    const payloads = events.map(createRenderer(cfg));
    const invalid = payloads[4]?.id ?? '';
    const flaky = payloads[9]?.id ?? '';
    let flakyFailed = false;
    server.rowError = (row) =>
      row.insertId === invalid
        ? { reason: 'invalid', message: 'no such field: involvedObject.labels.app.' }
        : undefined;
    server.handler = (req) => {
      if (
        flakyFailed ||
        !req.rows.some((r) => r.insertId === flaky) ||
        req.rows.some((r) => r.insertId === invalid)
      ) {
        return undefined;
      }
      flakyFailed = true;
      const insertErrors = req.rows.flatMap((r, index) =>
        r.insertId === flaky
          ? [{ index, errors: [{ reason: 'backendError', message: 'Backend error.' }] }]
          : [],
      );
      for (const r of req.rows) if (r.insertId !== flaky) server.stored.set(r.insertId, r.json);
      return { status: 200, body: { kind: 'bigquery#tableDataInsertAllResponse', insertErrors } };
    };
    const { counts, deadLetter } = await throughOutput(cfg, events);
    assert.deepEqual(
      [...server.stored.keys()].sort(),
      payloads
        .map((p) => p.id)
        .filter((id) => id !== invalid)
        .sort(),
    );
    assert.deepEqual(
      deadLetter.records.map((r) => [r.reason, r.attempts, r.error]),
      [['clientError', 1, 'bigquery: row refused: invalid: no such field: involvedObject.labels.app.']],
    );
    assert.equal(counts.count('delivered'), events.length - 1);
    const last = server.inserts.at(-1);
    assert.deepEqual(
      last?.rows.map((r) => r.insertId),
      [flaky],
      'the row that failed transiently was sent again alone',
    );
  });

  it('the client does not retry: one request per send, classified', async () => {
    const cases: { answer: ReturnType<typeof googleError>; expected: unknown[] }[] = [
      {
        answer: googleError(503, 'backendError', 'Backend error.', 'UNAVAILABLE'),
        expected: ['retry', 'serverError'],
      },
      {
        answer: googleError(500, 'internalError', 'Internal error.', 'INTERNAL'),
        expected: ['retry', 'serverError'],
      },
      {
        answer: googleError(403, 'rateLimitExceeded', 'Exceeded rate limits.', 'PERMISSION_DENIED'),
        expected: ['retry', 'rateLimited'],
      },
      {
        answer: googleError(429, 'quotaExceeded', 'Quota exceeded.', 'RESOURCE_EXHAUSTED'),
        expected: ['retry', 'rateLimited'],
      },
      {
        answer: googleError(403, 'accessDenied', 'Access Denied.', 'PERMISSION_DENIED'),
        expected: ['drop', 'clientError'],
      },
      {
        answer: googleError(404, 'notFound', 'Not found: Table p:d.t', 'NOT_FOUND'),
        expected: ['drop', 'clientError'],
      },
      {
        answer: googleError(400, 'invalid', 'Request payload size exceeds the limit.', 'INVALID_ARGUMENT'),
        expected: ['drop', 'clientError'],
      },
    ];
    const cfg = config();
    const payload = createRenderer(cfg)(realEvents()[0] as EnrichedEvent);
    for (const c of cases) {
      const receiver = createReceiver(cfg, { clock: new ManualClock(), logger: memoryLogger().logger });
      server.handler = () => c.answer;
      const before = server.inserts.length;
      const result = await receiver.send([payload], signal);
      await receiver.close();
      assert.deepEqual(summary(result), c.expected, JSON.stringify(c.answer.body));
      assert.equal(server.inserts.length - before, 1, 'one request');
    }
  });

  it('a 400 over several rows is split until the refused row is alone', async () => {
    const cfg = config();
    const payloads = realEvents().slice(10, 18).map(createRenderer(cfg));
    const bad = payloads[5]?.id ?? '';
    server.handler = (req) =>
      req.rows.some((r) => r.insertId === bad)
        ? googleError(400, 'invalid', 'Invalid value at rows[0].json.', 'INVALID_ARGUMENT')
        : undefined;
    const receiver = createReceiver(cfg, { clock: new ManualClock(), logger: memoryLogger().logger });
    assert.deepEqual(summary(await receiver.send(payloads, signal)), ['partial', [], [5], 'serverError']);
    assert.deepEqual(
      [...server.stored.keys()].sort(),
      payloads
        .filter((p) => p.id !== bad)
        .map((p) => p.id)
        .sort(),
    );
  });

  it('batch_size caps the rows of each insertAll', async () => {
    const cfg = config('batch_size: 7');
    const payloads = realEvents().slice(40, 60).map(createRenderer(cfg));
    const receiver = createReceiver(cfg, { clock: new ManualClock(), logger: memoryLogger().logger });
    assert.deepEqual(await receiver.send(payloads, signal), { kind: 'ok' });
    assert.deepEqual(
      server.inserts.map((r) => r.rows.length),
      [7, 7, 6],
    );
    assert.equal(server.stored.size, 20);
  });

  it('an auth failure is dead-lettered with its reason; no credential in any log line', async () => {
    const events = realEvents().slice(0, 25);
    const cfg = config();
    server.handler = (req) =>
      googleError(
        401,
        'authError',
        `Request had invalid authentication credentials (${req.authorization}); headers ${JSON.stringify(req.headers)}`,
        'UNAUTHENTICATED',
      );
    const { counts, deadLetter, logs } = await throughOutput(cfg, events);
    assert.equal(counts.count('deadLettered'), events.length);
    assert.ok(
      deadLetter.records.every((r) => r.attempts === 1 && r.reason === 'clientError'),
      'not retried',
    );
    assert.match(
      deadLetter.records[0]?.error ?? '',
      /HTTP 401 authError: Request had invalid authentication credentials.*check the Google credentials/,
    );
    const everything = logs.text() + JSON.stringify(deadLetter.records);
    for (const secret of [...server.issuedTokens, SUBJECT_TOKEN])
      assert.ok(!everything.includes(secret), secret);
    assert.ok(everything.includes('Bearer [Redacted]'));
  });

  it('a refused token exchange is dead-lettered as a credentials problem', async () => {
    server.tokenAnswer = {
      status: 400,
      body: { error: 'invalid_grant', error_description: 'The subject token has expired.' },
    };
    const cfg = config();
    const receiver = createReceiver(cfg, { clock: new ManualClock(), logger: memoryLogger().logger });
    const result = await receiver.send([createRenderer(cfg)(realEvents()[5] as EnrichedEvent)], signal);
    assert.deepEqual(summary(result), ['drop', 'clientError']);
    assert.match(
      result.kind === 'drop' ? result.error.message : '',
      /credentials: HTTP 400: .*invalid_grant.*check the Google credentials/,
    );
    assert.equal(server.inserts.length, 0);
  });
});
