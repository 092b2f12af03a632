// The pipe receiver against real named pipes (mkfifo) read by this process, and files: one JSON
// line per event, no reader = retried, a reader that goes away and comes back is picked up, a
// stuck reader never holds a shutdown; the real events replayed through an Output and `run`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { constants, mkdtempSync, open, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { startApp } from '../../src/app/app.ts';
import { createRenderer } from '../../src/output/payload.ts';
import { createReceiver } from './create-receiver.ts';
import type { Payload, Receiver, SendResult } from '../../src/receivers/common/types.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { memoryLogger, realEvents, receiverFromYaml, someEvents, until } from '../output/helpers.ts';
import { REAL_EVENTS_PATH } from '../support/real-events.ts';
import { replay } from './aws/replay.ts';

const root = mkdtempSync(join(tmpdir(), 'ker-pipe-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const openFd = promisify(open);
const signal = new AbortController().signal;

function fifo(): string {
  const path = join(root, `fifo-${n++}`);
  execFileSync('mkfifo', [path]);
  return path;
}

/**
 * A reader of a named pipe in this process. Opened read-write, which Linux allows for a FIFO
 * without blocking: read-only, it would see end-of-file at once while no writer is connected
 * (a shell's `cat` blocks in open() instead). Closing it leaves the pipe without a reader.
 */
class Reader {
  text = '';
  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.text += d.toString('utf8');
    });
    socket.on('error', () => undefined);
  }

  static async open(path: string): Promise<Reader> {
    const fd = await openFd(path, constants.O_RDWR | constants.O_NONBLOCK);
    return new Reader(new Socket({ fd, readable: true, writable: false }));
  }

  lines(): string[] {
    return this.text.split('\n').filter((l) => l !== '');
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.destroy();
    });
  }
}

function pipe(
  path: string,
  extra = '',
): { receiver: Receiver; render: (n: number, offset?: number) => Payload[]; logs: () => string } {
  const config = receiverFromYaml(`- name: p\n  pipe: { path: "${path}"${extra} }`);
  const { logger, text } = memoryLogger();
  const receiver = createReceiver(config, { clock: new ManualClock(), logger });
  return {
    receiver,
    render: (count, offset = 0) => someEvents(count, offset).map(createRenderer(config)),
    logs: text,
  };
}

function summary(result: SendResult): unknown[] {
  if (result.kind === 'ok') return ['ok'];
  if (result.kind === 'partial') return ['partial', result.reason];
  return [result.kind, result.reason, result.error.message];
}

describe('pipe config', () => {
  it("accepts the exporter's config (path, deDot, layout); a path is required", () => {
    const config = receiverFromYaml(
      '- name: my_pipe\n  pipe:\n    path: "/dev/stdout"\n    deDot: true\n    layout: { r: "{{ .Reason }}" }',
    );
    assert.equal(config.type, 'pipe');
    assert.throws(() => receiverFromYaml('- name: p\n  pipe: { deDot: true }'), /pipe\.path/);
  });
});

describe('pipe to a file', () => {
  it('truncates at the first open, as the exporter, then writes one JSON line per event; deDot and layout apply', async () => {
    const path = join(root, `file-${n++}.ndjson`);
    writeFileSync(path, 'left from the last run\n');
    const event = realEvents().find((e) =>
      Object.keys(e.raw.metadata.labels ?? {}).some((k) => k.includes('.')),
    );
    const { receiver, render } = pipe(path, ', deDot: true');
    const batch = render(3);
    assert.deepEqual(await receiver.send(batch, signal), { kind: 'ok' });
    await receiver.close();
    assert.deepEqual(readFileSync(path, 'utf8'), batch.map((p) => `${p.body}\n`).join(''));
    if (event !== undefined) {
      const config = receiverFromYaml(`- name: p\n  pipe: { path: "${path}", deDot: true }`);
      const labels = (JSON.parse(createRenderer(config)(event).body) as { metadata: { labels: object } })
        .metadata.labels;
      assert.ok(!Object.keys(labels).some((k) => k.includes('.')));
    }
  });
});

