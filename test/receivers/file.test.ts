// The file receiver: JSON lines, rotation with lumberjack's semantics, in a temp dir.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { EnrichedEvent } from '../../src/event/event.ts';
import { createRenderer } from '../../src/output/payload.ts';
import { createReceiver } from './create-receiver.ts';
import { backupStamp, backupTime } from '../../src/receivers/common/rotating-file.ts';
import type { Payload, Receiver } from '../../src/receivers/common/types.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { at, memoryLogger, realEvents, receiverFromYaml } from '../output/helpers.ts';

const MiB = 1024 * 1024;
const root = mkdtempSync(join(tmpdir(), 'ker-file-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;

function fileReceiver(
  options: string,
  clock: ManualClock,
): { receiver: Receiver; dir: string; path: string; render: (e: EnrichedEvent) => Payload } {
  const dir = join(root, `d${dirs++}`);
  const path = join(dir, 'events.log');
  const config = receiverFromYaml(`- name: f\n  file: { path: ${path}${options} }`);
  return {
    receiver: createReceiver(config, { clock, logger: memoryLogger().logger }),
    dir,
    path,
    render: createRenderer(config),
  };
}

/** `n` payloads cycling through the real events, each a distinct occurrence. */
function payloads(render: (e: EnrichedEvent) => Payload, n: number): Payload[] {
  const events = realEvents();
  return Array.from({ length: n }, (_, i) => render({ ...at(events, i % events.length), occurrence: i + 1 }));
}

const signal = new AbortController().signal;

describe('backup names', () => {
  const cases: [number, string][] = [
    [Date.UTC(2026, 0, 2, 3, 4, 5, 6), '2026-01-02T03-04-05.006'],
    [Date.UTC(1999, 11, 31, 23, 59, 59, 999), '1999-12-31T23-59-59.999'],
  ];
  for (const [ms, stamp] of cases) {
    it(`${stamp} round-trips`, () => {
      assert.equal(backupStamp(ms), stamp);
      assert.equal(backupTime(`events-${stamp}.log`, 'events-', '.log'), ms);
    });
  }
  for (const name of [
    'events.log',
    'events-2026-01-02.log',
    'other-2026-01-02T03-04-05.006.log',
    'events-2026-01-02T03-04-05.006.txt',
  ]) {
    it(`${name} is not a backup of events.log`, () =>
      assert.equal(backupTime(name, 'events-', '.log'), undefined));
  }
});

describe('file receiver', () => {
  it('writes one JSON line per payload and appends to an existing file', async () => {
    const clock = new ManualClock();
    const { receiver, path, render } = fileReceiver('', clock);
    const first = payloads(render, 3);
    assert.deepEqual(await receiver.send(first, signal), { kind: 'ok' });
    await receiver.close();
    const again = createReceiver(receiverFromYaml(`- name: f\n  file: { path: ${path} }`), {
      clock,
      logger: memoryLogger().logger,
    });
    const second = payloads(render, 2);
    await again.send(second, signal);
    await again.close();
    assert.equal(readFileSync(path, 'utf8'), [...first, ...second].map((p) => `${p.body}\n`).join(''));
  });

  it('rotates before a write would pass maxsize and keeps maxbackups backups', async () => {
    const clock = new ManualClock(Date.UTC(2026, 4, 6, 7, 8, 9, 0));
    const { receiver, dir, path, render } = fileReceiver(', maxsize: 1, maxbackups: 2', clock);
    const written = payloads(render, 6000);
    for (let i = 0; i < written.length; i += 500) {
      assert.deepEqual(await receiver.send(written.slice(i, i + 500), signal), { kind: 'ok' });
      await clock.advance(1000);
    }
    await receiver.close();
    const backups = readdirSync(dir)
      .filter((f) => f !== 'events.log')
      .sort();
    assert.equal(backups.length, 2);
    for (const name of backups) assert.match(name, /^events-2026-05-06T07-08-\d\d\.000\.log$/);
    const files = [...backups.map((b) => join(dir, b)), path];
    const sizes = files.map((f) => statSync(f).size);
    assert.ok(
      sizes.every((s) => s <= MiB),
      `sizes ${sizes.join(', ')}`,
    );
    const lines = files.flatMap((f) => readFileSync(f, 'utf8').split('\n').slice(0, -1));
    const expected = written.map((p) => p.body);
    assert.deepEqual(
      lines,
      expected.slice(expected.length - lines.length),
      'what is kept is the newest, in order, no line split',
    );
    // The older backup was closed only because its next line would not fit.
    const nextLine = readFileSync(at(files, 1), 'utf8').split('\n')[0] ?? '';
    assert.ok(at(sizes, 0) + Buffer.byteLength(`${nextLine}\n`) > MiB);
  });

  it('deletes backups older than maxage days, and nothing else', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 20));
    const { receiver, dir, render } = fileReceiver(', maxage: 5', clock);
    mkdirSync(dir, { recursive: true });
    const old = `events-${backupStamp(Date.UTC(2026, 0, 8))}.log`;
    const recent = `events-${backupStamp(Date.UTC(2026, 0, 18))}.log`;
    for (const name of [old, recent, 'other.log', 'events-notastamp.log'])
      writeFileSync(join(dir, name), 'x\n');
    await receiver.send(payloads(render, 1), signal);
    await receiver.close();
    assert.deepEqual(
      readdirSync(dir).sort(),
      ['events-notastamp.log', 'events.log', recent, 'other.log'].sort(),
    );
  });

  it('rotates an existing file at open when the first write would fill it', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const { receiver, dir, path, render } = fileReceiver(', maxsize: 1', clock);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, 'y'.repeat(MiB - 100));
    const [payload] = payloads(render, 1);
    await receiver.send([payload as Payload], signal);
    await receiver.close();
    assert.deepEqual(readdirSync(dir).sort(), ['events-2026-01-01T00-00-00.000.log', 'events.log']);
    assert.equal(readFileSync(path, 'utf8'), `${(payload as Payload).body}\n`);
  });

  it('never overwrites a backup made in the same millisecond', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const { receiver, dir } = fileReceiver(', maxsize: 1', clock);
    const big = (id: string): Payload => ({
      id,
      body: JSON.stringify({ pad: 'z'.repeat(700 * 1024) }),
      bytes: 0,
      templated: {},
    });
    await receiver.send([big('a'), big('b'), big('c')], signal);
    await receiver.close();
    assert.deepEqual(readdirSync(dir).sort(), [
      'events-2026-01-01T00-00-00.000.log',
      'events-2026-01-01T00-00-00.001.log',
      'events.log',
    ]);
  });

  it('drops a line larger than maxsize and writes the others', async () => {
    const clock = new ManualClock();
    const { receiver, path, render } = fileReceiver(', maxsize: 1', clock);
    const [a, b] = payloads(render, 2) as [Payload, Payload];
    const huge: Payload = {
      id: 'huge',
      body: JSON.stringify({ pad: 'q'.repeat(MiB) }),
      bytes: 0,
      templated: {},
    };
    const result = await receiver.send([a, huge, b], signal);
    await receiver.close();
    assert.equal(result.kind, 'partial');
    if (result.kind !== 'partial') return;
    assert.deepEqual(result.retry, []);
    assert.deepEqual(
      result.drop.map((d) => [d.index, d.error.message]),
      [[1, `line of ${MiB + 11} bytes exceeds maxsize (${MiB} bytes)`]],
    );
    assert.equal(readFileSync(path, 'utf8'), `${a.body}\n${b.body}\n`);
  });

  it('asks for a retry when the file cannot be written', async () => {
    const clock = new ManualClock();
    const blocker = join(root, 'not-a-dir');
    writeFileSync(blocker, '');
    const config = receiverFromYaml(`- name: f\n  file: { path: ${join(blocker, 'events.log')} }`);
    const receiver = createReceiver(config, { clock, logger: memoryLogger().logger });
    const result = await receiver.send(payloads(createRenderer(config), 2), signal);
    assert.equal(result.kind === 'retry' ? result.reason : result.kind, 'ioError');
    assert.match(
      result.kind === 'retry' ? result.error.message : '',
      /^cannot write: EEXIST: file already exists, mkdir /,
    );
  });
});
