// The loki receiver against a local server on Loki's push API (POST /loki/api/v1/push, JSON,
// 204 No Content; 400 with Loki's plain-text reason; 429 when a tenant's rate limit is hit),
// over HTTP and HTTPS, and `run` with the replay source end to end.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { startApp } from '../../src/app/app.ts';
import type { EnrichedEvent } from '../../src/event/event.ts';
import { createRenderer } from '../../src/output/payload.ts';
import { firstTimeNs, pushUrl } from '../../src/receivers/loki/send.ts';
import { createReceiver } from './create-receiver.ts';
import type { Payload, Receiver, SendResult } from '../../src/receivers/common/types.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { configProblems, memoryLogger, realEvents, receiverFromYaml, someEvents } from '../output/helpers.ts';
import { makePki, startHttpServer, startHttpsServer } from './servers.ts';
import type { Answer, Pki, Received, TestServer } from './servers.ts';
import { realEventLines } from '../support/real-events.ts';

const NOW_MS = Date.UTC(2026, 0, 1, 12);
const clock = new ManualClock(NOW_MS);
const signal = new AbortController().signal;

interface Push {
  streams: { stream: Record<string, string>; values: [string, string][] }[];
}

function loki(
  yaml: string,
  env: Record<string, string> = {},
): { receiver: Receiver; render: (e: EnrichedEvent) => Payload } {
  const config = receiverFromYaml(yaml, env);
  return {
    receiver: createReceiver(config, { clock, logger: memoryLogger().logger }),
    render: createRenderer(config),
  };
}

async function sendOnce(
  yaml: string,
  events: EnrichedEvent[],
  env: Record<string, string> = {},
): Promise<SendResult> {
  const { receiver, render } = loki(yaml, env);
  try {
    return await receiver.send(events.map(render), signal);
  } finally {
    await receiver.close();
  }
}

function summary(result: SendResult): unknown[] {
  switch (result.kind) {
    case 'ok':
      return ['ok'];
    case 'retry':
      return ['retry', result.reason, result.error.message, result.retryAfterMs];
    case 'drop':
      return ['drop', result.reason, result.error.message];
    case 'partial':
      return ['partial', result.retry, result.drop.map((d) => [d.index, d.reason, d.error.message])];
  }
}

/** The event's occurrence time in Unix ns, computed here from the raw fields (independently of the receiver). */
function expectedNs(e: EnrichedEvent): string {
  const r = e.raw;
  const stamp =
    r.lastTimestamp ??
    r.series?.lastObservedTime ??
    r.eventTime ??
    r.firstTimestamp ??
    r.metadata.creationTimestamp ??
    '';
  const m = /^(.*?)(?:\.(\d+))?Z$/.exec(stamp);
  const ms = Date.parse(`${m?.[1] ?? ''}Z`);
  return (BigInt(ms) * 1_000_000n + BigInt((m?.[2] ?? '').padEnd(9, '0'))).toString();
}