describe('pipe to a named pipe', () => {
  it('with no reader yet: a retry naming the cause (the router starts anyway); once a reader opens, the lines arrive', async () => {
    const path = fifo();
    const { receiver, render } = pipe(path);
    assert.deepEqual(summary(await receiver.send(render(1), signal)), [
      'retry',
      'ioError',
      `cannot open ${path}: no process has the named pipe open for reading`,
    ]);
    const reader = await Reader.open(path);
    const batch = render(5);
    assert.deepEqual(await receiver.send(batch, signal), { kind: 'ok' });
    await until(() => reader.lines().length === 5, 'the reader to get 5 lines');
    assert.deepEqual(
      reader.lines(),
      batch.map((p) => p.body),
    );
    await receiver.close();
    await reader.close();
  });

  it('a reader that goes away is a retry (EPIPE); a new reader gets the next lines, the pipe reopened', async () => {
    const path = fifo();
    const first = await Reader.open(path);
    const { receiver, render, logs } = pipe(path);
    assert.deepEqual(await receiver.send(render(2), signal), { kind: 'ok' });
    await until(() => first.lines().length === 2, 'two lines');
    await first.close();
    const gone = summary(await receiver.send(render(2, 2), signal));
    assert.deepEqual(gone.slice(0, 2), ['retry', 'ioError']);
    assert.match(String(gone[2]), /cannot write to .*EPIPE/);
    const second = await Reader.open(path);
    const batch = render(2, 2);
    assert.deepEqual(await receiver.send(batch, signal), { kind: 'ok' });
    await until(() => second.lines().length === 2, 'two lines again');
    assert.deepEqual(
      second.lines(),
      batch.map((p) => p.body),
    );
    assert.match(logs(), /Pipe reopened\./);
    await receiver.close();
    await second.close();
  });

  it('a reader that stops reading holds the send (back-pressure) but not a shutdown', async () => {
    const path = fifo();
    const reader = await Reader.open(path);
    reader.socket.pause();
    const { receiver } = pipe(path);
    // Far more than a pipe buffer (64 KiB on Linux): the write cannot complete while nobody reads.
    const body = JSON.stringify({ pad: 'x'.repeat(100_000) });
    const big = Array.from({ length: 20 }, (_, i): Payload => ({
      id: `b-${i}`,
      body,
      bytes: body.length,
      templated: {},
    }));
    const abort = new AbortController();
    let settled = false;
    const sending = receiver.send(big, abort.signal).finally(() => (settled = true));
    // Give the event loop many turns (I/O, no timers): a write that could complete would have.
    for (let turn = 0; turn < 100; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(settled, false, 'the send waits for the reader');
    abort.abort();
    assert.deepEqual(summary(await sending).slice(0, 2), ['retry', 'shutdown']);
    await receiver.close();
    await reader.close();
  });

  it('replaying the real events through an Output: every line arrives once, in order', async () => {
    const path = fifo();
    const reader = await Reader.open(path);
    const events = realEvents();
    const result = await replay(`- name: p\n  pipe: { path: "${path}" }`, events);
    assert.equal(result.counts.count('delivered'), events.length);
    await until(() => reader.lines().length === events.length, 'every line');
    assert.deepEqual(reader.lines(), result.bodies);
    await reader.close();
  });

  it('end to end: run with the replay source writes every routed event to the pipe once', async () => {
    const path = fifo();
    const reader = await Reader.open(path);
    const routed = join(root, `routed-${n++}.ndjson`);
    const configPath = join(root, `config-${n++}.yaml`);
    writeFileSync(
      configPath,
      [
        'route: { routes: [{ match: [{ receiver: p }, { receiver: routed }] }] }',
        'receivers:',
        '  - name: p',
        `    pipe: { path: "${path}" }`,
        '  - name: routed',
        `    file: { path: "${routed}" }`,
        '',
      ].join('\n'),
    );
    const silent = new Writable({ write: (_chunk, _enc, done) => done() });
    const app = await startApp({
      configPath,
      source: { kind: 'replay', path: REAL_EVENTS_PATH },
      metricsAddress: '',
      logDestination: silent,
    });
    const result = await app.done;
    assert.equal(result.deadLettered, 0);
    const routedLines = readFileSync(routed, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    assert.ok(routedLines.length > 800, `routed ${routedLines.length}`);
    await until(() => reader.lines().length === routedLines.length, 'every routed line');
    assert.deepEqual(reader.lines(), routedLines);
    await reader.close();
  });
});
