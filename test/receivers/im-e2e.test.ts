// Opsgenie, DingTalk and WeChat Work end to end: `run` with the replay source over real events,
// routed by reason and type, against the local stand-ins on 127.0.0.1. A NodeNotReady opens an
// Opsgenie alert in one run; the NodeReady of a later run closes it by the same alias.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { startApp } from '../../src/app/app.ts';
import type { RunResult } from '../../src/app/app.ts';
import { startFakeDingtalk, startFakeOpsgenie, startFakeWechat } from './im-services.ts';
import type { FakeDingtalk, FakeOpsgenie, FakeWechat } from './im-services.ts';
import { realEventLines } from '../support/real-events.ts';

const OG_KEY = 'og-e2e-key-77f0a1';
const DT_TOKEN = 'dt-e2e-token-31c9';
const DT_SECRET = 'SECe2e-signing-secret-5a';
const WX_SECRET = 'wx-e2e-corpsecret-0b1c';
const WX_KEY = 'wx-e2e-robot-key-9d8e';

interface RawLine {
  metadata: { name: string; uid: string };
  involvedObject: { name?: string };
  reason?: string;
  type?: string;
  message?: string;
}

function config(og: FakeOpsgenie, ding: FakeDingtalk, wx: FakeWechat): string {
  const alias = '"node-{{ .InvolvedObject.Name }}-notready"';
  return [
    'route:',
    '  routes:',
    '    - match: [{ reason: "^NodeNotReady$", receiver: og-open }]',
    '    - match: [{ reason: "^NodeReady$", receiver: og-close }]',
    '    - match: [{ type: "^Warning$", receiver: ding }, { type: "^Warning$", receiver: wx }]',
    'receivers:',
    '  - name: og-open',
    `    opsgenie: { apiKey: "\${OG_KEY}", URL: "${og.url}", message: "Node {{ .InvolvedObject.Name }} is not ready", alias: ${alias}, priority: P1, tags: [node] }`,
    '  - name: og-close',
    `    opsgenie: { apiKey: "\${OG_KEY}", URL: "${og.url}", action: close, alias: ${alias}, note: "{{ .Message }}" }`,
    '  - name: ding',
    `    dingtalk: { webhookUrl: "${ding.webhookUrl.replace(DT_TOKEN, '${DT_TOKEN}')}", secret: "\${DT_SECRET}", labels: ["cluster: e2e"] }`,
    '  - name: wx',
    `    wechat: { corpId: corp-e2e, corpSecret: "\${WX_SECRET}", agentId: 1000002, apiUrl: "${wx.apiUrl}", labels: ["cluster: e2e"] }`,
    '',
  ].join('\n');
}

describe('opsgenie, dingtalk, wechat: run with the replay source', () => {
  let dir: string;
  let og: FakeOpsgenie;
  let ding: FakeDingtalk;
  let wx: FakeWechat;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ker-im-e2e-'));
    og = await startFakeOpsgenie(OG_KEY);
    ding = await startFakeDingtalk(DT_TOKEN, DT_SECRET, () => Date.now());
    wx = await startFakeWechat('corp-e2e', WX_SECRET, WX_KEY);
  });
  after(async () => {
    await Promise.all([og.close(), ding.close(), wx.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(name: string, lines: readonly string[]): Promise<{ result: RunResult; log: string }> {
    const events = join(dir, `${name}.ndjson`);
    writeFileSync(events, `${lines.join('\n')}\n`);
    const configPath = join(dir, 'config.yaml');
    writeFileSync(configPath, config(og, ding, wx));
    let log = '';
    const logDestination = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        log += chunk.toString('utf8');
        done();
      },
    });
    const env = { ...process.env, OG_KEY, DT_TOKEN, DT_SECRET, WX_SECRET };
    const app = await startApp({
      configPath,
      source: { kind: 'replay', path: events },
      metricsAddress: '',
      logDestination,
      env,
    });
    return { result: await app.done, log };
  }

  it('opens the alert, sends every warning to DingTalk (signed) and WeChat (one token); a later NodeReady closes the alert', async () => {
    const all = realEventLines();
    const readyLine = all.find((l) => (JSON.parse(l) as RawLine).reason === 'NodeReady') ?? '';
    const ready = JSON.parse(readyLine) as RawLine;
    const node = ready.involvedObject.name ?? '';
    const notReady = {
      ...ready,
      reason: 'NodeNotReady',
      type: 'Warning',
      message: `Node ${node} status is now: NodeNotReady`,
      metadata: { ...ready.metadata, uid: `${ready.metadata.uid}-nr`, name: `${ready.metadata.name}-nr` },
    };
    const sample = all.slice(0, 120).filter((l) => (JSON.parse(l) as RawLine).reason !== 'NodeReady');
    const first = await run('first', [JSON.stringify(notReady), ...sample]);

    const alias = `node-${node}-notready`;
    assert.equal(og.alerts.get(alias)?.status, 'open');
    assert.deepEqual(og.alerts.get(alias)?.body.tags, ['node']);
    const warnings = [notReady, ...sample.map((l) => JSON.parse(l) as RawLine)].filter(
      (e) => e.type === 'Warning',
    );
    assert.ok(warnings.length > 5, `${warnings.length} warnings`);
    const names = (messages: Record<string, unknown>[]): string[] =>
      messages.map((m) => /\nName:(.*) \n/.exec((m.text as { content: string }).content)?.[1] ?? '').sort();
    const expectedNames = [...new Set(warnings.map((w) => w.metadata.name))].sort();
    assert.deepEqual(
      [...new Set(names(ding.messages))].sort(),
      expectedNames,
      'DingTalk verified every signature and got every warning',
    );
    assert.deepEqual(names(wx.messages), names(ding.messages), 'WeChat got the same');
    assert.equal(wx.tokensIssued, 1, 'one access token for the whole run');
    assert.ok(
      (ding.messages[0]?.text as { content: string }).content.startsWith(
        'cluster: e2e\nLevel:Warning \nKind:Node \n',
      ),
    );
    assert.equal(first.result.deadLettered, 0);
    assert.equal(first.result.delivered, 1 + ding.messages.length + wx.messages.length);

    const second = await run('second', [readyLine]);
    assert.equal(og.alerts.get(alias)?.status, 'closed', 'closed by alias');
    assert.deepEqual(
      [second.result.accepted, second.result.delivered, second.result.deadLettered],
      [1, 1, 0],
    );
    for (const secret of [OG_KEY, DT_TOKEN, DT_SECRET, WX_SECRET, 'wx-token-']) {
      assert.ok(!first.log.includes(secret) && !second.log.includes(secret), `${secret} in the log`);
    }
  });
});