describe('loki config', () => {
  const cases: { name: string; item: string; problem: RegExp }[] = [
    {
      name: 'a label name Loki refuses',
      item: '- name: l\n  loki: { url: "http://loki:3100", streamLabels: { "app.kubernetes.io/name": x } }',
      problem: /loki\.streamLabels.*must be a label name/,
    },
    {
      name: 'no stream label at all',
      item: '- name: l\n  loki: { url: "http://loki:3100", streamLabels: {} }',
      problem: /loki\.streamLabels: needs at least one label/,
    },
    {
      name: 'a password without a username',
      item: '- name: l\n  loki: { url: "http://loki:3100", password: p }',
      problem: /loki\.username: is required when password is set/,
    },
    {
      name: 'an unknown timestampSource',
      item: '- name: l\n  loki: { url: "http://loki:3100", timestampSource: ingest }',
      problem: /loki\.timestampSource/,
    },
    {
      name: 'a stream label template that does not parse',
      item: '- name: l\n  loki: { url: "http://loki:3100", streamLabels: { ns: "{{ .Namespace" } }',
      problem: /loki\.streamLabels\.ns/,
    },
  ];
  for (const c of cases) it(`rejects ${c.name}`, () => assert.match(configProblems(c.item), c.problem));

  it("accepts the exporter's config (url, streamLabels, headers, tls, layout, sentUpdateEvent)", () => {
    const config = receiverFromYaml(
      '- name: l\n  loki:\n    url: http://loki:3100/loki/api/v1/push\n    sentUpdateEvent: false\n    streamLabels: { foo: bar }\n    headers: { X-Org: a }\n    tls: { insecureSkipVerify: true }\n    layout: { message: "{{ .Message }}" }',
    );
    assert.deepEqual(config.batch, { maxEvents: 500, maxBytes: 1_048_576, flushIntervalMs: 1000 });
  });

  it('push URL: as given, or the push path appended to a bare origin', () => {
    assert.equal(pushUrl('http://loki:3100'), 'http://loki:3100/loki/api/v1/push');
    assert.equal(pushUrl('https://gw.example/'), 'https://gw.example/loki/api/v1/push');
    assert.equal(pushUrl('http://gw/tenant-a/loki/api/v1/push'), 'http://gw/tenant-a/loki/api/v1/push');
  });

  it('reads the first non-zero Go time from a rendered time template, offsets and nanoseconds included', () => {
    assert.equal(
      firstTimeNs('\\0001-01-01 00:00:00 +0000 UTC\\2023-07-10 05:24:15.59351 +0000 UTC\\'),
      1688966655593510000n,
    );
    assert.equal(firstTimeNs('2023-07-10 07:24:15 +0200 CEST'), 1688966655000000000n);
    assert.equal(firstTimeNs('\\0001-01-01 00:00:00 +0000 UTC\\'), undefined);
  });
});

