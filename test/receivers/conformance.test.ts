// The receiver conformance suite (issue 5, "Must show"): every type in RECEIVER_SPECS has an
// entry in conformance/<type>.ts (see conformance/README.md) and is checked the same way:
// golden payloads for a fixed sample of real events, the answer → action table against its local
// server, no secret in any error / log line / dead-letter line / metric, and its example in
// config.example.yaml passes `check`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { loadConfigFile } from '../../src/config/load.ts';
import type { ReceiverConfig } from '../../src/config/schema.ts';
import { createDeadLetterWriter } from '../../src/output/dead-letter.ts';
import { createOutput } from '../../src/output/output.ts';
import type { OutputObserver } from '../../src/output/output.ts';
import { createRenderer } from '../../src/output/payload.ts';
import { RECEIVER_SPECS } from '../../src/receivers/registry.ts';
import { createReceiver } from './create-receiver.ts';
import type { Receiver, SendResult } from '../../src/receivers/common/types.ts';
import { createLogger } from '../../src/telemetry/log.ts';
import { Metrics } from '../../src/telemetry/metrics.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { Counts, at, realEvents, receiverFromYaml, until } from '../output/helpers.ts';
import type { ConformanceEntry, StartedEntry } from './conformance/harness.ts';

const HERE = new URL('./', import.meta.url);
const ENTRY_DIR = new URL('conformance/', HERE);
const GOLDEN_DIR = new URL('golden/', HERE);
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const ROOT = new URL('../../', import.meta.url);

/** A fixed sample of the 934 real events: every 78th (12 events, varied kinds and reasons). */
export const GOLDEN_SAMPLE_INDEXES: readonly number[] = Array.from({ length: 12 }, (_, i) => i * 78);

const entryTypes = readdirSync(ENTRY_DIR)
  .filter((f) => f.endsWith('.ts') && f !== 'harness.ts')
  .map((f) => f.slice(0, -3));
const entries = new Map<string, ConformanceEntry>();
for (const type of entryTypes) {
  const mod = (await import(new URL(`${type}.ts`, ENTRY_DIR).href)) as { entry?: ConformanceEntry };
  if (mod.entry !== undefined) entries.set(type, mod.entry);
}

// --- Collectors ------------------------------------------------------------------------------

interface Capture {
  readonly clock: ManualClock;
  readonly logText: () => string;
  readonly logger: ReturnType<typeof createLogger>;
  readonly metrics: Metrics;
  readonly counts: Counts;
  readonly observer: OutputObserver;
}

/** The production logger (its redaction included) writing into memory, metrics, counts. */
function capture(name: string): Capture {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  const logger = createLogger({ level: 'trace', format: 'json', destination: stream, base: null });
  const metrics = new Metrics({ processMetrics: false });
  metrics.receiverConfigured(name);
  const counts = new Counts();
  // What app-outputs.ts wires, so every metric a receiver can move is in the text checked.
  const observer: OutputObserver = {
    accepted: (n) => counts.accepted(n),
    sent: (n, ms) => {
      counts.sent(n, ms);
      metrics.receiverSent(name, n, ms);
    },
    failed: (reason, n) => {
      counts.failed(reason, n);
      metrics.receiverFailed(name, reason, n);
    },
    retried: (n) => {
      counts.retried(n);
      metrics.receiverRetried(name, 'serverError');
    },
    deadLettered: (reason, n) => {
      counts.deadLettered(reason, n);
      metrics.receiverDeadLettered(name, reason, n);
    },
    batchSize: (n) => metrics.receiverBatch(name, n),
    settled: (event, outcome) => counts.settled(event, outcome),
  };
  return { clock: new ManualClock(), logText: () => text, logger, metrics, counts, observer };
}

function build(started: StartedEntry, config: ReceiverConfig, cap: Capture): Receiver {
  const ctx = { clock: cap.clock, logger: cap.logger.child({ receiver: config.name }) };
  return started.create?.(config, ctx) ?? createReceiver(config, ctx);
}

function loadEntryConfig(entry: ConformanceEntry, started: StartedEntry): ReceiverConfig {
  return receiverFromYaml(started.receiverYaml, { ...entry.env });
}

/** Pushes `events` through a real Output and moves the clock whenever it waits (batch interval, Retry-After, pacing). */
async function runOutput(
  config: ReceiverConfig,
  receiver: Receiver,
  cap: Capture,
  deadLetterPath: string | undefined,
  n: number,
): Promise<void> {
  const deadLetter = createDeadLetterWriter({ path: deadLetterPath, clock: cap.clock, logger: cap.logger });
  const output = createOutput(config, {
    receiver,
    deadLetter,
    clock: cap.clock,
    logger: cap.logger,
    observer: cap.observer,
    random: () => 0.5,
  });
  const events = GOLDEN_SAMPLE_INDEXES.slice(0, n).map((i) => at(realEvents(), i));
  for (const event of events) await output.push(event);
  for (let steps = 0; cap.counts.settledN < events.length; steps++) {
    assert.ok(steps < 5_000, `${config.name}: no progress (${cap.counts.settledN}/${events.length} settled)`);
    await until(
      () => cap.counts.settledN >= events.length || cap.clock.timers > 0,
      'the output to send or wait',
    );
    if (cap.counts.settledN < events.length) await cap.clock.advance(250);
  }
  await output.drain(cap.clock.now() + 60_000);
}

