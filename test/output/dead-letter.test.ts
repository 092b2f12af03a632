import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createDeadLetterWriter, deadLetterLine } from '../../src/output/dead-letter.ts';
import { createOutput } from '../../src/output/output.ts';
import type { SendResult } from '../../src/receivers/types.ts';
import { SendError } from '../../src/receivers/types.ts';
import { enhancedEventJson } from '../../src/template/index.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { at, memoryLogger, oneEvent, receiverFromYaml, ScriptedReceiver, someEvents } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'ker-dead-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('dead-letter file', () => {
  it('holds one line per event: time, receiver, reason, error, attempts, the raw event and the payload', async () => {
    const path = join(dir, 'nested', 'dead.ndjson');
    const clock = new ManualClock(Date.UTC(2026, 2, 4, 5, 6, 7, 89));
    const drop: SendResult = {
      kind: 'drop',
      reason: 'clientError',
      error: new SendError('HTTP 400: bad', 400),
    };
    const receiver = new ScriptedReceiver(() => clock.now(), [drop]);
    const config = receiverFromYaml(`- name: hook\n  stdout: {}\n  deadLetter: { path: ${path} }`);
    const { logger } = memoryLogger();
    const deadLetter = createDeadLetterWriter({ path, clock, logger });
    const output = createOutput(config, { receiver, deadLetter, clock, logger });
    const events = someEvents(3);
    for (const e of events) await output.push(e);
    await output.drain(clock.now() + 1000);
    const lines = readFileSync(path, 'utf8').split('\n');
    assert.equal(lines.pop(), '', 'ends with a newline');
    assert.equal(lines.length, 3);
    lines.forEach((line, i) => {
      const record = JSON.parse(line) as Record<string, unknown>;
      assert.deepEqual(Object.keys(record), [
        'time',
        'receiver',
        'reason',
        'error',
        'attempts',
        'event',
        'payload',
      ]);
      assert.equal(record.time, '2026-03-04T05:06:07.089Z');
      assert.equal(record.receiver, 'hook');
      assert.equal(record.reason, 'clientError');
      assert.equal(record.error, 'HTTP 400: bad');
      assert.equal(record.attempts, 1);
      assert.deepEqual(record.event, JSON.parse(JSON.stringify(events[i]?.raw)));
      assert.deepEqual(
        record.payload,
        JSON.parse(enhancedEventJson(at(events, i))),
        'the payload is embedded as JSON',
      );
    });
  });

  it('writes payload null when the event could not be rendered', () => {
    const line = deadLetterLine(
      {
        receiver: 'r',
        reason: 'renderError',
        error: 'layout: boom',
        attempts: 0,
        event: oneEvent().raw,
        payload: undefined,
      },
      0,
    );
    assert.equal((JSON.parse(line) as { payload: unknown }).payload, null);
  });

  it('appends across writers and keeps order under a burst', async () => {
    const path = join(dir, 'burst.ndjson');
    const clock = new ManualClock();
    const writer = createDeadLetterWriter({ path, clock, logger: memoryLogger().logger });
    const events = someEvents(500);
    for (const [i, e] of events.entries()) {
      writer.write({
        receiver: 'r',
        reason: 'queueFull',
        error: String(i),
        attempts: 0,
        event: e.raw,
        payload: '{}',
      });
    }
    await writer.flush();
    const again = createDeadLetterWriter({ path, clock, logger: memoryLogger().logger });
    again.write({
      receiver: 'r',
      reason: 'shutdown',
      error: 'last',
      attempts: 0,
      event: at(events, 0).raw,
      payload: '{}',
    });
    await again.flush();
    const errors = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { error: string }).error);
    assert.deepEqual(errors, [...events.map((_, i) => String(i)), 'last']);
  });

  it('logs a write failure with how many events were lost', async () => {
    const log = memoryLogger();
    const notADir = join(dir, 'plain-file');
    writeFileSync(notADir, '');
    const writer = createDeadLetterWriter({
      path: join(notADir, 'dead.ndjson'),
      clock: new ManualClock(),
      logger: log.logger,
    });
    writer.write({
      receiver: 'r',
      reason: 'queueFull',
      error: 'x',
      attempts: 0,
      event: oneEvent().raw,
      payload: '{}',
    });
    await writer.flush();
    assert.equal(log.lines[0]?.msg, 'Cannot write to the dead-letter file; events lost.');
    assert.equal(log.lines[0]?.lost, 1);
  });
});

describe('dead letter without a path', () => {
  it('logs the first event of each receiver and reason only', () => {
    const log = memoryLogger();
    const writer = createDeadLetterWriter({ clock: new ManualClock(), logger: log.logger });
    const event = oneEvent().raw;
    const records = [
      ['a', 'queueFull'],
      ['a', 'queueFull'],
      ['a', 'serverError'],
      ['b', 'queueFull'],
      ['a', 'serverError'],
    ] as const;
    for (const [receiver, reason] of records)
      writer.write({ receiver, reason, error: 'e', attempts: 1, event, payload: '{}' });
    assert.deepEqual(
      log.lines.map((l) => [l.receiver, l.reason]),
      [
        ['a', 'queueFull'],
        ['a', 'serverError'],
        ['b', 'queueFull'],
      ],
    );
    assert.ok(
      log.lines.every((l) => !('payload' in l) && !('event' in l)),
      'no event content in the log',
    );
  });
});
