// The webhook receiver against a real HTTP(S) server on 127.0.0.1.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRenderer } from '../../src/output/payload.ts';
import { createReceiver } from './create-receiver.ts';
import type { Payload, Receiver, SendResult } from '../../src/receivers/common/types.ts';
import { ReceiverSetupError } from '../../src/receivers/common/types.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { at, memoryLogger, receiverFromYaml, someEvents } from '../output/helpers.ts';
import { makePki, startHttpServer, startHttpsServer } from './servers.ts';
import type { Answer, Pki, TestServer } from './servers.ts';

const clock = new ManualClock(Date.UTC(2026, 0, 1));

function webhook(
  yaml: string,
  env: Record<string, string> = {},
): { receiver: Receiver; payloads: (n: number) => Payload[] } {
  const config = receiverFromYaml(yaml, env);
  const receiver = createReceiver(config, { clock, logger: memoryLogger().logger });
  const render = createRenderer(config);
  return { receiver, payloads: (n) => someEvents(n).map(render) };
}

async function sendOnce(yaml: string, n = 1, env: Record<string, string> = {}): Promise<SendResult> {
  const { receiver, payloads } = webhook(yaml, env);
  try {
    return await receiver.send(payloads(n), new AbortController().signal);
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
      return ['partial'];
  }
}