function assertNoSecret(entry: ConformanceEntry, where: string, text: string): void {
  for (const secret of entry.secrets) {
    assert.ok(
      !text.includes(secret),
      `${entry.type}: secret "${secret.slice(0, 3)}…" appears in ${where}:\n${text.slice(0, 2000)}`,
    );
  }
}

function errorText(result: SendResult): string {
  switch (result.kind) {
    case 'ok':
      return '';
    case 'retry':
    case 'drop':
      return `${result.error.message}\n${result.error.stack ?? ''}`;
    case 'partial':
      return result.drop.map((d) => d.error.message).join('\n');
  }
}

// --- The suite -------------------------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), 'ker-conformance-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('receiver conformance: coverage', () => {
  it('every registered type has an entry in test/receivers/conformance/<type>.ts', () => {
    const missing = RECEIVER_SPECS.map((s) => s.type).filter((type) => !entries.has(type));
    assert.deepEqual(
      missing,
      [],
      `add conformance/<type>.ts exporting \`entry\` (see conformance/README.md) for: ${missing.join(', ')}`,
    );
  });

  it('every entry is a registered type and names its own type', () => {
    const registered = new Set(RECEIVER_SPECS.map((s) => s.type));
    for (const [file, entry] of entries) {
      assert.equal(entry.type, file, `conformance/${file}.ts declares type "${entry.type}"`);
      assert.ok(registered.has(file), `conformance/${file}.ts: "${file}" is not in RECEIVER_SPECS`);
    }
  });

  it('config.example.yaml passes `check`', () => {
    const out = execFileSync('./bin/kube-event-router', ['check', '-c', 'config.example.yaml'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.match(out, /config\.example\.yaml: OK/);
  });
});

for (const spec of RECEIVER_SPECS) {
  const entry = entries.get(spec.type);
  if (entry === undefined) continue;
  describe(`receiver conformance: ${spec.type}`, () => {
    it('has an example in config.example.yaml that loads', async () => {
      const { config } = await loadConfigFile(new URL('config.example.yaml', ROOT).pathname, {});
      assert.ok(
        config.receivers.some((r) => r.type === spec.type),
        `config.example.yaml has no ${spec.type} receiver`,
      );
    });

    it(`sends the golden payloads for ${GOLDEN_SAMPLE_INDEXES.length} real events`, async () => {
      const started = await entry.start();
      try {
        started.answer('ok');
        const config = loadEntryConfig(entry, started);
        const cap = capture(config.name);
        await runOutput(config, build(started, config, cap), cap, undefined, GOLDEN_SAMPLE_INDEXES.length);
        assert.equal(
          cap.counts.count('delivered'),
          GOLDEN_SAMPLE_INDEXES.length,
          `dead-lettered: ${cap.logText()}`,
        );
        const received = await started.takeReceived();
        const goldenFile = new URL(`${spec.type}.ndjson`, GOLDEN_DIR);
        const text = received.map((v) => JSON.stringify(v)).join('\n') + '\n';
        if (UPDATE) writeFileSync(goldenFile, text);
        assert.ok(existsSync(goldenFile), `no golden file; record it with UPDATE_GOLDEN=1`);
        const golden = readFileSync(goldenFile, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as unknown);
        assert.deepEqual(
          received,
          golden,
          `differs from golden/${spec.type}.ndjson (UPDATE_GOLDEN=1 records it again)`,
        );
      } finally {
        await started.close();
      }
    });

    entry.answers.forEach((row, index) => {
      it(`answer → action: ${row.scenario} → ${row.expected}${row.retryAfterMs === undefined ? '' : ` after ${row.retryAfterMs} ms`}`, async () => {
        const started = await entry.start();
        try {
          started.answer(index);
          const config = loadEntryConfig(entry, started);
          // The direct answer: classification and the error text.
          const direct = capture(config.name);
          const receiver = build(started, config, direct);
          const payload = createRenderer(config)(at(realEvents(), at(GOLDEN_SAMPLE_INDEXES, 0)));
          const result = await receiver.send([payload], new AbortController().signal);
          await receiver.close();
          assert.equal(result.kind, row.expected, `${row.scenario}: ${errorText(result)}`);
          if (result.kind === 'retry') {
            assert.equal(result.retryAfterMs, row.retryAfterMs, 'retryAfterMs');
          }
          if ((result.kind === 'retry' || result.kind === 'drop') && row.reason !== undefined)
            assert.equal(result.reason, row.reason);
          assertNoSecret(entry, 'the SendResult error', errorText(result));
          assertNoSecret(entry, 'a log line', direct.logText());

          // Through a real output, one attempt, so a failure reaches the log, the dead letter and the metrics.
          const cap = capture(config.name);
          const dlq = join(work, `${spec.type}-${index}.ndjson`);
          const once = { ...config, retry: { ...config.retry, maxAttempts: 1 } };
          await runOutput(once, build(started, once, cap), cap, dlq, 1);
          const outcome = row.expected === 'ok' ? 'delivered' : 'deadLettered';
          assert.equal(cap.counts.count(outcome), 1, `${row.scenario}: expected ${outcome}`);
          assertNoSecret(entry, 'a log line', cap.logText());
          assertNoSecret(entry, 'the metrics', await cap.metrics.text());
          const deadLines = existsSync(dlq) ? readFileSync(dlq, 'utf8') : '';
          assert.equal(deadLines !== '', row.expected !== 'ok', 'dead-letter file');
          assertNoSecret(entry, 'a dead-letter line', deadLines);
        } finally {
          await started.close();
        }
      });
    });
  });
}
