// The checkpoint is read at start; an API server that is not up yet is waited out (as the watch
// waits), never a crash at start and never a silent start without the checkpoint.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import { untilAnswered } from '../../src/app/ha.ts';
import { CheckpointError } from '../../src/kube/checkpoint.ts';
import { ManualClock } from '../../src/util/clock.ts';

function collectingLogger(): { logger: pino.Logger; lines: { level: number; msg: string }[] } {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

describe('reading the checkpoint at start', () => {
  it('waits out connection errors with backoff, warning once, then returns what the store answered', async () => {
    const clock = new ManualClock();
    const { logger, lines } = collectingLogger();
    let calls = 0;
    const answer = untilAnswered(
      () => {
        calls += 1;
        if (calls <= 3) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6443'));
        return Promise.resolve('checkpoint');
      },
      clock,
      logger,
    );
    // Backoff bounds grow 1 s, 2 s, 4 s: 7 s of clock time covers every wait.
    await clock.advance(7_000);
    assert.equal(await answer, 'checkpoint');
    assert.equal(calls, 4);
    const warnings = lines.filter((l) => l.level === 40);
    assert.deepEqual(
      warnings.map((l) => l.msg),
      ['The Kubernetes API is not answering; the checkpoint is read once it does.'],
    );
  });

  it('passes an answer that is an error (forbidden, unreadable) straight to the caller', async () => {
    const { logger } = collectingLogger();
    let calls = 0;
    await assert.rejects(
      untilAnswered(
        () => {
          calls += 1;
          return Promise.reject(new CheckpointError('read configmap ns/x: HTTP 403'));
        },
        new ManualClock(),
        logger,
      ),
      CheckpointError,
    );
    assert.equal(calls, 1);
  });
});
