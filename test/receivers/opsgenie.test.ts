// The Opsgenie receiver against a local Alert API on 127.0.0.1 that checks the key, the
// documented field limits and keeps alerts by alias (create, close, acknowledge).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ConfigError, loadConfigText } from '../../src/config/load.ts';
import { opsgenieBaseUrl } from '../../src/receivers/opsgenie/options.ts';
import { limitDetails, limitTags } from '../../src/receivers/opsgenie/send.ts';
import { at, someEvents } from '../output/helpers.ts';
import { eventWithReason, nodeNotReady, rig, sendOnce, summary } from './im-helpers.ts';
import { opsgenieCreateProblem, startFakeOpsgenie } from './im-services.ts';
import type { FakeOpsgenie } from './im-services.ts';
import type { Answer } from './servers.ts';

const KEY = 'og-key-3f9a1c77-5d2e';
const env = { OG_KEY: KEY };

function item(url: string, extra: string, action = 'create'): string {
  return [
    `- name: og`,
    `  opsgenie:`,
    `    apiKey: "\${OG_KEY}"`,
    `    URL: "${url}"`,
    `    action: ${action}`,
    ...extra
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => `    ${l}`),
  ].join('\n');
}

const BASIC = `message: "{{ .Reason }} on {{ .InvolvedObject.Kind }}/{{ .InvolvedObject.Name }}"\nalias: "{{ .InvolvedObject.Kind }}-{{ .InvolvedObject.Name }}-{{ .Reason }}"`;

