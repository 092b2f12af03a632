// Both flavours (real @elastic/elasticsearch and @opensearch-project/opensearch clients): the
// index template, real dynamic-mapping conflicts (`app` vs `app.kubernetes.io/name`) and deDot,
// data streams, auth, secrets, and config errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfigText } from '../../../src/config/load.ts';
import { ConfigError } from '../../../src/config/errors.ts';
import type { EnrichedEvent } from '../../../src/event/event.ts';
import { parseIndexFormat } from '../../../src/receivers/elasticsearch/index-name.ts';
import { at, someEvents } from '../../output/helpers.ts';
import { BulkServer, errorBody } from '../servers/bulk-server.ts';
import { actions, rig, summary } from './rig.ts';

/** Real events whose involved objects carry `app` on some and `app.kubernetes.io/name` on others. */
function labelled(n: number): EnrichedEvent[] {
  return someEvents(n, 300).map((e, i): EnrichedEvent => {
    const labels: Record<string, string> = i % 2 === 0 ? { app: 'web' } : { 'app.kubernetes.io/name': 'web' };
    return { ...e, object: { labels, annotations: {}, ownerReferences: [], deleted: false } };
  });
}

for (const flavour of ['elasticsearch', 'opensearch'] as const) {
  describe(`${flavour}: template, mappings, auth`, () => {
    let server: BulkServer;
    before(
      async () =>
        (server = await BulkServer.start({
          flavour,
          auth: { username: 'router', password: 'p4ss-w0rd-secret', apiKey: 'k3y-secret-value' },
        })),
    );
    after(() => server.close());
    const creds = '    username: router\n    password: p4ss-w0rd-secret\n';

    it('without deDot, `app` vs `app.kubernetes.io/name` is a mapping error per item, with the hint', async () => {
      const r = rig(server, `${creds}    index: conflict-${flavour}\n`);
      const result = await r.send(labelled(4).map(r.render));
      await r.receiver.close();
      assert.deepEqual(summary(result), ['partial', [], [1, 3], 'serverError']);
      assert.ok(result.kind === 'partial');
      assert.match(
        at(result.drop, 0).error.message,
        new RegExp(`${flavour === 'opensearch' ? 'mapper' : 'document'}_parsing_exception.*set deDot: true`),
      );
    });

    it('with deDot, the same events index cleanly', async () => {
      const r = rig(server, `${creds}    index: dedot-${flavour}\n    deDot: true\n`);
      assert.deepEqual(await r.send(labelled(4).map(r.render)), { kind: 'ok' });
      await r.receiver.close();
      const doc = server.store
        .docs()
        .find(
          (d) =>
            d.index === `dedot-${flavour}` && JSON.stringify(d.source).includes('app_kubernetes_io/name'),
        );
      assert.ok(doc, 'labels de-dotted in the document');
    });

    it('indexTemplate.install: PUT once before the first bulk; labels flattened, so no conflict even without deDot', async () => {
      const r = rig(
        server,
        `${creds}    indexFormat: "tpl-${flavour}-{2006.01}"\n    indexTemplate: { install: true, name: events-${flavour} }\n`,
      );
      assert.deepEqual(await r.send(labelled(4).map(r.render)), { kind: 'ok' });
      assert.deepEqual(await r.send(labelled(6).slice(4).map(r.render)), { kind: 'ok' });
      await r.receiver.close();
      const puts = server.requests.filter(
        (q) => q.method === 'PUT' && q.url === `/_index_template/events-${flavour}`,
      );
      assert.equal(puts.length, 1);
      const template = server.store.templates.get(`events-${flavour}`)?.body ?? {};
      assert.deepEqual(template['index_patterns'], [`tpl-${flavour}-*`]);
      const text = JSON.stringify(template);
      assert.ok(
        text.includes(flavour === 'opensearch' ? '"flat_object"' : '"flattened"') &&
          !text.includes('_comment'),
      );
      assert.ok(
        server.requests.indexOf(at(puts, 0)) <
          server.requests.findIndex((q) => q.url.includes('/_bulk') && q.body.includes(`tpl-${flavour}`)),
      );
    });

    it('a template PUT that fails with 503 holds the bulk (retry) and is tried again; a 403 is logged and indexing goes on', async () => {
      server.scriptNext('/_index_template/t503', {
        status: 503,
        body: errorBody(503, 'master_not_discovered_exception', 'no master'),
      });
      const r = rig(
        server,
        `${creds}    index: t503-${flavour}\n    indexTemplate: { install: true, name: t503 }\n`,
      );
      const batch = r.payloads(2, 500);
      assert.deepEqual(summary(await r.send(batch)), ['retry', 'serverError', undefined]);
      assert.deepEqual(await r.send(batch), { kind: 'ok' });
      await r.receiver.close();
      server.scriptNext('/_index_template/t403', {
        status: 403,
        body: errorBody(
          403,
          'security_exception',
          'action [indices:admin/index_template/put] is unauthorized',
        ),
      });
      const denied = rig(
        server,
        `${creds}    index: t403-${flavour}\n    indexTemplate: { install: true, name: t403 }\n`,
      );
      assert.deepEqual(await denied.send(denied.payloads(2, 510)), { kind: 'ok' });
      await denied.receiver.close();
      assert.match(denied.logText(), /index template was refused/);
    });

    it('opType create into a data stream (template data_stream): `@timestamp` added, retries answer 409 and count as delivered', async () => {
      const r = rig(
        server,
        `${creds}    index: stream-${flavour}\n    opType: create\n    indexTemplate: { install: true, name: stream-${flavour} }\n`,
      );
      const batch = r.payloads(5, 600);
      assert.deepEqual(await r.send(batch), { kind: 'ok' });
      assert.deepEqual(await r.send(batch), { kind: 'ok' });
      await r.receiver.close();
      assert.deepEqual(server.store.templates.get(`stream-${flavour}`)?.body['data_stream'], {});
      assert.equal(server.store.docs().filter((d) => d.index === `stream-${flavour}`).length, 5);
      // `index` into the stream is what the exporter did: the stream refuses it, per item.
      const wrong = rig(server, `${creds}    index: stream-${flavour}\n`);
      assert.deepEqual(summary(await wrong.send(wrong.payloads(1, 700))), ['drop', 'clientError']);
      await wrong.receiver.close();
    });

    it('wrong credentials: 401, dead-lettered, and neither password nor key in the error or the logs', async () => {
      const r = rig(server, `    username: router\n    password: \${ES_PASSWORD}\n`, flavour, {
        ES_PASSWORD: 'wr0ng-password-value',
      });
      const result = await r.send(r.payloads(1));
      await r.receiver.close();
      assert.deepEqual(summary(result), ['drop', 'clientError']);
      assert.ok(result.kind === 'drop');
      assert.match(result.error.message, /HTTP 401/);
      assert.doesNotMatch(`${result.error.message}\n${r.logText()}`, /wr0ng-password-value/);
      assert.match(r.logText(), /refused the credentials/);
    });
  });
}

