// Generated watch-stream lines for the watch fuzz: each is `bad` (must be counted as malformed
// and skipped), `good` (a readable Event the router must deliver once) or `ignored` (a line
// the protocol allows and that carries no event, e.g. a BOOKMARK).
import { Rng } from './rng.ts';

export { realEventObjects } from '../support/real-events.ts';

export type Expect = 'bad' | 'good' | 'ignored';

export interface WatchCase {
  readonly name: string;
  readonly line: string;
  readonly expect: Expect;
  /** The uid a good case must arrive under. */
  readonly uid?: string;
}

type Obj = Record<string, unknown>;

export function nowStamp(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/** A real event made fresh (timestamps now, so maxEventAgeSeconds keeps it) under a new uid, without a resourceVersion of another cluster. */
export function freshEvent(base: Obj, uid: string): Obj {
  const e = structuredClone(base);
  const meta: Obj = { ...(e['metadata'] as Obj), uid, name: `fuzz.${uid}`, creationTimestamp: nowStamp() };
  delete meta['resourceVersion'];
  delete meta['managedFields'];
  e['metadata'] = meta;
  e['lastTimestamp'] = nowStamp();
  e['firstTimestamp'] = nowStamp();
  if (typeof e['eventTime'] === 'string')
    e['eventTime'] = new Date()
      .toISOString()
      .replace('Z', '000Z')
      .replace(/(\.\d{6})\d*Z$/, '$1Z');
  e['count'] = 1;
  return e;
}

const line = (type: unknown, object: unknown): string => JSON.stringify({ type, object });

type Mutation = (e: Obj, rng: Rng) => { expect: Expect; line: string };

function setPath(e: Obj, path: string, value: unknown): Obj {
  const steps = path.split('.');
  let node = e;
  for (const step of steps.slice(0, -1)) {
    if (typeof node[step] !== 'object' || node[step] === null || Array.isArray(node[step])) node[step] = {};
    node = node[step] as Obj;
  }
  node[steps[steps.length - 1] as string] = value;
  return e;
}

const WRONG_TYPES: readonly [string, unknown][] = [
  ['count', '5'],
  ['count', 1.5],
  ['count', {}],
  ['count', [1]],
  ['count', true],
  ['metadata', []],
  ['metadata', 'meta'],
  ['metadata', null],
  ['metadata', 7],
  ['metadata.name', 5],
  ['metadata.uid', {}],
  ['metadata.namespace', ['a']],
  ['metadata.creationTimestamp', 1688966655],
  ['involvedObject', 'pod/x'],
  ['involvedObject', []],
  ['involvedObject.name', 7],
  ['involvedObject.kind', false],
  ['source', 'kubelet'],
  ['source.host', 1],
  ['message', 42],
  ['message', { text: 'x' }],
  ['reason', []],
  ['type', 3],
  ['firstTimestamp', 12345],
  ['lastTimestamp', {}],
  ['eventTime', true],
  ['series', 'x'],
  ['series.count', '3'],
  ['kind', 'Pod'],
  ['kind', 7],
  ['apiVersion', 1],
  ['related', 'x'],
  ['reportingInstance', 9],
];

const HOSTILE_TEXT = [
  '"}, "x": {"',
  '</script><script>alert(1)</script>',
  'a\nb\r\nc',
  '{{ .Message }}{{ env "HOME" }}',
  '\u001b[31mred\u001b[0m',
  'nul\u0000byte',
  'lone \ud800 surrogate',
  '\u2028\u2029',
  '😀 emoji',
  'x'.repeat(1 << 20),
];

const MUTATIONS: Record<string, Mutation> = {
  wrongType: (e, rng) => {
    const [path, value] = rng.pick(WRONG_TYPES);
    return { expect: 'bad', line: line(rng.pick(['ADDED', 'MODIFIED']), setPath(e, path, value)) };
  },
  missingMetadata: (e) => {
    delete e['metadata'];
    return { expect: 'bad', line: line('ADDED', e) };
  },
  unknownType: (e, rng) => ({
    expect: 'bad',
    line: line(rng.pick(['added', 'UPDATED', '', 'SYNC', 42, null, ['ADDED'], { t: 1 }]), e),
  }),
  missingType: (e) => ({ expect: 'bad', line: JSON.stringify({ object: e }) }),
  objectNotAnEvent: (_e, rng) => ({
    expect: 'bad',
    line: line('ADDED', rng.pick<unknown>([[], 'event', 12, null, true])),
  }),
  notAWatchEvent: (_e, rng) => ({
    expect: 'bad',
    line: rng.pick(['[]', '"ADDED"', '42', 'null', 'true', '{}']),
  }),
  truncated: (e, rng) => {
    const text = line('ADDED', e);
    return { expect: 'bad', line: text.slice(0, 1 + rng.int(text.length - 2)) };
  },
  trailingGarbage: (e, rng) => ({
    expect: 'bad',
    line: line('ADDED', e) + rng.pick(['}', ',', ' x', '{}', ']']),
  }),
  garbage: (_e, rng) => ({
    expect: 'bad',
    line: rng.pick([
      'not json',
      '{"type":"ADDED","object":{',
      '\u0000\u0001\u0002',
      '{"type":"ADDED","object":{"metadata":{"name":"x"}},}',
      "{'type':'ADDED'}",
      'NaN',
      '{"type": ADDED}',
    ]),
  }),
  hugeBad: (e) => ({ expect: 'bad', line: line('ADDED', setPath(e, 'count', 'x'.repeat(1 << 20))) }),
  hugeInvalidJson: () => ({
    expect: 'bad',
    line: `{"type":"ADDED","object":{"message":"${'y'.repeat(1 << 20)}`,
  }),
  // Readable events, however odd: delivered once.
  hostileText: (e, rng) => {
    const text = rng.pick(HOSTILE_TEXT);
    setPath(e, rng.pick(['message', 'reason', 'involvedObject.name', 'source.component']), text);
    return { expect: 'good', line: line('ADDED', e) };
  },
  missingOptional: (e, rng) => {
    const dropped = new Set(
      ['message', 'reason', 'source', 'type', 'firstTimestamp', 'reportingComponent', 'action'].filter(() =>
        rng.chance(0.5),
      ),
    );
    return {
      expect: 'good',
      line: line('ADDED', Object.fromEntries(Object.entries(e).filter(([k]) => !dropped.has(k)))),
    };
  },
  unknownFields: (e) => ({
    expect: 'good',
    line: line('ADDED', { ...e, extra: { deep: [1, 2, { x: null }] }, spec: 'not ours' }),
  }),
  bookmark: (_e, rng) => ({
    expect: 'ignored',
    line: line('BOOKMARK', rng.pick<unknown>([{ kind: 'Event', metadata: {} }, {}, null, 'odd'])),
  }),
};

/** `n` cases: a seeded mix of every mutation over real events, uids unique per case. */
export function watchCorpus(seed: number, n: number, events: readonly Obj[]): WatchCase[] {
  const rng = new Rng(seed);
  const names = Object.keys(MUTATIONS);
  const cases: WatchCase[] = [];
  for (let i = 0; i < n; i++) {
    // The first rounds go through every mutation once; the rest are random.
    const name = i < names.length ? (names[i] as string) : rng.pick(names);
    const uid = `fuzz-${seed}-${i}`;
    const base = freshEvent(rng.pick(events), uid);
    const { expect, line: text } = (MUTATIONS[name] as Mutation)(base, rng);
    cases.push({ name: `#${i} ${name}`, line: text, expect, ...(expect === 'good' ? { uid } : {}) });
  }
  return cases;
}