describe('opsgenie', () => {
  let og: FakeOpsgenie;
  before(async () => (og = await startFakeOpsgenie(KEY)));
  after(() => og.close());
  beforeEach(() => {
    og.alerts.clear();
    og.inject.length = 0;
  });

  it('creates an alert with GenieKey auth and every templated field', async () => {
    const extra = [
      'message: "{{ .Reason }}: {{ .InvolvedObject.Name }}"',
      'alias: "{{ .UID }}"',
      'priority: "{{ if eq .Type \\"Warning\\" }}P2{{ else }}p4{{ end }}"',
      'description: "{{ .Message }}"',
      'tags: ["{{ .InvolvedObject.Kind }}", "k8s", "{{ .Namespace }}"]',
      'details: { reason: "{{ .Reason }}", count: "{{ .Count }}" }',
      'responders: [{ type: team, name: platform }, { type: user, username: "oncall@example.com" }]',
      'entity: "{{ .InvolvedObject.Namespace }}/{{ .InvolvedObject.Name }}"',
      'source: kube-event-router',
      'note: "seen {{ .Count }} times"',
    ].join('\n');
    const r = rig(item(og.url, extra), env);
    const [event] = someEvents(1);
    assert.ok(event);
    const from = og.server.received.length;
    assert.deepEqual(await r.send([event]), { kind: 'ok' });
    await r.receiver.close();
    const req = at(og.server.received, from);
    assert.equal(req.url, '/v2/alerts');
    assert.equal(req.headers.authorization, `GenieKey ${KEY}`);
    assert.equal(req.headers['content-type'], 'application/json');
    const e = event.raw;
    assert.deepEqual(JSON.parse(req.body), {
      message: `${e.reason}: ${e.involvedObject.name}`,
      alias: e.metadata.uid,
      priority: e.type === 'Warning' ? 'P2' : 'P4',
      description: e.message,
      entity: `${e.involvedObject.namespace}/${e.involvedObject.name}`,
      source: 'kube-event-router',
      note: `seen ${e.count ?? 0} times`,
      tags: [e.involvedObject.kind, 'k8s', e.metadata.namespace],
      details: { count: String(e.count ?? 0), reason: e.reason },
      responders: [
        { type: 'team', name: 'platform' },
        { type: 'user', username: 'oncall@example.com' },
      ],
    });
    assert.equal(og.alerts.get(e.metadata.uid ?? '')?.status, 'open');
  });

  it('cuts every field to the API limits with a marker, so Opsgenie never refuses one for length', async () => {
    const tags = Array.from({ length: 25 }, (_, i) => `"t${i}-{{ repeat 10 .Reason }}"`).join(', ');
    const extra = [
      'message: "{{ repeat 20 .Reason }}"',
      'alias: "{{ repeat 100 .InvolvedObject.Name }}"',
      'description: "{{ repeat 400 .Message }}"',
      `tags: [${tags}]`,
      'details: { a: "{{ repeat 500 .Message }}", b: "{{ repeat 500 .Message }}", c: short }',
      'entity: "{{ repeat 100 .InvolvedObject.Name }}"',
      'source: "{{ repeat 30 .Reason }}"',
    ].join('\n');
    const r = rig(item(og.url, extra), env);
    const event = eventWithReason('FailedScheduling');
    const from = og.server.received.length;
    assert.deepEqual(await r.send([event]), { kind: 'ok' }, 'the API accepted it');
    await r.receiver.close();
    const body = JSON.parse(at(og.server.received, from).body) as Record<string, unknown>;
    assert.equal(opsgenieCreateProblem(body), undefined);
    const lengths = { message: 130, alias: 512, description: 15_000, entity: 512, source: 100 };
    for (const [key, max] of Object.entries(lengths)) {
      const value = body[key] as string;
      assert.equal(value.length, max, key);
      assert.ok(value.endsWith('…'), key);
    }
    const sentTags = body.tags as string[];
    assert.equal(sentTags.length, 20);
    assert.ok(sentTags.every((t) => t.length === 50 && t.endsWith('…')));
    const details = body.details as Record<string, string>;
    const total = Object.entries(details).reduce((n, [k, v]) => n + k.length + v.length, 0);
    assert.ok(total <= 8000, `details total ${total}`);
    assert.equal(details.c, undefined, 'later keys that no longer fit are left out');
    assert.ok(details.a?.endsWith('…'));
  });

  it('event text is data in every field: JSON breakers, newlines, template actions arrive whole', async () => {
    const hostile = '"}, "x": {"</script>\n\r\t{{ .Reason }}\u001b[31m\u2028\\`$(id)';
    const base = at(someEvents(1), 0);
    const event = { ...base, raw: { ...base.raw, message: hostile, reason: `r${hostile}`.slice(0, 40) } };
    const r = rig(
      item(
        og.url,
        'message: "{{ .Reason }}"\ndescription: "{{ .Message }}"\ntags: ["{{ .Reason }}"]\ndetails: { m: "{{ .Message }}" }\nnote: "{{ .Message }}"',
      ),
      env,
    );
    const from = og.server.received.length;
    assert.deepEqual(await r.send([event]), { kind: 'ok' });
    await r.receiver.close();
    const body = JSON.parse(at(og.server.received, from).body) as Record<string, unknown>;
    assert.ok(!('x' in body));
    assert.deepEqual(
      [body.message, body.description, body.note, (body.details as Record<string, string>).m],
      [event.raw.reason, hostile, hostile, hostile],
    );
    assert.deepEqual(body.tags, [event.raw.reason.trim()]);
  });

  it('limitTags and limitDetails: empty and duplicate tags skipped, short details untouched', () => {
    assert.deepEqual(limitTags(['a', ' ', 'a', 'b ']), ['a', 'b']);
    assert.deepEqual(limitDetails({ x: '1', y: '2' }), { x: '1', y: '2' });
    assert.deepEqual(Object.keys(limitDetails({ big: 'v'.repeat(9000), next: 'n' })), ['big']);
  });

  it('closes, on NodeReady, the alert NodeNotReady opened (same templated alias)', async () => {
    const alias = 'alias: "node-{{ .InvolvedObject.Name }}-notready"';
    const open = rig(
      item(og.url, `message: "Node {{ .InvolvedObject.Name }} is not ready"\n${alias}\npriority: P1`),
      env,
    );
    const close = rig(
      item(og.url, `${alias}\nnote: "{{ .Message }}"\nsource: kube-event-router`, 'close'),
      env,
    );
    const ack = rig(item(og.url, alias, 'acknowledge'), env);
    const ready = eventWithReason('NodeReady');
    const name = ready.raw.involvedObject.name ?? '';
    assert.deepEqual(await open.send([nodeNotReady()]), { kind: 'ok' });
    assert.equal(og.alerts.get(`node-${name}-notready`)?.status, 'open');
    const from = og.server.received.length;
    assert.deepEqual(await ack.send([ready]), { kind: 'ok' });
    assert.deepEqual(await close.send([ready]), { kind: 'ok' });
    const [ackReq, closeReq] = [at(og.server.received, from), at(og.server.received, from + 1)];
    assert.equal(
      ackReq.url,
      `/v2/alerts/node-${encodeURIComponent(name)}-notready/acknowledge?identifierType=alias`,
    );
    assert.equal(
      closeReq.url,
      `/v2/alerts/node-${encodeURIComponent(name)}-notready/close?identifierType=alias`,
    );
    assert.deepEqual(JSON.parse(closeReq.body), { source: 'kube-event-router', note: ready.raw.message });
    const alert = og.alerts.get(`node-${name}-notready`);
    assert.deepEqual([alert?.status, alert?.acknowledged], ['closed', true]);
    await Promise.all([open.receiver.close(), close.receiver.close(), ack.receiver.close()]);
  });

  it('escapes an alias with slashes and spaces in the close path', async () => {
    const r = rig(item(og.url, 'alias: "{{ .Namespace }}/{{ .Reason }} x"', 'close'), env);
    const event = at(someEvents(1), 0);
    const from = og.server.received.length;
    await r.send([event]);
    await r.receiver.close();
    assert.equal(
      at(og.server.received, from).url,
      `/v2/alerts/${encodeURIComponent(`${event.raw.metadata.namespace}/${event.raw.reason} x`)}/close?identifierType=alias`,
    );
  });

  it('defaults the alias to the occurrence id (a retried create is not a second alert) and the priority to P3', async () => {
    const r = rig(item(og.url, 'message: "{{ .Reason }}"\npriority: "{{ .Reason }}"'), env);
    const event = at(someEvents(1), 0);
    const from = og.server.received.length;
    og.inject.push({ status: 503 });
    assert.equal((await r.send([event])).kind, 'retry');
    assert.deepEqual(await r.send([event]), { kind: 'ok' });
    await r.receiver.close();
    const [first, second] = [at(og.server.received, from), at(og.server.received, from + 1)].map(
      (q) => JSON.parse(q.body) as Record<string, unknown>,
    );
    assert.equal(first?.alias, r.render(event).id);
    assert.equal(second?.alias, first?.alias);
    assert.equal(second?.priority, 'P3');
    assert.equal(og.alerts.get(String(first?.alias))?.count, 1);
    assert.ok(r.log.lines.some((l) => l.msg === 'Opsgenie priority is not P1 to P5; sending P3.'));
  });

  const table: { name: string; answer: Answer | 'wrongKey'; expected: unknown[] }[] = [
    {
      name: '202 accepted',
      answer: { status: 202, body: '{"result":"Request will be processed"}' },
      expected: ['ok'],
    },
    {
      name: '401 wrong key',
      answer: 'wrongKey',
      expected: [
        'drop',
        'clientError',
        'HTTP 401: {"message":"Could not authenticate","took":0,"requestId":"r-401"}',
      ],
    },
    {
      name: '422 unprocessable',
      answer: { status: 422, body: '{"message":"Request body is not processable."}' },
      expected: ['drop', 'clientError', 'HTTP 422: {"message":"Request body is not processable."}'],
    },
    { name: '403 forbidden', answer: { status: 403 }, expected: ['drop', 'clientError', 'HTTP 403'] },
    {
      name: '429 with Retry-After',
      answer: { status: 429, headers: { 'retry-after': '12' }, body: '{"message":"Rate limit exceeded"}' },
      expected: ['retry', 'rateLimited', 'HTTP 429: {"message":"Rate limit exceeded"}', 12_000],
    },
    {
      name: '429 without Retry-After',
      answer: { status: 429 },
      expected: ['retry', 'rateLimited', 'HTTP 429', undefined],
    },
    {
      name: '500',
      answer: { status: 500, body: 'oops' },
      expected: ['retry', 'serverError', 'HTTP 500: oops', undefined],
    },
    {
      name: '503 with Retry-After',
      answer: { status: 503, headers: { 'retry-after': '4' } },
      expected: ['retry', 'serverError', 'HTTP 503', 4000],
    },
  ];
  for (const row of table) {
    it(`answer → action: ${row.name}`, async () => {
      if (row.answer !== 'wrongKey') og.inject.push(row.answer);
      const result = await sendOnce(
        item(og.url, BASIC),
        someEvents(1),
        row.answer === 'wrongKey' ? { OG_KEY: 'og-wrong-key-0000' } : env,
      );
      assert.deepEqual(summary(result), row.expected);
    });
  }

  it('never puts the API key in an error, even when the service echoes the request', async () => {
    og.server.handler = (req) => ({
      status: 401,
      body: JSON.stringify({ message: 'Could not authenticate', got: req.headers.authorization }),
    });
    try {
      const result = await sendOnce(item(og.url, BASIC), someEvents(1), env);
      const message = result.kind === 'drop' ? result.error.message : '';
      assert.match(message, /^HTTP 401: /);
      assert.ok(!message.includes(KEY), message);
    } finally {
      const fresh = await startFakeOpsgenie(KEY);
      og.server.handler = fresh.server.handler;
      await fresh.close();
    }
  });

  it('reaches the EU instance and custom URLs: bare hosts as the exporter writes them, or full URLs', () => {
    assert.equal(opsgenieBaseUrl('api.eu.opsgenie.com'), 'https://api.eu.opsgenie.com');
    assert.equal(opsgenieBaseUrl('https://api.eu.opsgenie.com/'), 'https://api.eu.opsgenie.com');
    assert.equal(
      opsgenieBaseUrl('http://proxy.internal:8080/opsgenie'),
      'http://proxy.internal:8080/opsgenie',
    );
    assert.equal(opsgenieBaseUrl('ftp://x'), undefined);
  });

  const configErrors: [string, string, RegExp][] = [
    [
      'create without message',
      'apiKey: k',
      /receivers\[0\]\.opsgenie\.message: is required to create an alert/,
    ],
    [
      'close without alias',
      'apiKey: k\naction: close',
      /receivers\[0\]\.opsgenie\.alias: is required to close an alert/,
    ],
    [
      'a responder with two identifiers',
      'apiKey: k\nmessage: m\nresponders: [{ type: team, id: "1", name: x }]',
      /responders\[0\]: needs exactly one of id, name, username/,
    ],
    ['an unknown action', 'apiKey: k\nmessage: m\naction: resolve', /opsgenie\.action/],
    [
      'a template syntax error in priority',
      'apiKey: k\nmessage: m\npriority: "{{ .Reason "',
      /opsgenie\.priority/,
    ],
  ];
  for (const [name, block, expected] of configErrors) {
    it(`config error: ${name}`, () => {
      const text = `route: {}\nreceivers:\n  - name: og\n    opsgenie:\n${block
        .split('\n')
        .map((l) => `      ${l}`)
        .join('\n')}\n`;
      assert.throws(
        () => loadConfigText(text, { fileName: 'c.yaml', env: {} }),
        (err: unknown) => err instanceof ConfigError && expected.test(err.lines.join('\n')),
      );
    });
  }

  it('takes the exporter config as it is (URL as a host, sentUpdateEvent), one alert per request', () => {
    const text =
      'route: {}\nreceivers:\n  - name: og\n    opsgenie:\n      apiKey: k\n      URL: api.eu.opsgenie.com\n      sentUpdateEvent: true\n      message: m\n      tags: [a]\n      details: { x: y }\n';
    const receiver = loadConfigText(text, { fileName: 'c.yaml', env: {} }).config.receivers[0];
    assert.equal(receiver?.batch.maxEvents, 1);
    assert.deepEqual(Object.keys(receiver?.templates ?? {}).sort(), [
      'details.x',
      'message',
      'priority',
      'tags[0]',
    ]);
    assert.throws(
      () => loadConfigText(`${text}    batch: { maxEvents: 5 }\n`, { fileName: 'c.yaml', env: {} }),
      /above the opsgenie limit of 1/,
    );
  });
});
