import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { createDeadLetterWriter, deadLetterLine } from '../../src/output/dead-letter.ts';
import { createOutput } from '../../src/output/output.ts';
import type { SendResult } from '../../src/receivers/common/types.ts';
import { SendError } from '../../src/receivers/common/types.ts';
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

  it('sends what the file cannot take to stderr, and says so once', async () => {
    const log = memoryLogger();
    const notADir = join(dir, 'plain-file');
    writeFileSync(notADir, '');
    const stderr = new Collector();
    const writer = createDeadLetterWriter({
      path: join(notADir, 'dead.ndjson'),
      clock: new ManualClock(),
      logger: log.logger,
      stderr,
    });
    for (const error of ['x', 'y']) {
      writer.write({
        receiver: 'r',
        reason: 'queueFull',
        error,
        attempts: 0,
        event: oneEvent().raw,
        payload: '{}',
      });
      await writer.flush();
    }
    assert.deepEqual(
      stderr.records().map((r) => [r.msg, r.receiver, r.reason, r.error]),
      [
        ['Dead letter.', 'r', 'queueFull', 'x'],
        ['Dead letter.', 'r', 'queueFull', 'y'],
      ],
    );
    assert.deepEqual(
      log.lines.map((l) => l.msg),
      ['Cannot write to the dead-letter file; writing dead letters to stderr until it works again.'],
    );
  });

  it('rotates at maxBytes and keeps maxFiles rotated files', async () => {
    const rotDir = mkdtempSync(join(dir, 'rotate-'));
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const writer = createDeadLetterWriter({
      path: join(rotDir, 'dead.ndjson'),
      maxBytes: 4000,
      maxFiles: 2,
      clock,
      logger: memoryLogger().logger,
    });
    for (const [i, e] of someEvents(40).entries()) {
      clock.advance(1);
      writer.write({
        receiver: 'r',
        reason: 'serverError',
        error: String(i),
        attempts: 1,
        event: e.raw,
        payload: '{}',
      });
      await writer.flush();
    }
    const files = readdirSync(rotDir).sort();
    assert.equal(files.length, 3, `the current file and 2 rotated ones: ${files.join(', ')}`);
    for (const f of files) assert.ok(statSync(join(rotDir, f)).size <= 4000, `${f} within maxBytes`);
    const last = readFileSync(join(rotDir, 'dead.ndjson'), 'utf8').trim().split('\n');
    assert.equal((JSON.parse(last.at(-1) ?? '{}') as { error: string }).error, '39');
  });
});

describe('dead letter without a path', () => {
  const record = (receiver: string, error: string) =>
    ({
      receiver,
      reason: 'serverError',
      error,
      attempts: 3,
      event: oneEvent().raw,
      payload: '{"a":1}',
    }) as const;

  it('goes to the default file when the dead-letter volume is there', async () => {
    const volume = mkdtempSync(join(dir, 'volume-'));
    const writer = createDeadLetterWriter({
      clock: new ManualClock(),
      logger: memoryLogger().logger,
      defaultDir: volume,
    });
    assert.equal(writer.description, `file ${join(volume, 'dead-letter.ndjson')}`);
    writer.write(record('a', 'e1'));
    await writer.flush();
    const line = JSON.parse(readFileSync(join(volume, 'dead-letter.ndjson'), 'utf8')) as Record<
      string,
      unknown
    >;
    assert.deepEqual([line.receiver, line.error, line.payload], ['a', 'e1', { a: 1 }]);
  });

  it('writes one JSON line per event to stderr when there is no volume', () => {
    const stderr = new Collector();
    const writer = createDeadLetterWriter({
      clock: new ManualClock(),
      logger: memoryLogger().logger,
      defaultDir: join(dir, 'no-such-volume'),
      stderr,
    });
    assert.equal(writer.description, 'stderr');
    for (const [receiver, error] of [
      ['a', 'e1'],
      ['a', 'e2'],
      ['b', 'e3'],
    ] as const)
      writer.write(record(receiver, error));
    const lines = stderr.records();
    assert.deepEqual(
      lines.map((l) => [l.msg, l.receiver, l.reason, l.error, l.attempts]),
      [
        ['Dead letter.', 'a', 'serverError', 'e1', 3],
        ['Dead letter.', 'a', 'serverError', 'e2', 3],
        ['Dead letter.', 'b', 'serverError', 'e3', 3],
      ],
    );
    assert.ok(
      lines.every((l) => typeof l.event === 'object' && l.event !== null),
      'each line holds the event',
    );
  });
});

/** A stream that keeps what is written to it, as stderr would. */
class Collector extends Writable {
  private text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
  records(): Record<string, unknown>[] {
    return this.text
      .trim()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}
