import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RawEvent } from '../../src/event/event.ts';
import { SettleTracker } from '../../src/event/settle-tracker.ts';
import {
  Checkpointer,
  CheckpointError,
  parseCheckpoint,
  type Checkpoint,
  type CheckpointStore,
} from '../../src/kube/checkpoint.ts';
import { resumeFilter } from '../../src/kube/checkpoint-resume.ts';
import { createFileStore } from '../../src/kube/checkpoint-stores.ts';
import { ManualClock } from '../../src/util/clock.ts';

const T = Date.UTC(2026, 0, 1, 12, 0, 0);
const at = (ms: number): RawEvent =>
  ({
    metadata: { uid: 'u', name: 'n', namespace: 'ns' },
    lastTimestamp: new Date(ms).toISOString(),
  }) as unknown as RawEvent;

describe('resumeFilter', () => {
  const checkpoint: Checkpoint = {
    highWaterMs: T,
    boundaryKeys: ['done-at-mark/1', 'done-in-skew/2', 'done-above/1'],
    writtenAt: '',
  };
  const cases: {
    name: string;
    checkpoint: Checkpoint | undefined;
    seenMs: number;
    key: string;
    pass: boolean;
  }[] = [
    {
      name: 'no checkpoint: everything',
      checkpoint: undefined,
      seenMs: T - 3_600_000,
      key: 'x/1',
      pass: true,
    },
    {
      name: 'checkpoint without a mark: everything',
      checkpoint: { boundaryKeys: [], writtenAt: '' },
      seenMs: T - 3_600_000,
      key: 'x/1',
      pass: true,
    },
    { name: 'after the mark', checkpoint, seenMs: T + 1, key: 'x/1', pass: true },
    { name: 'after the mark but known done', checkpoint, seenMs: T + 500, key: 'done-above/1', pass: false },
    { name: 'at the mark, unknown (clock skew)', checkpoint, seenMs: T, key: 'x/1', pass: true },
    { name: 'at the mark, a boundary key', checkpoint, seenMs: T, key: 'done-at-mark/1', pass: false },
    { name: 'within the skew allowance, unknown', checkpoint, seenMs: T - 1999, key: 'x/1', pass: true },
    {
      name: 'within the skew allowance, a boundary key',
      checkpoint,
      seenMs: T - 1500,
      key: 'done-in-skew/2',
      pass: false,
    },
    {
      name: 'a later count of a boundary Event',
      checkpoint,
      seenMs: T - 1500,
      key: 'done-in-skew/3',
      pass: true,
    },
    { name: 'exactly the skew below the mark', checkpoint, seenMs: T - 2000, key: 'x/1', pass: false },
    { name: 'long before the mark', checkpoint, seenMs: T - 600_000, key: 'x/1', pass: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(resumeFilter(c.checkpoint, { skewMs: 2000 })(at(c.seenMs), c.key), c.pass);
    });
  }

  it('with no skew allowance only the boundary keys guard the mark', () => {
    const filter = resumeFilter(checkpoint, { skewMs: 0 });
    assert.deepEqual(
      [filter(at(T), 'x/1'), filter(at(T + 1), 'x/1'), filter(at(T + 1), 'done-above/1')],
      [false, true, false],
    );
  });
});

describe('parseCheckpoint', () => {
  it('reads what was written', () => {
    const written: Checkpoint = {
      resourceVersion: '1234',
      highWaterMs: T,
      boundaryKeys: ['a/1'],
      writtenAt: '2026-01-01T12:00:05.000Z',
    };
    assert.deepEqual(parseCheckpoint(JSON.stringify(written)), written);
  });
  for (const [what, text] of [
    ['not JSON', '{'],
    ['not an object', '[]'],
    ['a bad mark', '{"highWaterMs":"soon","boundaryKeys":[]}'],
    ['bad keys', '{"boundaryKeys":[1]}'],
    ['a numeric resourceVersion', '{"resourceVersion":12,"boundaryKeys":[]}'],
  ] as const) {
    it(`rejects ${what}`, () => assert.throws(() => parseCheckpoint(text), CheckpointError));
  }
});

class MemoryStore implements CheckpointStore {
  readonly description = 'memory';
  readonly writes: Checkpoint[] = [];
  failing = false;
  read(): Promise<Checkpoint | undefined> {
    return Promise.resolve(this.writes.at(-1));
  }
  write(checkpoint: Checkpoint): Promise<void> {
    if (this.failing) return Promise.reject(new Error('down'));
    this.writes.push(checkpoint);
    return Promise.resolve();
  }
}

