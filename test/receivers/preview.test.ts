// render / --dry-run print, for each receiver type, the request its own code would send: the
// same receiver, sending the same real event to a real HTTP server on 127.0.0.1, must produce
// exactly that request (secrets aside, which the preview masks).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { loadEventInput } from '../../src/cli/input.ts';
import { loadConfigText } from '../../src/config/load.ts';
import { createRenderer } from '../../src/output/payload.ts';
import { createPreviewReceiver } from '../../src/receivers/preview.ts';
import { createReceiver, loadReceivers } from '../../src/receivers/registry.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { REAL_EVENTS_PATH } from '../support/real-events.ts';
import { cli, EXAMPLE } from '../cli/cli-process.ts';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

const seen: Seen[] = [];
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = String(v);
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      headers,
      body: Buffer.concat(chunks).toString(),
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        ok: true,
        errcode: 0,
        errmsg: 'ok',
        access_token: 'tok-from-server-1',
        expires_in: 7200,
      }),
    );
  });
});

const SECRETS = [
  'hook-secret-token',
  'og-secret-key-1',
  'sig-secret-1',
  'robot-token-1',
  'signing-secret-1',
  'xoxb-slack-secret',
  'loki-password-1',
  'wechat-key-1',
];

function receivers(base: string): Record<string, string> {
  return {
    webhook: `webhook: { endpoint: "${base}/hook?token=hook-secret-token", headers: { X-Token: hook-secret-token, X-Cluster: "{{ .ClusterName }}" } }`,
    opsgenie: `opsgenie: { apiKey: og-secret-key-1, URL: "${base}", message: "{{ .Message }}", alias: "{{ .Reason }}" }`,
    teams: `teams: { endpoint: "${base}/workflows/x/invoke?api-version=2016-06-01&sig=sig-secret-1" }`,
    dingtalk: `dingtalk: { webhookUrl: "${base}/robot/send?access_token=robot-token-1", secret: signing-secret-1, msgType: text }`,
    wechat: `wechat: { webhookUrl: "${base}/cgi-bin/webhook/send?key=wechat-key-1" }`,
    slack: `slack: { token: xoxb-slack-secret, apiUrl: "${base}/api/", channel: "#prod-alerts", message: "{{ .Message }}" }`,
    loki: `loki: { url: "${base}/loki/api/v1/push", username: u, password: loki-password-1 }`,
  };
}

describe('render / --dry-run show the request the receiver sends', () => {
  let base = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it('prints, per receiver type, the method, URL, headers and body its real request has; secrets masked', async () => {
    const input = await loadEventInput({
      events: REAL_EVENTS_PATH,
      demo: false,
      clusterName: 'prod',
      environment: {},
    });
    const event = input.events[0];
    assert.ok(event !== undefined);
    for (const [type, block] of Object.entries(receivers(base))) {
      const yaml = `clusterName: prod\nroute:\n  match:\n    - receiver: r\nreceivers:\n  - name: r\n    ${block}\n`;
      const receiver = loadConfigText(yaml, { fileName: 'c.yaml', env: {} }).config.receivers[0];
      assert.ok(receiver !== undefined);
      await loadReceivers([type]);
      const payload = createRenderer(receiver)(event);
      const signal = new AbortController().signal;
      const logger = pino({ level: 'silent' });
      const startMs = Date.UTC(2026, 5, 1);

      seen.length = 0;
      const real = createReceiver(receiver, { clock: new ManualClock(startMs), logger });
      assert.deepEqual(await real.send([payload], signal), { kind: 'ok' }, type);
      await real.close();

      const lines: string[] = [];
      const out = { write: (s: string) => lines.push(s) } as unknown as NodeJS.WritableStream;
      const preview = await createPreviewReceiver(receiver, {
        clock: new ManualClock(startMs),
        logger,
        out,
        notes: out,
        format: 'json',
        labelWidth: 0,
      });
      assert.deepEqual(await preview.send([payload], signal), { kind: 'ok' }, type);
      const printed = lines
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Seen & { receiver: string });

      assert.ok(seen.length > 0, `${type}: the real receiver made a request`);
      assert.equal(printed.length, seen.length, `${type}: one object per request`);
      printed.forEach((p, i) => {
        const s = seen[i] as Seen;
        assert.equal(p.receiver, 'r');
        assert.equal(p.method, s.method, type);
        assert.equal(p.body, s.body, `${type}: body`);
        const pu = new URL(p.url);
        const su = new URL(s.url, base);
        assert.equal(pu.origin + pu.pathname, su.origin + su.pathname, `${type}: url`);
        for (const [name, value] of su.searchParams) {
          const shown = pu.searchParams.get(name);
          assert.ok(shown === value || shown === '[Redacted]', `${type}: query ${name}`);
        }
        for (const [name, value] of Object.entries(p.headers)) {
          if (value !== '[Redacted]') assert.equal(value, s.headers[name], `${type}: header ${name}`);
          else assert.ok(s.headers[name] !== undefined, `${type}: masked header ${name} is sent`);
        }
        const text = JSON.stringify(p);
        for (const secret of SECRETS) assert.ok(!text.includes(secret), `${type}: ${secret} masked`);
      });
    }
  });

  it('run --dry-run -o json prints one JSON object per request for the example config, no secret in it', () => {
    const run = cli([
      'run',
      '-c',
      EXAMPLE,
      '--source',
      'demo',
      '--dry-run',
      '-o',
      'json',
      '--metrics-address',
      '',
    ]);
    assert.equal(run.status, 0, run.stderr);
    const objects = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const requests = objects.filter((o) => typeof o['method'] === 'string');
    for (const name of ['oncall', 'nodes', 'payments-team'])
      assert.ok(
        requests.some((r) => r['receiver'] === name),
        `${name} shows a request`,
      );
    for (const secret of [
      'xoxb-replace-with-a-bot-token',
      'replace-with-signature',
      'replace-with-robot-token',
      'replace-with-an-opsgenie-api-key',
    ])
      assert.ok(!run.stdout.includes(secret), `${secret} masked`);
  });
});