describe('webhook over HTTP', () => {
  let server: TestServer;
  before(async () => (server = await startHttpServer()));
  after(() => server.close());

  it('posts one payload as the body, with content type and idempotency key', async () => {
    server.handler = () => ({ status: 200 });
    const { receiver, payloads } = webhook(`- name: hook\n  webhook: { endpoint: "${server.url}events" }`);
    const [payload] = payloads(1) as [Payload];
    const before = server.received.length;
    assert.deepEqual(await receiver.send([payload], new AbortController().signal), { kind: 'ok' });
    await receiver.close();
    const got = at(server.received, before);
    assert.equal(got.method, 'POST');
    assert.equal(got.url, '/events');
    assert.equal(got.body, payload.body);
    assert.equal(got.headers['content-type'], 'application/json');
    assert.equal(got.headers['idempotency-key'], payload.id);
    assert.match(payload.id, /^[0-9a-f-]{36}-\d+$/);
  });

  it('uses the configured method and renders headers per event', async () => {
    server.handler = () => ({ status: 204 });
    const yaml = `- name: hook\n  webhook:\n    endpoint: "${server.url}"\n    method: PUT\n    headers:\n      X-Reason: '{{ .Reason }}'\n      X-Api-Key: '\${API_KEY}'\n      Content-Type: application/vnd.events+json`;
    const { receiver, payloads } = webhook(yaml, { API_KEY: 'k-123' });
    const events = someEvents(5);
    const before = server.received.length;
    for (const p of payloads(5))
      assert.deepEqual(await receiver.send([p], new AbortController().signal), { kind: 'ok' });
    await receiver.close();
    const got = server.received.slice(before);
    assert.deepEqual(
      got.map((r) => r.method),
      ['PUT', 'PUT', 'PUT', 'PUT', 'PUT'],
    );
    assert.deepEqual(
      got.map((r) => r.headers['x-reason']),
      events.map((e) => e.raw.reason),
    );
    assert.ok(got.every((r) => r.headers['x-api-key'] === 'k-123'));
    assert.ok(
      got.every((r) => r.headers['content-type'] === 'application/vnd.events+json'),
      'a configured Content-Type replaces ours',
    );
  });

  it('sends a JSON array of payloads when batch.maxEvents > 1, even for a batch of one', async () => {
    server.handler = () => ({ status: 200 });
    const { receiver, payloads } = webhook(
      `- name: hook\n  webhook: { endpoint: "${server.url}" }\n  batch: { maxEvents: 50 }`,
    );
    const batch = payloads(3);
    const before = server.received.length;
    await receiver.send(batch, new AbortController().signal);
    await receiver.send(batch.slice(0, 1), new AbortController().signal);
    await receiver.close();
    const three = at(server.received, before);
    const one = at(server.received, before + 1);
    assert.deepEqual(
      JSON.parse(three.body),
      batch.map((p) => JSON.parse(p.body) as unknown),
    );
    assert.deepEqual(JSON.parse(one.body), [JSON.parse(at(batch, 0).body)]);
    assert.match(three.headers['idempotency-key'] as string, /^batch-[0-9a-f]{32}$/);
    assert.equal(one.headers['idempotency-key'], at(batch, 0).id);
  });

  describe('a batch whose events render different headers', () => {
    const yaml = (url: string) =>
      `- name: hook\n  webhook:\n    endpoint: "${url}"\n    headers: { X-Reason: '{{ .Reason }}' }\n  batch: { maxEvents: 50 }`;
    const reasonOf = (body: string) => (JSON.parse(body) as { reason?: string }).reason ?? '';

    it('sends one request per set of rendered headers, each event with its own', async () => {
      server.handler = () => ({ status: 200 });
      const { receiver, payloads } = webhook(yaml(server.url));
      const batch = payloads(40);
      const reasons = [...new Set(batch.map((p) => reasonOf(p.body)))];
      assert.ok(reasons.length > 1, 'the real events have several reasons');
      const before = server.received.length;
      assert.deepEqual(await receiver.send(batch, new AbortController().signal), { kind: 'ok' });
      await receiver.close();
      const got = server.received.slice(before);
      // One request per reason, in the order each first appears; every event exactly once.
      assert.deepEqual(
        got.map((r) => r.headers['x-reason']),
        reasons,
      );
      for (const request of got) {
        const bodies = (JSON.parse(request.body) as unknown[]).map((item) => JSON.stringify(item));
        const expected = batch.filter((p) => reasonOf(p.body) === request.headers['x-reason']);
        assert.deepEqual(
          bodies,
          expected.map((p) => JSON.stringify(JSON.parse(p.body))),
        );
      }
    });

    it('dead-letters the events of a refused request and delivers the others', async () => {
      const { receiver, payloads } = webhook(yaml(server.url));
      const batch = payloads(40);
      const refused = reasonOf(at(batch, 0).body);
      server.handler = (r) => ({ status: r.headers['x-reason'] === refused ? 400 : 200 });
      const result = await receiver.send(batch, new AbortController().signal);
      await receiver.close();
      assert.equal(result.kind, 'partial');
      if (result.kind !== 'partial') return;
      assert.deepEqual(result.retry, []);
      assert.deepEqual(
        result.drop.map((d) => d.index),
        batch.flatMap((p, index) => (reasonOf(p.body) === refused ? [index] : [])),
      );
    });

    it('retries the rest of the batch with a request the endpoint asked to retry', async () => {
      const { receiver, payloads } = webhook(yaml(server.url));
      const batch = payloads(40);
      const before = server.received.length;
      server.handler = () => ({ status: 503 });
      const result = await receiver.send(batch, new AbortController().signal);
      await receiver.close();
      assert.equal(server.received.length - before, 1, 'nothing more is sent after a 503');
      assert.deepEqual(summary(result), ['retry', 'serverError', 'HTTP 503', undefined]);
    });
  });

  const statuses: { answer: Answer; expected: unknown[] }[] = [
    { answer: { status: 200 }, expected: ['ok'] },
    { answer: { status: 202, body: 'queued' }, expected: ['ok'] },
    {
      answer: { status: 400, body: '{"error":"invalid payload"}' },
      expected: ['drop', 'clientError', 'HTTP 400: {"error":"invalid payload"}'],
    },
    { answer: { status: 404 }, expected: ['drop', 'clientError', 'HTTP 404'] },
    {
      answer: { status: 413, body: 'x'.repeat(5000) },
      expected: ['drop', 'clientError', `HTTP 413: ${'x'.repeat(200)}…`],
    },
    { answer: { status: 408 }, expected: ['retry', 'timeout', 'HTTP 408', undefined] },
    {
      answer: { status: 429, headers: { 'retry-after': '3' } },
      expected: ['retry', 'rateLimited', 'HTTP 429', 3000],
    },
    { answer: { status: 429 }, expected: ['retry', 'rateLimited', 'HTTP 429', undefined] },
    {
      answer: { status: 503, headers: { 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' } },
      expected: ['retry', 'serverError', 'HTTP 503', 30000],
    },
    {
      answer: { status: 500, body: 'boom\n  trace' },
      expected: ['retry', 'serverError', 'HTTP 500: boom trace', undefined],
    },
    {
      answer: { status: 502, headers: { 'retry-after': '9' } },
      expected: ['retry', 'serverError', 'HTTP 502', undefined],
    },
  ];
  for (const c of statuses) {
    it(`classifies HTTP ${c.answer.status}${c.answer.headers ? ' with Retry-After' : ''}`, async () => {
      server.handler = () => c.answer;
      assert.deepEqual(
        summary(await sendOnce(`- name: hook\n  webhook: { endpoint: "${server.url}" }`)),
        c.expected,
      );
    });
  }

  it('keeps credentials from the URL and headers out of errors', async () => {
    server.handler = (req) => ({
      status: 401,
      body: `denied ${req.headers.authorization ?? ''} for ${req.url}`,
    });
    const endpoint = `http://user:hunter22@127.0.0.1:${server.port}/hook?token=tok-secret-1`;
    const yaml = `- name: hook\n  webhook:\n    endpoint: "${endpoint}"\n    headers: { Authorization: 'Bearer \${TOKEN}' }`;
    const result = await sendOnce(yaml, 1, { TOKEN: 'sk-live-abcdef' });
    assert.equal(result.kind, 'drop');
    const message = result.kind === 'drop' ? result.error.message : '';
    assert.match(message, /^HTTP 401: denied \[Redacted\] for \/hook\?token=\[Redacted\]$/);
    for (const secret of ['hunter22', 'tok-secret-1', 'sk-live-abcdef'])
      assert.ok(!message.includes(secret), message);
  });

  it('classifies a refused connection as a network retry', async () => {
    const closed = await startHttpServer();
    await closed.close();
    const result = await sendOnce(`- name: hook\n  webhook: { endpoint: "${closed.url}" }`);
    assert.deepEqual([result.kind, result.kind === 'retry' ? result.reason : ''], ['retry', 'network']);
    assert.match(result.kind === 'retry' ? result.error.message : '', /ECONNREFUSED/);
  });

  it('times out after timeoutMs', async () => {
    server.handler = () => undefined;
    const result = await sendOnce(`- name: hook\n  webhook: { endpoint: "${server.url}", timeoutMs: 100 }`);
    assert.deepEqual(summary(result).slice(0, 2), ['retry', 'timeout']);
  });
});

describe('webhook over HTTPS', () => {
  let pki: Pki;
  let server: TestServer;
  let nameOnly: TestServer;
  before(async () => {
    pki = makePki();
    server = await startHttpsServer(pki, 'server');
    nameOnly = await startHttpsServer(pki, 'nameOnly');
  });
  after(async () => {
    await server.close();
    await nameOnly.close();
    pki.remove();
  });

  const yaml = (url: string, tls: string) =>
    `- name: hook\n  webhook:\n    endpoint: "${url}"\n    tls: ${tls}`;

  it('trusts the server through tls.caFile', async () => {
    assert.deepEqual(await sendOnce(yaml(server.url, `{ caFile: ${pki.files.caCert} }`)), { kind: 'ok' });
  });

  it('refuses an unknown CA without caFile', async () => {
    const result = await sendOnce(yaml(server.url, '{}'));
    assert.deepEqual(summary(result).slice(0, 2), ['retry', 'network']);
    assert.match(result.kind === 'retry' ? result.error.message : '', /certificate/i);
  });

  it('skips verification with insecureSkipVerify', async () => {
    assert.deepEqual(await sendOnce(yaml(server.url, '{ insecureSkipVerify: true }')), { kind: 'ok' });
  });

  it('verifies against tls.serverName', async () => {
    const without = await sendOnce(yaml(nameOnly.url, `{ caFile: ${pki.files.caCert} }`));
    assert.match(
      without.kind === 'retry' ? without.error.message : '',
      /ERR_TLS_CERT_ALTNAME_INVALID|altnames/,
    );
    assert.deepEqual(
      await sendOnce(yaml(nameOnly.url, `{ caFile: ${pki.files.caCert}, serverName: receiver.test }`)),
      { kind: 'ok' },
    );
  });

  it('presents the client certificate from certFile and keyFile', async () => {
    const before = server.received.length;
    const tls = `{ caFile: ${pki.files.caCert}, certFile: ${pki.files.clientCert}, keyFile: ${pki.files.clientKey} }`;
    assert.deepEqual(await sendOnce(yaml(server.url, tls)), { kind: 'ok' });
    assert.equal(server.received[before]?.clientCn, 'router-client');
  });

  it('fails to build when a TLS file cannot be read', () => {
    assert.throws(
      () => webhook(yaml(server.url, '{ caFile: /nonexistent/ca.pem }')),
      (err: unknown) =>
        err instanceof ReceiverSetupError &&
        err.message === 'cannot read tls.caFile /nonexistent/ca.pem: ENOENT',
    );
  });
});
