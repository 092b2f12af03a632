import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Metrics } from '../../src/telemetry/metrics.ts';
import { ListenAddressError, parseListenAddress, startTelemetryServer } from '../../src/telemetry/server.ts';
import type { TelemetryServer } from '../../src/telemetry/server.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { parseExposition, sampleValue } from './exposition.ts';

describe('parseListenAddress', () => {
  const ok: [string, string | undefined, number][] = [
    [':2112', undefined, 2112],
    ['127.0.0.1:9000', '127.0.0.1', 9000],
    ['0.0.0.0:0', '0.0.0.0', 0],
    ['localhost:2112', 'localhost', 2112],
    ['[::1]:2112', '::1', 2112],
    ['[::]:80', '::', 80],
  ];
  for (const [address, host, port] of ok) {
    it(`${address} → ${host ?? '(all)'}:${port}`, () =>
      assert.deepEqual(parseListenAddress(address), { host, port }));
  }
  for (const bad of ['2112', ':http', ':70000', '::1:2112', 'host:', '']) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      assert.throws(
        () => parseListenAddress(bad),
        (err: unknown) => err instanceof ListenAddressError && err.code === 'E_LISTEN_ADDRESS',
      );
    });
  }
});

describe('startTelemetryServer', () => {
  const clock = new ManualClock();
  const metrics = new Metrics({ processMetrics: false });
  const state = { ready: false, lastActivityMs: clock.now() };
  const health = {
    ready: () => state.ready,
    lastActivityMs: () => state.lastActivityMs,
    maxSilenceMs: 300_000,
  };
  let server: TelemetryServer;
  let base: string;

  before(async () => {
    server = await startTelemetryServer({ address: '127.0.0.1:0', metrics, health, clock });
    base = `http://127.0.0.1:${server.port}`;
  });
  after(() => server.close());

  async function get(path: string, method = 'GET') {
    const res = await fetch(base + path, { method });
    return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
  }

  it('binds a free port when asked for port 0', () => {
    assert.ok(server.port > 0);
    assert.equal(server.host, '127.0.0.1');
  });

  it('/metrics serves the registry in the Prometheus text format', async () => {
    metrics.eventReceived('ADDED');
    const res = await get('/metrics');
    assert.equal(res.status, 200);
    assert.match(res.type ?? '', /^text\/plain; version=0\.0\.4/);
    assert.equal(
      sampleValue(parseExposition(res.body), 'kube_event_router_events_received_total', {
        change_type: 'ADDED',
      }),
      1,
    );
  });

  it('/readyz is 503 until the first list is done, then 200', async () => {
    const before = await get('/readyz');
    assert.equal(before.status, 503);
    assert.match(before.body, /first list/);
    state.ready = true;
    assert.deepEqual(await get('/readyz'), { status: 200, body: 'ok\n', type: 'text/plain; charset=utf-8' });
  });

  it('/healthz flips to 503 when the watch is silent longer than the bound, and back', async () => {
    assert.equal((await get('/healthz')).status, 200);
    await clock.advance(300_000);
    assert.equal((await get('/healthz')).status, 200, 'exactly the bound is still healthy');
    await clock.advance(1);
    const silent = await get('/healthz');
    assert.equal(silent.status, 503);
    assert.match(silent.body, /no event or bookmark from the watch for 300s \(limit 300s\)/);
    state.lastActivityMs = clock.now(); // a bookmark arrives
    assert.equal((await get('/healthz')).status, 200);
  });

  it('answers 404 elsewhere, 405 for other methods, HEAD without a body', async () => {
    assert.equal((await get('/')).status, 404);
    assert.equal((await get('/metrics/extra')).status, 404);
    assert.equal((await get('/healthz', 'POST')).status, 405);
    assert.deepEqual(await get('/readyz', 'HEAD'), {
      status: 200,
      body: '',
      type: 'text/plain; charset=utf-8',
    });
    assert.equal((await get('/healthz?verbose=1')).status, 200, 'a query string does not change the path');
  });
});

describe('startTelemetryServer edge cases', () => {
  const health = { ready: () => true, lastActivityMs: () => 0, maxSilenceMs: 0 };

  it('a bound of 0 disables the silence check', async () => {
    const server = await startTelemetryServer({
      address: '127.0.0.1:0',
      metrics: new Metrics({ processMetrics: false }),
      health,
      clock: new ManualClock(),
    });
    try {
      assert.equal((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status, 200);
    } finally {
      await server.close();
    }
  });

  it('rejects when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      await assert.rejects(
        startTelemetryServer({
          address: `127.0.0.1:${port}`,
          metrics: new Metrics({ processMetrics: false }),
          health,
        }),
        /EADDRINUSE/,
      );
    } finally {
      blocker.close();
    }
  });

  it('close() ends kept-alive connections so it resolves at once', async () => {
    const server = await startTelemetryServer({
      address: '127.0.0.1:0',
      metrics: new Metrics({ processMetrics: false }),
      health,
    });
    const res = await fetch(`http://127.0.0.1:${server.port}/metrics`, {
      headers: { connection: 'keep-alive' },
    });
    await res.text();
    await server.close();
    await assert.rejects(fetch(`http://127.0.0.1:${server.port}/metrics`));
  });
});