describe('Checkpointer', () => {
  function setup(options: { previous?: Checkpoint; canWrite?: () => boolean } = {}) {
    const clock = new ManualClock(T);
    const store = new MemoryStore();
    const tracker = new SettleTracker({ windowMs: 2000 });
    let position: string | undefined = '100';
    const cp = new Checkpointer({
      store,
      clock,
      intervalMs: 5000,
      snapshot: () => tracker.snapshot(),
      position: () => position,
      ...options,
    });
    return { clock, store, tracker, cp, setPosition: (rv: string) => (position = rv) };
  }

  it('writes at most every interval, and only when something changed', async () => {
    const { clock, store, tracker, cp } = setup();
    cp.start();
    tracker.accepted('a/1', T - 1000, ['x']);
    tracker.settled('a/1', 'x');
    await clock.advance(4999);
    assert.equal(store.writes.length, 0);
    await clock.advance(1);
    assert.equal(store.writes.length, 1);
    await clock.advance(20_000);
    assert.equal(store.writes.length, 1, 'nothing changed');
    assert.deepEqual(store.writes[0], {
      resourceVersion: '100',
      highWaterMs: T - 1000,
      boundaryKeys: ['a/1'],
      writtenAt: new Date(T + 5000).toISOString(),
    });
  });

  it('keeps the last position at which nothing was pending', async () => {
    const { clock, store, tracker, cp, setPosition } = setup();
    cp.start();
    tracker.accepted('a/1', T, ['x']);
    setPosition('200');
    tracker.accepted('b/1', T + 1, ['x']);
    tracker.settled('b/1', 'x');
    await clock.advance(5000);
    assert.equal(store.writes.at(-1)?.resourceVersion, undefined, 'a/1 still pending at every sample');
    tracker.settled('a/1', 'x');
    setPosition('300');
    await clock.advance(5000);
    assert.equal(store.writes.at(-1)?.resourceVersion, '300');
    assert.equal(store.writes.at(-1)?.highWaterMs, T + 1);
  });

  it('flush() writes at once on shutdown; a previous checkpoint is kept until a new mark exists', async () => {
    const previous: Checkpoint = {
      resourceVersion: '50',
      highWaterMs: T - 60_000,
      boundaryKeys: ['old/1'],
      writtenAt: '',
    };
    const { store, tracker, cp } = setup({ previous });
    tracker.accepted('a/1', T, ['x']);
    await cp.flush();
    assert.equal(store.writes.length, 0, 'same content as the previous run stored');
    tracker.settled('a/1', 'x');
    await cp.flush();
    assert.deepEqual(
      store.writes.map((w) => [w.resourceVersion, w.highWaterMs, w.boundaryKeys]),
      [['100', T, ['a/1']]],
    );
  });

  it('writes nothing while canWrite says no (not the leader), and retries failed writes', async () => {
    let leader = false;
    const { clock, store, tracker, cp } = setup({ canWrite: () => leader });
    cp.start();
    tracker.accepted('a/1', T, ['x']);
    tracker.settled('a/1', 'x');
    await clock.advance(10_000);
    assert.equal(store.writes.length, 0);
    leader = true;
    store.failing = true;
    await clock.advance(5000);
    assert.equal(store.writes.length, 0);
    store.failing = false;
    await clock.advance(5000);
    assert.equal(store.writes.length, 1);
  });
});

describe('file store', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'checkpoint-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads nothing before the first write, then what was written', async () => {
    const store = createFileStore(join(dir, 'a.json'));
    assert.equal(await store.read(), undefined);
    const cp: Checkpoint = { highWaterMs: T, boundaryKeys: ['a/1'], writtenAt: 'w' };
    await store.write(cp);
    assert.deepEqual(await store.read(), cp);
  });

  it('a reader never sees a partial file while writes race it', async () => {
    const path = join(dir, 'race.json');
    const store = createFileStore(path);
    const big = (n: number): Checkpoint => ({
      highWaterMs: T + n,
      boundaryKeys: Array.from({ length: 5000 }, (_, i) => `uid-${n}-${i}/1`),
      writtenAt: String(n),
    });
    await store.write(big(0));
    let writing = true;
    let reads = 0;
    const reader = (async () => {
      while (writing) {
        const got = parseCheckpoint(await readFile(path, 'utf8'));
        assert.equal(got.boundaryKeys.length, 5000);
        reads++;
      }
    })();
    for (let n = 1; n <= 40; n++) await store.write(big(n));
    writing = false;
    await reader;
    assert.ok(reads > 0);
    assert.equal((await store.read())?.highWaterMs, T + 40);
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  it('a failed write leaves the old checkpoint and no temp file', async () => {
    const target = join(dir, 'is-a-dir');
    await mkdir(target);
    await writeFile(join(target, 'keep'), 'x');
    const store = createFileStore(target);
    await assert.rejects(store.write({ boundaryKeys: [], writtenAt: '' }), CheckpointError);
    assert.deepEqual(await readdir(target), ['keep']);
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  it('an unreadable checkpoint is an error, not a fresh start by accident', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{"boundaryKeys": 3}');
    await assert.rejects(createFileStore(path).read(), CheckpointError);
  });
});
