import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deduper, type DedupeDecision } from '../../src/event/dedupe.ts';
import type { RawEvent } from '../../src/event/event.ts';
import type { ChangeType } from '../../src/sources/types.ts';

const NOW = Date.parse('2026-01-15T10:00:00Z');

function ev(uid: string, count: number | undefined, last: string, extra: Partial<RawEvent> = {}): RawEvent {
  return {
    metadata: { uid, name: uid, namespace: 'default' },
    involvedObject: {},
    count,
    lastTimestamp: last,
    ...extra,
  };
}

type Step = [ChangeType, RawEvent, DedupeDecision];
const NEW = (occurrence: number): DedupeDecision => ({ kind: 'new', occurrence });
const SKIP = (reason: 'duplicate' | 'stale' | 'deleted'): DedupeDecision => ({ kind: 'skip', reason });

const cases: { name: string; maxEventAgeMs?: number; steps: Step[] }[] = [
  {
    name: 'ADDED then count bumps are occurrences; a metadata-only MODIFIED is not',
    steps: [
      ['ADDED', ev('a', 1, '2026-01-15T09:59:00Z'), NEW(1)],
      [
        'MODIFIED',
        ev('a', 1, '2026-01-15T09:59:00Z', { metadata: { uid: 'a', labels: { x: 'y' } } }),
        SKIP('duplicate'),
      ],
      ['MODIFIED', ev('a', 2, '2026-01-15T09:59:30Z'), NEW(2)],
      ['MODIFIED', ev('a', 3, '2026-01-15T09:59:40Z'), NEW(3)],
    ],
  },
  {
    name: 'series.count and lastObservedTime move events.k8s.io events',
    steps: [
      [
        'ADDED',
        { metadata: { uid: 's' }, involvedObject: {}, eventTime: '2026-01-15T09:59:00.000001Z' },
        NEW(1),
      ],
      [
        'MODIFIED',
        {
          metadata: { uid: 's' },
          involvedObject: {},
          series: { count: 2, lastObservedTime: '2026-01-15T09:59:10Z' },
        },
        NEW(2),
      ],
      [
        'MODIFIED',
        {
          metadata: { uid: 's' },
          involvedObject: {},
          series: { count: 2, lastObservedTime: '2026-01-15T09:59:10Z' },
        },
        SKIP('duplicate'),
      ],
    ],
  },
  {
    name: 'a re-list emits only what changed in the gap',
    steps: [
      ['LISTED', ev('a', 1, '2026-01-15T09:50:00Z'), NEW(1)],
      ['LISTED', ev('b', 4, '2026-01-15T09:51:00Z'), NEW(1)],
      ['LISTED', ev('a', 1, '2026-01-15T09:50:00Z'), SKIP('duplicate')],
      ['LISTED', ev('b', 6, '2026-01-15T09:58:00Z'), NEW(2)],
      ['LISTED', ev('c', 1, '2026-01-15T09:58:30Z'), NEW(1)],
    ],
  },
  {
    name: 'last-seen time moving with the same count is an occurrence (series-less repeats)',
    steps: [
      ['ADDED', ev('t', 5, '2026-01-15T09:58:00Z'), NEW(1)],
      ['MODIFIED', ev('t', 5, '2026-01-15T09:59:00Z'), NEW(2)],
    ],
  },
  {
    name: 'maxEventAge skips old occurrences but a later bump passes',
    maxEventAgeMs: 60_000,
    steps: [
      ['LISTED', ev('old', 3, '2026-01-15T09:30:00Z'), SKIP('stale')],
      ['LISTED', ev('fresh', 1, '2026-01-15T09:59:30Z'), NEW(1)],
      ['MODIFIED', ev('old', 4, '2026-01-15T09:59:50Z'), NEW(1)],
    ],
  },
  {
    name: 'a deleted Event is forgotten',
    steps: [
      ['ADDED', ev('d', 1, '2026-01-15T09:59:00Z'), NEW(1)],
      ['DELETED', ev('d', 1, '2026-01-15T09:59:00Z'), SKIP('deleted')],
    ],
  },
  {
    name: 'events without any timestamp still dedupe by count',
    steps: [
      ['ADDED', { metadata: { uid: 'n' }, involvedObject: {} }, NEW(1)],
      ['MODIFIED', { metadata: { uid: 'n' }, involvedObject: {} }, SKIP('duplicate')],
      ['MODIFIED', { metadata: { uid: 'n' }, involvedObject: {}, count: 2 }, NEW(2)],
    ],
  },
];

describe('Deduper', () => {
  for (const c of cases) {
    it(c.name, () => {
      const deduper = new Deduper({ maxEventAgeMs: c.maxEventAgeMs, now: () => NOW });
      c.steps.forEach(([type, event, expected], i) => {
        assert.deepEqual(deduper.observe({ type, event }), expected, `step ${i}`);
      });
    });
  }

  it('forgets the least recently seen Event beyond its bound', () => {
    const deduper = new Deduper({ maxEntries: 2, now: () => NOW });
    for (const uid of ['a', 'b', 'c'])
      deduper.observe({ type: 'ADDED', event: ev(uid, 1, '2026-01-15T09:59:00Z') });
    assert.equal(deduper.size, 2);
    assert.deepEqual(deduper.observe({ type: 'LISTED', event: ev('a', 1, '2026-01-15T09:59:00Z') }), NEW(1));
    assert.deepEqual(
      deduper.observe({ type: 'LISTED', event: ev('c', 1, '2026-01-15T09:59:00Z') }),
      SKIP('duplicate'),
    );
  });
});