describe('elasticsearch only', () => {
  let server: BulkServer;
  before(async () => (server = await BulkServer.start({ auth: { apiKey: 'k3y-secret-value' } })));
  after(() => server.close());

  it('apiKey is sent as `Authorization: ApiKey`, headers are sent, and an error echoing them shows neither', async () => {
    const r = rig(server, '    apiKey: k3y-secret-value\n    headers: { X-Tenant: tenant-secret-header }\n');
    assert.deepEqual(await r.send(r.payloads(1)), { kind: 'ok' });
    const last = at(server.bulks, server.bulks.length - 1);
    assert.equal(last.headers.authorization, 'ApiKey k3y-secret-value');
    assert.equal(last.headers['x-tenant'], 'tenant-secret-header');
    server.scriptNext('/_bulk', {
      status: 500,
      body: errorBody(500, 'exception', 'echo ApiKey k3y-secret-value tenant-secret-header'),
    });
    const result = await r.send(r.payloads(1));
    await r.receiver.close();
    assert.ok(result.kind === 'retry');
    assert.doesNotMatch(result.error.message, /k3y-secret-value|tenant-secret-header/);
    assert.match(result.error.message, /\[Redacted\]/);
  });

  it('type (Elasticsearch 6 and older) goes into the action as _type; Elasticsearch 8 refuses it', async () => {
    const r = rig(server, '    apiKey: k3y-secret-value\n    type: _doc\n');
    const result = await r.send(r.payloads(1));
    await r.receiver.close();
    assert.equal(at(actions(at(server.bulks, server.bulks.length - 1).body), 0)['index']?.['_type'], '_doc');
    assert.deepEqual(summary(result), ['drop', 'clientError']);
  });
});

