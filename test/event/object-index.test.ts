import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readObjects } from '../../src/event/object-index.ts';
import { demoObjects } from '../../src/sources/demo-scenario.ts';

describe('ObjectIndex', () => {
  const index = readObjects(JSON.stringify({ kind: 'List', items: demoObjects() }));

  it('indexes every object', () => assert.equal(index.size, demoObjects().length));

  const cases: {
    name: string;
    ref: { kind: string; name: string; namespace?: string };
    owner?: { kind: string; name: string };
    app?: string;
  }[] = [
    {
      name: 'pod → replicaset → deployment',
      ref: { kind: 'Pod', name: 'web-7d9f8c6b5-x2k9q', namespace: 'shop' },
      owner: { kind: 'Deployment', name: 'web' },
      app: 'web',
    },
    {
      name: 'owner outside the index stops the chain there',
      ref: { kind: 'Pod', name: 'report-worker-6f8d9b7c4-pl2xd', namespace: 'reports' },
      owner: { kind: 'ReplicaSet', name: 'report-worker-6f8d9b7c4' },
      app: 'report-worker',
    },
    {
      name: 'object without owners',
      ref: { kind: 'Deployment', name: 'web', namespace: 'shop' },
      app: 'web',
    },
    { name: 'cluster-scoped node', ref: { kind: 'Node', name: 'ip-10-0-3-17.eu-west-1.compute.internal' } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const meta = index.lookup(c.ref);
      assert.ok(meta !== undefined);
      assert.deepEqual(
        meta.owner === undefined ? undefined : { kind: meta.owner.kind, name: meta.owner.name },
        c.owner,
      );
      assert.equal(meta.labels['app'], c.app);
      assert.equal(meta.deleted, false);
    });
  }

  it('answers undefined for an unknown object', () => {
    assert.equal(index.lookup({ kind: 'Pod', name: 'nope', namespace: 'shop' }), undefined);
  });

  it('reads NDJSON and YAML documents', () => {
    const objs = demoObjects().slice(0, 2);
    assert.equal(readObjects(objs.map((o) => JSON.stringify(o)).join('\n')).size, 2);
    assert.equal(
      readObjects(
        'kind: Pod\napiVersion: v1\nmetadata:\n  name: a\n  namespace: x\n---\nkind: Pod\nmetadata: {name: b}\n',
      ).size,
      2,
    );
  });
});
