// The elasticsearch receiver with the real @elastic/elasticsearch client against the local bulk
// server: the request, document ids, index names, and the answer → action table.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { EnrichedEvent } from '../../../src/event/event.ts';
import { at, someEvents } from '../../output/helpers.ts';
import { BulkServer, errorBody } from '../servers/bulk-server.ts';
import { actions, rig, summary } from './rig.ts';

describe('elasticsearch _bulk', () => {
  let server: BulkServer;
  before(async () => (server = await BulkServer.start()));
  after(() => server.close());
  beforeEach(() => {
    server.itemFailure = () => undefined;
    server.scripted.length = 0;
  });

  it('sends one NDJSON _bulk per batch with an occurrence id per document, and stores each', async () => {
    const r = rig(server, '    index: kube-events-plain\n');
    const batch = r.payloads(20);
    const before = server.bulks.length;
    assert.deepEqual(await r.send(batch), { kind: 'ok' });
    await r.receiver.close();
    const bulk = at(server.bulks, before);
    assert.equal(server.bulks.length, before + 1);
    assert.match(String(bulk.headers['content-type']), /x-ndjson/);
    const acts = actions(bulk.body);
    assert.deepEqual(
      acts.map((a) => a['index']?.['_id']),
      batch.map((p) => p.id),
    );
    assert.ok(acts.every((a) => a['index']?.['_index'] === 'kube-events-plain'));
    assert.deepEqual(
      bulk.body.split('\n').filter((_, i) => i % 2 === 1 && _ !== ''),
      batch.map((p) => p.body),
    );
    const stored = server.store.docs().filter((d) => d.index === 'kube-events-plain');
    assert.deepEqual(stored.map((d) => d.id).sort(), batch.map((p) => p.id).sort());
  });

  const ids: {
    name: string;
    extra: string;
    expect: (e: EnrichedEvent, occurrenceId: string) => string | undefined;
  }[] = [
    { name: 'default: <uid>-<occurrence>', extra: '', expect: (_, id) => id },
    {
      name: 'useEventID: the uid, as the exporter',
      extra: '    useEventID: true\n',
      expect: (e) => e.raw.metadata.uid ?? '',
    },
    {
      name: 'documentId template',
      extra: `    documentId: '{{ .Namespace }}/{{ .Name }}'\n`,
      expect: (e) => `${e.raw.metadata.namespace ?? ''}/${e.raw.metadata.name ?? ''}`,
    },
    {
      name: "documentId '': ids chosen by the server",
      extra: `    documentId: ''\n`,
      expect: () => undefined,
    },
  ];
  for (const c of ids) {
    it(`document ids, ${c.name}`, async () => {
      const r = rig(server, c.extra);
      const event = at(someEvents(1, 3), 0);
      const payload = r.render(event);
      assert.deepEqual(await r.send([payload]), { kind: 'ok' });
      await r.receiver.close();
      const action = at(actions(at(server.bulks, server.bulks.length - 1).body), 0)['index'] ?? {};
      assert.equal(action['_id'], c.expect(event, payload.id));
    });
  }

  it('retrying the same batch never creates a second document', async () => {
    const r = rig(server, '    index: kube-events-retry\n');
    const batch = r.payloads(10, 40);
    assert.deepEqual(await r.send(batch), { kind: 'ok' });
    assert.deepEqual(await r.send(batch), { kind: 'ok' });
    await r.receiver.close();
    assert.equal(server.store.docs().filter((d) => d.index === 'kube-events-retry').length, 10);
  });

  it('indexFormat: Go layouts in braces, at the clock (now) or at the event time (event)', async () => {
    const now = rig(server, '    indexFormat: "events-{2006}.{01}.{02}"\n');
    const event = rig(server, '    indexFormat: "events-{2006.01.02}"\n    indexTimeSource: event\n');
    const [p1] = now.payloads(1);
    const [p2] = event.payloads(1);
    assert.ok(p1 && p2);
    await now.send([p1]);
    assert.equal(
      at(actions(at(server.bulks, server.bulks.length - 1).body), 0)['index']?.['_index'],
      'events-2026.01.02',
    );
    await event.send([p2]);
    // The first real event happened on 2023-07-10 (its eventTime).
    assert.equal(
      at(actions(at(server.bulks, server.bulks.length - 1).body), 0)['index']?.['_index'],
      'events-2023.07.10',
    );
    await now.receiver.close();
    await event.receiver.close();
  });

  it('opType create: `@timestamp` from the event; a create that finds its id already stored counts as delivered', async () => {
    const r = rig(server, '    index: kube-events-create\n    opType: create\n');
    const batch = r.payloads(3, 100);
    assert.deepEqual(await r.send(batch), { kind: 'ok' });
    const body = at(server.bulks, server.bulks.length - 1).body;
    assert.ok(actions(body).every((a) => a['create'] !== undefined));
    const docs = server.store.docs().filter((d) => d.index === 'kube-events-create');
    assert.ok(
      docs.every(
        (d) =>
          typeof d.source['@timestamp'] === 'string' &&
          !Number.isNaN(Date.parse(d.source['@timestamp'] as string)),
      ),
    );
    // A retry after a lost answer: every create answers 409, and nothing is lost or doubled.
    assert.deepEqual(await r.send(batch), { kind: 'ok' });
    await r.receiver.close();
    assert.equal(server.store.docs().filter((d) => d.index === 'kube-events-create').length, 3);
    assert.deepEqual(server.store.writtenTwice('kube-events-create'), []);
  });

  it('per item: 429 and 5xx items retried alone, mapping errors dead-lettered with a deDot hint, the rest delivered', async () => {
    const r = rig(server, '    index: kube-events-items\n');
    const batch = r.payloads(6, 200);
    const fail: Record<number, { status: number; type: string; reason: string }> = {
      1: {
        status: 429,
        type: 'es_rejected_execution_exception',
        reason: 'rejected execution of coordinating operation',
      },
      2: {
        status: 400,
        type: 'document_parsing_exception',
        reason: '[1:42] failed to parse field [involvedObject.labels.app] of type [keyword]',
      },
      4: { status: 503, type: 'unavailable_shards_exception', reason: 'primary shard is not active' },
      5: { status: 400, type: 'illegal_argument_exception', reason: 'field name cannot be an empty string' },
    };
    server.itemFailure = (op) => fail[batch.findIndex((p) => p.id === op.id)];
    const result = await r.send(batch);
    assert.deepEqual(summary(result), ['partial', [1, 4], [2, 5], 'rateLimited']);
    assert.ok(result.kind === 'partial');
    const mapping = at(result.drop, 0).error.message;
    assert.match(mapping, /^item HTTP 400 document_parsing_exception: .*labels\.app/);
    assert.match(mapping, /set deDot: true/);
    assert.doesNotMatch(at(result.drop, 1).error.message, /deDot/, 'only mapping errors get the hint');
    server.itemFailure = () => undefined;
    assert.deepEqual(await r.send([at(batch, 1), at(batch, 4)]), { kind: 'ok' });
    await r.receiver.close();
    const stored = server.store
      .docs()
      .filter((d) => d.index === 'kube-events-items')
      .map((d) => d.id)
      .sort();
    assert.deepEqual(stored, [0, 1, 3, 4].map((i) => at(batch, i).id).sort());
    assert.deepEqual(server.store.writtenTwice('kube-events-items'), []);
  });

  const whole: {
    name: string;
    answer: { status: number; headers?: Record<string, string>; body?: unknown };
    want: unknown[];
  }[] = [
    {
      name: '429 with Retry-After',
      answer: {
        status: 429,
        headers: { 'retry-after': '7' },
        body: errorBody(429, 'circuit_breaking_exception', '[parent] Data too large'),
      },
      want: ['retry', 'rateLimited', 7000],
    },
    {
      name: '503',
      answer: {
        status: 503,
        body: errorBody(
          503,
          'cluster_block_exception',
          'blocked by: [SERVICE_UNAVAILABLE/1/state not recovered]',
        ),
      },
      want: ['retry', 'serverError', undefined],
    },
    {
      name: '500',
      answer: { status: 500, body: errorBody(500, 'exception', 'boom') },
      want: ['retry', 'serverError', undefined],
    },
    { name: '502', answer: { status: 502, body: 'Bad Gateway' }, want: ['retry', 'serverError', undefined] },
    {
      name: '400',
      answer: {
        status: 400,
        body: errorBody(
          400,
          'illegal_argument_exception',
          'The bulk request must be terminated by a newline',
        ),
      },
      want: ['drop', 'clientError'],
    },
    { name: '413', answer: { status: 413, body: '' }, want: ['drop', 'clientError'] },
    {
      name: '401',
      answer: { status: 401, body: errorBody(401, 'security_exception', 'unable to authenticate user') },
      want: ['drop', 'clientError'],
    },
    {
      name: '403',
      answer: {
        status: 403,
        body: errorBody(403, 'security_exception', 'action [indices:data/write/bulk] is unauthorized'),
      },
      want: ['drop', 'clientError'],
    },
  ];
  for (const c of whole) {
    it(`whole request ${c.name} → ${c.want.slice(0, 2).join(' ')}`, async () => {
      const r = rig(server);
      server.scriptNext('/_bulk', c.answer);
      const result = await r.send(r.payloads(2));
      await r.receiver.close();
      assert.deepEqual(summary(result), c.want);
      if (result.kind !== 'ok' && result.kind !== 'partial')
        assert.match(result.error.message, new RegExp(`HTTP ${c.answer.status}`));
    });
  }

  it('401: logged loudly once, every batch dead-lettered', async () => {
    const r = rig(server);
    server.scriptNext(
      '/_bulk',
      { status: 401, body: errorBody(401, 'security_exception', 'unable to authenticate user') },
      3,
    );
    for (let i = 0; i < 3; i++)
      assert.deepEqual(summary(await r.send(r.payloads(1, i))), ['drop', 'clientError']);
    await r.receiver.close();
    const loud = r.logs.filter((l) => l['level'] === 50);
    assert.equal(loud.length, 1);
    assert.match(String(at(loud, 0)['msg']), /refused the credentials/);
    assert.equal(at(loud, 0)['status'], 401);
  });

  it('a network failure is retried, and the client makes no retry of its own', async () => {
    const gone = await BulkServer.start();
    const r = rig(gone);
    await gone.close();
    const result = await r.send(r.payloads(1));
    await r.receiver.close();
    assert.deepEqual(summary(result).slice(0, 2), ['retry', 'network']);
    assert.equal(gone.requests.length, 0);
  });

  it('the client does not retry a 503 itself (maxRetries: 0): one request per send', async () => {
    const r = rig(server);
    const before = server.bulks.length;
    server.scriptNext('/_bulk', { status: 503, body: errorBody(503, 'x', 'y') });
    await r.send(r.payloads(1));
    await r.receiver.close();
    assert.equal(server.bulks.length, before + 1);
  });
});
