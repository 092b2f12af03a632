// Replays real events through a real Output into an AWS receiver on a ManualClock: the
// production logger (its redaction included) and a dead-letter file are captured, so a test can
// check that every occurrence arrived once, what was retried, and that no credential leaked.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import assert from 'node:assert/strict';
import type { EnrichedEvent } from '../../../src/event/event.ts';
import { createDeadLetterWriter } from '../../../src/output/dead-letter.ts';
import { createOutput } from '../../../src/output/output.ts';
import { createRenderer } from '../../../src/output/payload.ts';
import { createReceiver } from '../create-receiver.ts';
import { createLogger } from '../../../src/telemetry/log.ts';
import { ManualClock } from '../../../src/util/clock.ts';
import { Counts, receiverFromYaml, until } from '../../output/helpers.ts';
import { AWS_TEST_CREDENTIALS } from '../aws-servers.ts';

export interface Replayed {
  readonly counts: Counts;
  /** Every log line, as the production logger wrote it. */
  readonly logText: string;
  /** The dead-letter file's records. */
  readonly deadLetters: Record<string, unknown>[];
  /** The body each event was rendered to, in push order. */
  readonly bodies: string[];
  /** The occurrence id of each event (Payload.id), in push order. */
  readonly ids: string[];
}

/** Pushes `events` through an Output for the receiver item `itemYaml` and waits until each is settled. */
export async function replay(itemYaml: string, events: readonly EnrichedEvent[]): Promise<Replayed> {
  const dir = mkdtempSync(join(tmpdir(), 'ker-aws-replay-'));
  let logText = '';
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logText += chunk.toString('utf8');
      done();
    },
  });
  try {
    const logger = createLogger({ level: 'trace', format: 'json', destination, base: null });
    const clock = new ManualClock();
    const config = receiverFromYaml(itemYaml);
    const receiver = createReceiver(config, { clock, logger: logger.child({ receiver: config.name }) });
    const counts = new Counts();
    const deadLetterPath = join(dir, 'dead.ndjson');
    const output = createOutput(config, {
      receiver,
      deadLetter: createDeadLetterWriter({ path: deadLetterPath, clock, logger }),
      clock,
      logger,
      observer: counts,
      random: () => 1,
    });
    const render = createRenderer(config);
    const payloads = events.map(render);
    const bodies = payloads.map((p) => p.body);
    const ids = payloads.map((p) => p.id);
    for (const event of events) await output.push(event);
    for (let steps = 0; counts.settledN < events.length; steps++) {
      assert.ok(steps < 10_000, `no progress (${counts.settledN}/${events.length} settled)`);
      await until(() => counts.settledN >= events.length || clock.timers > 0, 'a send or a wait');
      if (counts.settledN < events.length) await clock.advance(250);
    }
    await output.drain(clock.now() + 60_000);
    await receiver.close();
    const deadLetters = existsSync(deadLetterPath)
      ? readFileSync(deadLetterPath, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as Record<string, unknown>)
      : [];
    return { counts, logText, deadLetters, bodies, ids };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Fails when a test credential appears in `text`. */
export function assertNoCredential(where: string, text: string): void {
  for (const secret of Object.values(AWS_TEST_CREDENTIALS))
    assert.ok(!text.includes(secret), `${where} holds the credential "${secret.slice(0, 4)}…"`);
}

/** `uid-count` of an enhanced event JSON body (the occurrence id). */
export function occurrenceOf(body: string): string {
  const doc = JSON.parse(body) as { metadata?: { uid?: string }; count?: number };
  return `${doc.metadata?.uid ?? ''}-${doc.count ?? 1}`;
}

/** How many times each value occurs. */
export function tally(values: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of values) out.set(v, (out.get(v) ?? 0) + 1);
  return out;
}
