// Resuming from a checkpoint's resourceVersion: watch without listing when the API server still
// has it; list as usual when it answers 410 Gone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeApiServer } from '../support/kube-api-server.ts';
import { coreEvent, startHarness, waitFor } from './event-source-harness.ts';

const seed = (s: KubeApiServer): void =>
  ['e1', 'e2', 'e3', 'e4', 'e5'].forEach((n) => void s.create(coreEvent(n)));

describe('kubernetes source: resume from a resourceVersion', () => {
  it('watches from the stored position without a list, and is ready at once', async () => {
    const h = await startHarness({ seed, initialResourceVersion: () => '1003' });
    try {
      await waitFor(() => h.changes.length === 2, 'the changes after the position');
      assert.deepEqual(h.summary(), ['ADDED e4 1', 'ADDED e5 1']);
      assert.deepEqual(
        h.server.requestsWhere((r) => !r.watch && r.kind === 'Event'),
        [],
        'no list',
      );
      assert.equal(h.server.requestsWhere((r) => r.watch)[0]?.query.get('resourceVersion'), '1003');
      assert.deepEqual(h.observed.listed, [0], 'ready without a list');
    } finally {
      await h.stop();
    }
  });

  it('lists when the stored position is gone (410)', async () => {
    const h = await startHarness({
      seed: (s) => {
        seed(s);
        s.compact();
      },
      initialResourceVersion: () => '1002',
    });
    try {
      await waitFor(() => h.changes.length === 5, 'the re-list');
      assert.deepEqual(h.summary(), [
        'LISTED e1 1',
        'LISTED e2 1',
        'LISTED e3 1',
        'LISTED e4 1',
        'LISTED e5 1',
      ]);
      assert.ok(h.observed.restarts.includes('gone'));
    } finally {
      await h.stop();
    }
  });
});
