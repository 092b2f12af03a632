// The WeChat Work receiver against a local WeChat Work API on 127.0.0.1: gettoken issuing
// (and counting) access tokens, message/send checking them (expired → 42001, unknown → 40014),
// and a group robot checking its key.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ConfigError, loadConfigText } from '../../src/config/load.ts';
import { at, someEvents } from '../output/helpers.ts';
import { rig, sendOnce, summary } from './im-helpers.ts';
import { startFakeWechat, wechatErr } from './im-services.ts';
import type { FakeWechat } from './im-services.ts';
import type { Answer, Handler } from './servers.ts';

const CORP_ID = 'ww4d2f0c1a9b8e7d6c';
const SECRET = 'wx-corpsecret-Zq81nB4x0pLk';
const KEY = '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
const env = { WX_SECRET: SECRET, WX_KEY: KEY };

describe('wechat', () => {
  let wx: FakeWechat;
  let defaultHandler: Handler;
  before(async () => {
    wx = await startFakeWechat(CORP_ID, SECRET, KEY);
    defaultHandler = wx.server.handler;
  });
  after(() => wx.close());
  beforeEach(() => {
    wx.messages.length = 0;
    wx.inject.length = 0;
    wx.server.handler = defaultHandler;
  });

  const app = (extra = ''): string =>
    [
      `- name: wx`,
      `  wechat:`,
      `    corpId: ${CORP_ID}`,
      `    corpSecret: "\${WX_SECRET}"`,
      `    agentId: 1000002`,
      `    apiUrl: "${wx.apiUrl}"`,
      ...extra
        .split('\n')
        .filter(Boolean)
        .map((l) => `    ${l}`),
    ].join('\n');
  const robot = (extra = ''): string =>
    [
      `- name: wxbot`,
      `  wechat:`,
      `    webhookUrl: "${wx.apiUrl}/cgi-bin/webhook/send?key=\${WX_KEY}"`,
      ...extra
        .split('\n')
        .filter(Boolean)
        .map((l) => `    ${l}`),
    ].join('\n');

  it("sends kube-eventer's text to @all by default, fetching the token once for many sends", async () => {
    const r = rig(app('labels: ["cluster: prod"]\ntoParty: "2|3"'), env);
    const issued = wx.tokensIssued;
    const events = someEvents(5);
    for (const e of events) assert.deepEqual(await r.send([e]), { kind: 'ok' });
    await r.receiver.close();
    assert.equal(wx.tokensIssued - issued, 1, 'one gettoken for five messages');
    const e = at(events, 0).raw;
    assert.deepEqual(at(wx.messages, 0), {
      touser: '@all',
      toparty: '2|3',
      totag: '',
      agentid: 1000002,
      msgtype: 'text',
      text: {
        content: `cluster: prod\nLevel:${e.type} \nKind:${e.involvedObject.kind} \nNamespace:${e.metadata.namespace} \nName:${e.metadata.name} \nReason:${e.reason} \nTimestamp:2023-07-10 05:24:15.59351 +0000 UTC \nMessage:${e.message}`,
      },
      safe: 0,
    });
  });

  it('shares one token fetch between concurrent sends', async () => {
    const r = rig(app(), env);
    const issued = wx.tokensIssued;
    const results = await Promise.all(someEvents(4).map((e) => r.send([e])));
    await r.receiver.close();
    assert.ok(results.every((x) => x.kind === 'ok'));
    assert.equal(wx.tokensIssued - issued, 1);
  });

  it('fetches a new token when expires_in has run out on the clock', async () => {
    const r = rig(app(), env);
    const issued = wx.tokensIssued;
    await r.send(someEvents(1));
    await r.clock.advance(6_000_000);
    await r.send(someEvents(1));
    assert.equal(wx.tokensIssued - issued, 1, 'still fresh after 100 minutes');
    await r.clock.advance(900_000);
    await r.send(someEvents(1));
    await r.receiver.close();
    assert.equal(wx.tokensIssued - issued, 2, 'refreshed before the 2-hour expiry');
    assert.equal(wx.messages.length, 3);
  });

  for (const [name, spoil] of [
    ['42001 access_token expired', (w: FakeWechat) => w.expireTokens()],
    ['40014 invalid access_token', (w: FakeWechat) => w.forgetTokens()],
  ] as const) {
    it(`refreshes the token once on ${name} and delivers`, async () => {
      const r = rig(app(), env);
      await r.send(someEvents(1));
      wx.messages.length = 0;
      const issued = wx.tokensIssued;
      const first = wx.server.received.length;
      spoil(wx);
      assert.deepEqual(await r.send(someEvents(1)), { kind: 'ok' });
      await r.receiver.close();
      assert.equal(wx.tokensIssued - issued, 1, 'exactly one new token');
      assert.equal(wx.messages.length, 1);
      assert.deepEqual(
        wx.server.received.slice(first).map((q) => new URL(q.url, 'http://x').pathname),
        ['/cgi-bin/message/send', '/cgi-bin/gettoken', '/cgi-bin/message/send'],
      );
    });
  }

  it('refuses a wrong corpSecret or corpId for good, without the secret in the error', async () => {
    const secret = await sendOnce(app(), someEvents(1), { WX_SECRET: 'wx-wrong-secret-123456' });
    assert.deepEqual(summary(secret).slice(0, 2), ['drop', 'clientError']);
    assert.match(summary(secret)[2] as string, /^WeChat gettoken errcode 40001: invalid credential/);
    const corp = await sendOnce(app().replace(CORP_ID, 'ww-unknown'), someEvents(1), env);
    assert.match(summary(corp)[2] as string, /^WeChat gettoken errcode 40013: invalid corpid/);
  });

  const table: [string, Answer, unknown[]][] = [
    [
      '45009 api freq out of limit',
      wechatErr(45009, 'api freq out of limit'),
      ['retry', 'rateLimited', 'WeChat errcode 45009: api freq out of limit', undefined],
    ],
    [
      '45033 too many concurrent calls',
      wechatErr(45033, 'api concurrent out of limit'),
      ['retry', 'rateLimited', 'WeChat errcode 45033: api concurrent out of limit', undefined],
    ],
    [
      '-1 system busy',
      wechatErr(-1, 'system busy'),
      ['retry', 'serverError', 'WeChat errcode -1: system busy', undefined],
    ],
    [
      '81013 user, party and tag all invalid',
      wechatErr(81013, 'user & party & tag all invalid'),
      ['drop', 'clientError', 'WeChat errcode 81013: user & party & tag all invalid'],
    ],
    [
      '60020 not allow to access from your ip',
      wechatErr(60020, 'not allow to access from your ip'),
      ['drop', 'clientError', 'WeChat errcode 60020: not allow to access from your ip'],
    ],
    [
      'HTTP 503 Retry-After',
      { status: 503, headers: { 'retry-after': '8' } },
      ['retry', 'serverError', 'HTTP 503', 8000],
    ],
  ];
  for (const [name, answer, expected] of table) {
    it(`answer → action (app): ${name}`, async () => {
      wx.inject.push(answer);
      assert.deepEqual(summary(await sendOnce(app(), someEvents(1), env)), expected);
    });
    it(`answer → action (robot): ${name}`, async () => {
      wx.inject.push(answer);
      assert.deepEqual(summary(await sendOnce(robot(), someEvents(1), env)), expected);
    });
  }

  it('keeps corpSecret and the access token out of errors, even when WeChat echoes the URL', async () => {
    wx.server.handler = (req, i) =>
      req.url.startsWith('/cgi-bin/message/send')
        ? { status: 200, body: JSON.stringify({ errcode: 40056, errmsg: `invalid agentid for ${req.url}` }) }
        : defaultHandler(req, i);
    const r = rig(app(), env);
    const result = await r.send(someEvents(1));
    await r.receiver.close();
    const message = result.kind === 'drop' ? result.error.message : '';
    assert.match(
      message,
      /^WeChat errcode 40056: invalid agentid for \/cgi-bin\/message\/send\?access_token=\[Redacted\]$/,
    );
    assert.ok(!message.includes('wx-token-'), message);
    assert.ok(!r.log.text().includes('wx-token-') && !r.log.text().includes(SECRET));
  });

  it('robot: text with mentions, key checked, key never in errors', async () => {
    const r = rig(
      robot('mentionedList: ["@all"]\nmentionedMobileList: ["13800001111"]\nlabels: ["cluster: prod"]'),
      env,
    );
    const event = at(someEvents(1), 0);
    assert.deepEqual(await r.send([event]), { kind: 'ok' });
    await r.receiver.close();
    const msg = at(wx.messages, 0) as { msgtype: string; text: Record<string, unknown> };
    assert.equal(msg.msgtype, 'text');
    assert.match(String(msg.text.content), /^cluster: prod\nLevel:Normal \nKind:Pod \n/);
    assert.deepEqual([msg.text.mentioned_list, msg.text.mentioned_mobile_list], [['@all'], ['13800001111']]);
    const wrong = await sendOnce(robot(), someEvents(1), { WX_KEY: 'wrong-robot-key-0000' });
    assert.deepEqual(summary(wrong), [
      'drop',
      'clientError',
      'WeChat errcode 93000: invalid webhook url, hint: [1700000000_5]',
    ]);
  });

  it('cuts text to 2,048 bytes and markdown to 4,096 with a marker, never inside a character', async () => {
    const text = rig(robot('layout: "{{ repeat 300 \\"事件\\" }}{{ repeat 100 .Message }}"'), env);
    const md = rig(robot('msgType: markdown\nlayout: "{{ repeat 100 .Message }}"'), env);
    await text.send(someEvents(1));
    await md.send(someEvents(1));
    await Promise.all([text.receiver.close(), md.receiver.close()]);
    const [t, m] = [at(wx.messages, 0), at(wx.messages, 1)] as {
      text?: { content: string };
      markdown?: { content: string };
    }[];
    const tc = t?.text?.content ?? '';
    const mc = m?.markdown?.content ?? '';
    assert.ok(
      Buffer.byteLength(tc) <= 2048 && Buffer.byteLength(tc) > 2040 && tc.endsWith('…'),
      String(Buffer.byteLength(tc)),
    );
    assert.ok(Buffer.byteLength(mc) <= 4096 && mc.endsWith('…'));
    assert.ok(!tc.includes('\uFFFD'));
  });

  const configErrors: [string, string, RegExp][] = [
    [
      'both modes',
      `webhookUrl: "https://h/cgi-bin/webhook/send?key=k"\ncorpId: c`,
      /wechat\.webhookUrl: use either webhookUrl/,
    ],
    ['app without agentId', `corpId: c\ncorpSecret: s`, /wechat\.agentId: is required/],
    ['nothing at all', `toUser: "@all"`, /wechat\.corpId: is required \(or set webhookUrl/],
    [
      'robot URL without key',
      `webhookUrl: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"`,
      /wechat\.webhookUrl: must be an http\(s\) URL with a key parameter/,
    ],
  ];
  for (const [name, block, expected] of configErrors) {
    it(`config error: ${name}`, () => {
      const text = `route: {}\nreceivers:\n  - name: w\n    wechat:\n${block
        .split('\n')
        .map((l) => `      ${l}`)
        .join('\n')}\n`;
      assert.throws(
        () => loadConfigText(text, { fileName: 'c.yaml', env: {} }),
        (err: unknown) => err instanceof ConfigError && expected.test(err.lines.join('\n')),
      );
    });
  }
});