describe('loki over HTTP', () => {
  let server: TestServer;
  before(async () => (server = await startHttpServer(() => ({ status: 204 }))));
  after(() => server.close());

  const labelled = (extra = '') =>
    `- name: l\n  loki:\n    url: "${server.url}"\n    streamLabels: { job: kube-events, namespace: "{{ .InvolvedObject.Namespace }}", type: "{{ .Type }}" }${extra}`;

  function pushes(from: number): { req: Received; push: Push }[] {
    return server.received.slice(from).map((req) => ({ req, push: JSON.parse(req.body) as Push }));
  }

  it('one push per batch, entries grouped by their rendered stream labels, each at its event time', async () => {
    server.handler = () => ({ status: 204 });
    const events = someEvents(60);
    const before = server.received.length;
    const { receiver, render } = loki(labelled());
    const batch = events.map(render);
    assert.deepEqual(await receiver.send(batch, signal), { kind: 'ok' });
    await receiver.close();
    const got = pushes(before);
    assert.equal(got.length, 1);
    const [{ req, push }] = got as [{ req: Received; push: Push }];
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/loki/api/v1/push');
    assert.equal(req.headers['content-type'], 'application/json');
    const want = new Map<string, [string, string][]>();
    events.forEach((e, i) => {
      const labels = {
        job: 'kube-events',
        namespace: e.raw.involvedObject.namespace ?? '',
        type: e.raw.type ?? '',
      };
      const key = JSON.stringify(Object.entries(labels).filter(([, v]) => v !== ''));
      want.set(key, [...(want.get(key) ?? []), [expectedNs(e), (batch[i] as Payload).body]]);
    });
    assert.equal(push.streams.length, want.size);
    for (const s of push.streams) {
      const entries = want.get(JSON.stringify(Object.entries(s.stream))) ?? [];
      assert.deepEqual([...s.values].sort(), [...entries].sort());
      const times = s.values.map((v) => BigInt(v[0]));
      assert.deepEqual(
        times,
        [...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
        'in time order within the stream',
      );
    }
  });

  it('event time: eventTime (microseconds) for events.k8s.io-style events; timestampSource: now = the clock', async () => {
    const micro = realEvents()
      .filter((e) => !e.raw.lastTimestamp && e.raw.eventTime)
      .slice(0, 3);
    assert.equal(micro.length, 3);
    const before = server.received.length;
    await sendOnce(labelled(), micro);
    await sendOnce(labelled('\n    timestampSource: now'), micro);
    const [eventPush, nowPush] = pushes(before).map((p) =>
      p.push.streams.flatMap((s) => s.values.map((v) => v[0])),
    );
    assert.deepEqual([...(eventPush ?? [])].sort(), micro.map(expectedNs).sort());
    assert.ok(
      micro.map(expectedNs).some((ns) => !ns.endsWith('000000')),
      'sub-millisecond precision kept',
    );
    assert.deepEqual(
      nowPush,
      micro.map(() => `${NOW_MS}000000`),
    );
  });

  it('templateSyntax: handlebars renders labels and still finds the event time', async () => {
    const events = someEvents(5, 400);
    const before = server.received.length;
    await sendOnce(
      `- name: l\n  loki:\n    url: "${server.url}"\n    templateSyntax: handlebars\n    streamLabels: { reason: "{{ Reason }}" }`,
      events,
    );
    const push = pushes(before)[0]?.push;
    const got = (push?.streams ?? []).flatMap((s) => s.values.map((v) => [s.stream['reason'], v[0]]));
    assert.deepEqual(got.sort(), events.map((e) => [e.raw.reason, expectedNs(e)]).sort());
  });

  it('tenant header, basic auth and templated headers (rendered for the first event of the push)', async () => {
    const before = server.received.length;
    const yaml = `- name: l\n  loki:\n    url: "${server.url}loki/api/v1/push"\n    tenantID: team-a\n    username: loki-user\n    password: "\${LOKI_PASSWORD}"\n    headers: { X-Reason: "{{ .Reason }}" }`;
    const events = someEvents(2, 10);
    assert.deepEqual(await sendOnce(yaml, events, { LOKI_PASSWORD: 'pw-s3cret-777' }), { kind: 'ok' });
    const req = server.received[before] as Received;
    assert.equal(req.headers['x-scope-orgid'], 'team-a');
    assert.equal(
      req.headers.authorization,
      `Basic ${Buffer.from('loki-user:pw-s3cret-777').toString('base64')}`,
    );
    assert.equal(req.headers['x-reason'], events[0]?.raw.reason);
    assert.deepEqual(
      (JSON.parse(req.body) as Push).streams.map((s) => s.stream),
      [{ job: 'kube-event-router' }],
    );
  });

  it('one push per set of rendered headers: every entry travels with its own', async () => {
    const before = server.received.length;
    const yaml = `- name: l\n  loki:\n    url: "${server.url}"\n    headers: { X-Reason: "{{ .Reason }}" }`;
    const events = someEvents(40);
    const reasons = [...new Set(events.map((e) => e.raw.reason))];
    assert.ok(reasons.length > 1, 'the real events have several reasons');
    assert.deepEqual(await sendOnce(yaml, events), { kind: 'ok' });
    const pushes = server.received.slice(before);
    assert.deepEqual(
      pushes.map((r) => r.headers['x-reason']),
      reasons,
    );
    for (const push of pushes) {
      const lines = (JSON.parse(push.body) as Push).streams.flatMap((st) =>
        st.values.map(([, line]) => line),
      );
      const own = lines.map((line) => (JSON.parse(line) as { reason?: string }).reason);
      assert.ok(own.length > 0 && own.every((reason) => reason === push.headers['x-reason']));
    }
    assert.equal(
      pushes.reduce((n, r) => n + (JSON.parse(r.body) as Push).streams.flatMap((st) => st.values).length, 0),
      events.length,
    );
  });

  it('an entry whose every label renders empty is dead-lettered alone; the rest is pushed', async () => {
    const events = someEvents(4, 20);
    const before = server.received.length;
    const result = await sendOnce(
      `- name: l\n  loki:\n    url: "${server.url}"\n    streamLabels: { ns: "{{ if eq .Reason \\"${events[1]?.raw.reason ?? ''}\\" }}{{ else }}x{{ end }}" }`,
      events,
    );
    const dropped = events
      .map((e, i) => (e.raw.reason === events[1]?.raw.reason ? i : -1))
      .filter((i) => i >= 0);
    assert.deepEqual(summary(result), [
      'partial',
      [],
      dropped.map((i) => [
        i,
        'clientError',
        'every stream label rendered empty; Loki needs at least one label per stream',
      ]),
    ]);
    const values = (JSON.parse(server.received[before]?.body ?? '{}') as Push).streams.flatMap(
      (s) => s.values,
    );
    assert.equal(values.length, events.length - dropped.length);
  });

  const tooOld =
    'entry for stream \'{job="kube-event-router"}\' has timestamp too old: 2017-12-14T05:57:43Z, oldest acceptable timestamp is: 2025-12-25T12:00:00Z';
  const table: { answer: Answer; expected: unknown[] }[] = [
    { answer: { status: 204 }, expected: ['ok'] },
    { answer: { status: 200 }, expected: ['ok'] },
    { answer: { status: 400, body: tooOld }, expected: ['drop', 'clientError', `HTTP 400: ${tooOld}`] },
    {
      answer: {
        status: 400,
        body: 'entry with timestamp 2017-12-14 05:57:43 +0000 UTC ignored, reason: \'entry out of order\' for stream: {job="kube-event-router"},',
      },
      expected: [
        'drop',
        'clientError',
        'HTTP 400: entry with timestamp 2017-12-14 05:57:43 +0000 UTC ignored, reason: \'entry out of order\' for stream: {job="kube-event-router"},',
      ],
    },
    { answer: { status: 401, body: 'no org id' }, expected: ['drop', 'clientError', 'HTTP 401: no org id'] },
    {
      answer: {
        status: 429,
        body: 'Ingestion rate limit exceeded for user fake',
        headers: { 'retry-after': '5' },
      },
      expected: ['retry', 'rateLimited', 'HTTP 429: Ingestion rate limit exceeded for user fake', 5000],
    },
    {
      answer: { status: 429, body: 'Ingestion rate limit exceeded for user fake' },
      expected: ['retry', 'rateLimited', 'HTTP 429: Ingestion rate limit exceeded for user fake', undefined],
    },
    {
      answer: { status: 500, body: 'rpc error: code = Unavailable' },
      expected: ['retry', 'serverError', 'HTTP 500: rpc error: code = Unavailable', undefined],
    },
    { answer: { status: 503 }, expected: ['retry', 'serverError', 'HTTP 503', undefined] },
  ];
  for (const c of table) {
    it(`classifies HTTP ${c.answer.status}${c.answer.body ? `: ${c.answer.body.slice(0, 40)}` : ''}`, async () => {
      server.handler = () => c.answer;
      try {
        assert.deepEqual(
          summary(await sendOnce(`- name: l\n  loki: { url: "${server.url}" }`, someEvents(2))),
          c.expected,
        );
      } finally {
        server.handler = () => ({ status: 204 });
      }
    });
  }

  it('keeps the password, URL credentials and header secrets out of errors when Loki echoes the request', async () => {
    server.handler = (req) => ({
      status: 401,
      body: `denied ${req.headers.authorization ?? ''} ${req.headers['x-api-key'] ?? ''} ${req.url}`,
    });
    try {
      const url = `http://proxy:pr0xy-pass-9@127.0.0.1:${server.port}/loki/api/v1/push?token=url-tok-5511`;
      const yaml = `- name: l\n  loki:\n    url: "${url}"\n    username: u\n    password: "\${P}"\n    headers: { X-Api-Key: "\${K}" }`;
      const result = await sendOnce(yaml, someEvents(1), { P: 'pw-s3cret-777', K: 'hdr-key-31337' });
      const message = summary(result)[2] as string;
      assert.match(message, /^HTTP 401: denied \[Redacted\] \[Redacted\]/);
      for (const secret of [
        'pw-s3cret-777',
        'hdr-key-31337',
        'url-tok-5511',
        'pr0xy-pass-9',
        Buffer.from('u:pw-s3cret-777').toString('base64'),
      ]) {
        assert.ok(!message.includes(secret), message);
      }
    } finally {
      server.handler = () => ({ status: 204 });
    }
  });
});

describe('loki over HTTPS (tls applied)', () => {
  let pki: Pki;
  let server: TestServer;
  before(async () => {
    pki = makePki();
    server = await startHttpsServer(pki, 'server', () => ({ status: 204 }));
  });
  after(async () => {
    await server.close();
    pki.remove();
  });

  it('trusts tls.caFile, presents the client certificate, and refuses an unknown CA without it', async () => {
    const before = server.received.length;
    const tls = `{ caFile: ${pki.files.caCert}, certFile: ${pki.files.clientCert}, keyFile: ${pki.files.clientKey} }`;
    assert.deepEqual(
      await sendOnce(`- name: l\n  loki: { url: "${server.url}", tls: ${tls} }`, someEvents(1)),
      { kind: 'ok' },
    );
    assert.equal(server.received[before]?.clientCn, 'router-client');
    const refused = await sendOnce(`- name: l\n  loki: { url: "${server.url}" }`, someEvents(1));
    assert.deepEqual(summary(refused).slice(0, 2), ['retry', 'network']);
  });
});

describe('loki end to end: run with the replay source', () => {
  let server: TestServer;
  let dir: string;
  before(async () => {
    server = await startHttpServer(() => ({ status: 204 }));
    dir = mkdtempSync(join(tmpdir(), 'ker-loki-'));
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every routed event is one entry in Loki, in its stream, once (a 429 retried)', async () => {
    let first = true;
    server.handler = () => {
      if (!first) return { status: 204 };
      first = false;
      return { status: 429, body: 'Ingestion rate limit exceeded', headers: { 'retry-after': '0' } };
    };
    const events = join(dir, 'events.ndjson');
    writeFileSync(events, realEventLines().slice(0, 300).join('\n'));
    const routed = join(dir, 'routed.ndjson');
    const configPath = join(dir, 'config.yaml');
    writeFileSync(
      configPath,
      [
        'route: { routes: [{ match: [{ receiver: loki }, { receiver: routed }] }] }',
        'receivers:',
        '  - name: loki',
        '    loki:',
        `      url: "${server.url}"`,
        '      tenantID: cluster-a',
        '      streamLabels: { job: kube-events, namespace: "{{ .InvolvedObject.Namespace }}", kind: "{{ .InvolvedObject.Kind }}" }',
        '    batch: { maxEvents: 50 }',
        '    retry: { initialDelayMs: 0, maxDelayMs: 0 }',
        '  - name: routed',
        `    file: { path: "${routed}" }`,
        '',
      ].join('\n'),
    );
    const silent = new Writable({ write: (_chunk, _enc, done) => done() });
    const app = await startApp({
      configPath,
      source: { kind: 'replay', path: events },
      metricsAddress: '',
      logDestination: silent,
    });
    const result = await app.done;
    assert.equal(result.deadLettered, 0);
    const routedLines = readFileSync(routed, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    assert.ok(routedLines.length > 200, `routed ${routedLines.length}`);
    const accepted = server.received.slice(1);
    assert.ok(
      accepted.every((r) => r.headers['x-scope-orgid'] === 'cluster-a' && r.url === '/loki/api/v1/push'),
    );
    const entries = accepted.flatMap((r) =>
      (JSON.parse(r.body) as Push).streams.flatMap((s) =>
        s.values.map((v) => ({ stream: s.stream, line: v[1] })),
      ),
    );
    assert.equal(entries.length, routedLines.length, 'none missing, none twice');
    assert.deepEqual(entries.map((e) => e.line).sort(), [...routedLines].sort());
    for (const e of entries) {
      const doc = JSON.parse(e.line) as { involvedObject: { namespace?: string; kind?: string } };
      const want: Record<string, string> = { job: 'kube-events' };
      if (doc.involvedObject.namespace) want['namespace'] = doc.involvedObject.namespace;
      if (doc.involvedObject.kind) want['kind'] = doc.involvedObject.kind;
      assert.deepEqual(e.stream, want);
    }
  });
});