describe('elasticsearch against a server that is not Elasticsearch', () => {
  it('a 2xx without x-elastic-product is refused by the client: dead letter, logged once', async () => {
    const other = await BulkServer.start({ flavour: 'opensearch' });
    const r = rig(other, '', 'elasticsearch');
    const result = await r.send(r.payloads(1));
    await r.receiver.close();
    await other.close();
    assert.deepEqual(summary(result), ['drop', 'clientError']);
    assert.ok(result.kind === 'drop');
    assert.match(result.error.message, /ProductNotSupportedError/);
    assert.match(r.logText(), /refused the request/);
  });
});

describe('elasticsearch config', () => {
  const cases: { yaml: string; error: RegExp }[] = [
    { yaml: 'hosts: ["http://es:9200"]', error: /elasticsearch\.index: index or indexFormat is required/ },
    { yaml: 'index: x', error: /elasticsearch\.hosts: at least one host is required/ },
    { yaml: 'hosts: ["es:9200"]\n      index: x', error: /hosts\[0\]: must be an http/ },
    {
      yaml: 'hosts: ["http://es:9200"]\n      indexFormat: "events-{2006-01-02"',
      error: /indexFormat: has a "\{" without its "\}"/,
    },
    {
      yaml: 'hosts: ["http://es:9200"]\n      indexFormat: "events-{Jan}"',
      error: /indexFormat: gives upper-case index names/,
    },
    { yaml: 'hosts: ["http://es:9200"]\n      index: x\n      documentId: "{{ .Nope"', error: /documentId/ },
    {
      yaml: 'hosts: ["http://es:9200"]\n      index: x\n      opType: upsert',
      error: /opType: must be one of index \| create/,
    },
  ];
  for (const c of cases) {
    it(`rejects ${c.yaml.replace(/\n\s+/g, ', ')}`, () => {
      const text = `route: {}\nreceivers:\n  - name: es\n    elasticsearch:\n      ${c.yaml}\n`;
      assert.throws(
        () => loadConfigText(text, { fileName: 'c.yaml', env: {} }),
        (err: unknown) => err instanceof ConfigError && c.error.test(err.lines.join('\n')),
      );
    });
  }

  it('cloudID stands in for hosts; defaults are 500 events / 5 MB / 1 s', () => {
    const text =
      'route: {}\nreceivers:\n  - name: es\n    elasticsearch:\n      cloudID: "name:ZXhhbXBsZS5jb20kYWJjJGRlZg=="\n      index: x\n';
    const receiver = at(loadConfigText(text, { fileName: 'c.yaml', env: {} }).config.receivers, 0);
    assert.deepEqual(receiver.batch, { maxEvents: 500, maxBytes: 5_242_880, flushIntervalMs: 1_000 });
  });

  it('indexFormat: every {...} is a layout (the exporter takes one greedy pair)', () => {
    assert.deepEqual(parseIndexFormat('kube-events-{2006}.{01}').parts, [
      { literal: 'kube-events-' },
      { layout: '2006' },
      { literal: '.' },
      { layout: '01' },
    ]);
  });
});
