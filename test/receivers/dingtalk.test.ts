// The DingTalk receiver against a local robot on 127.0.0.1 that checks the access token and
// verifies the signature (timestamp within an hour, HMAC-SHA256) as DingTalk does.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ConfigError, loadConfigText } from '../../src/config/load.ts';
import { signedUrl } from '../../src/receivers/chat-robot/dingtalk.ts';
import { at, someEvents } from '../output/helpers.ts';
import { rig, sendOnce, summary } from './im-helpers.ts';
import { dingtalkErr, startFakeDingtalk } from './im-services.ts';
import type { FakeDingtalk } from './im-services.ts';
import type { Answer } from './servers.ts';

const TOKEN = 'dt-token-a5c19f3e02feba7b';
const SECRET = 'SEC4801ebab0yeuq924909668e5979f';
const env = { DT_TOKEN: TOKEN, DT_SECRET: SECRET };
const T0 = Date.UTC(2026, 0, 1);

describe('dingtalk', () => {
  let ding: FakeDingtalk;
  let serverNow = T0;
  before(async () => (ding = await startFakeDingtalk(TOKEN, SECRET, () => serverNow)));
  after(() => ding.close());
  beforeEach(() => {
    serverNow = T0;
    ding.messages.length = 0;
    ding.inject.length = 0;
  });

  const url = (): string => `http://127.0.0.1:${ding.server.port}/robot/send?access_token=\${DT_TOKEN}`;
  const item = (extra = ''): string =>
    [
      `- name: ding`,
      `  dingtalk:`,
      `    webhookUrl: "${url()}"`,
      `    secret: "\${DT_SECRET}"`,
      ...extra
        .split('\n')
        .filter(Boolean)
        .map((l) => `    ${l}`),
    ].join('\n');

  it("sends kube-eventer's text, signed, with label lines and @mentions", async () => {
    const r = rig(item('labels: ["cluster: prod", "region: hz"]\natMobiles: ["13800000000"]'), env);
    const event = at(someEvents(2, 1), 0);
    assert.deepEqual(await r.send([event]), { kind: 'ok' });
    await r.receiver.close();
    const e = event.raw;
    assert.deepEqual(ding.messages, [
      {
        msgtype: 'text',
        text: {
          content:
            `cluster: prod\nregion: hz\nLevel:${e.type} \nKind:${e.involvedObject.kind} \nNamespace:${e.metadata.namespace} \nName:${e.metadata.name} \n` +
            `Reason:${e.reason} \nTimestamp:${(e.lastTimestamp ?? e.eventTime ?? '').slice(0, 19).replace('T', ' ')} \nMessage:${e.message}\n@13800000000`,
        },
        at: { atMobiles: ['13800000000'], isAtAll: false },
      },
    ]);
    const query = new URL(at(ding.server.received, ding.server.received.length - 1).url, 'http://x')
      .searchParams;
    assert.equal(query.get('timestamp'), String(T0), 'the timestamp is the clock in ms');
  });

  it('refuses what DingTalk refuses: a timestamp over an hour off, a wrong secret (and neither leaks)', async () => {
    serverNow = T0 + 2 * 3_600_000;
    const stale = await sendOnce(item(), someEvents(1), env);
    assert.deepEqual(summary(stale).slice(0, 2), ['drop', 'clientError']);
    assert.match(summary(stale)[2] as string, /^DingTalk errcode 310000: invalid timestamp/);
    serverNow = T0;
    const wrong = await sendOnce(item(), someEvents(1), { ...env, DT_SECRET: 'SECwrong-secret-0000' });
    assert.match(summary(wrong)[2] as string, /^DingTalk errcode 310000: sign not match/);
    const unsigned = await sendOnce(
      `- name: ding\n  dingtalk:\n    webhookUrl: "${url()}"`,
      someEvents(1),
      env,
    );
    assert.equal(unsigned.kind, 'drop');
    assert.equal(ding.messages.length, 0);
  });

  it('URL-encodes the base64 signature (+, / and = survive the query string)', () => {
    for (let ms = T0; ms < T0 + 50; ms++) {
      const signed = new URL(
        signedUrl(`https://oapi.dingtalk.com/robot/send?access_token=${TOKEN}`, SECRET, ms),
      );
      assert.equal(signed.searchParams.get('access_token'), TOKEN);
      assert.match(signed.searchParams.get('sign') ?? '', /^[A-Za-z0-9+/]{43}=$/);
      assert.ok(!/[+/=]/.test(signed.search.split('sign=')[1] ?? ''), signed.search);
    }
    assert.equal(
      signedUrl('https://h/robot/send?access_token=t', undefined, T0),
      'https://h/robot/send?access_token=t',
    );
  });

  it('sends markdown with the title and atAll', async () => {
    const r = rig(
      item('msgType: markdown\ntitle: "K8s events"\natAll: true\nlabels: ["cluster: prod"]'),
      env,
    );
    const event = at(someEvents(1), 0);
    assert.deepEqual(await r.send([event]), { kind: 'ok' });
    await r.receiver.close();
    const msg = at(ding.messages, 0) as {
      msgtype: string;
      markdown: { title: string; text: string };
      at: unknown;
    };
    assert.equal(msg.msgtype, 'markdown');
    assert.equal(msg.markdown.title, 'K8s events');
    assert.match(
      msg.markdown.text,
      /^### K8s events\n> cluster: prod\n\n- \*\*Level\*\*: Normal\n- \*\*Kind\*\*: Pod\n/,
    );
    assert.ok(msg.markdown.text.endsWith(`- **Message**: ${event.raw.message ?? ''}`));
    assert.deepEqual(msg.at, { atMobiles: [], isAtAll: true });
  });

  it('a string layout is the text; a layout map with msgtype is the whole message', async () => {
    const text = rig(item('layout: "{{ .Reason }} on {{ .InvolvedObject.Name }}"'), env);
    const whole = rig(
      item(
        'layout:\n  msgtype: link\n  link: { title: "{{ .Reason }}", text: "{{ .Message }}", messageUrl: "https://k8s.example/{{ .Name }}" }',
      ),
      env,
    );
    const event = at(someEvents(1), 0);
    await text.send([event]);
    await whole.send([event]);
    await Promise.all([text.receiver.close(), whole.receiver.close()]);
    assert.deepEqual(at(ding.messages, 0), {
      msgtype: 'text',
      text: { content: `${event.raw.reason} on ${event.raw.involvedObject.name}` },
      at: { atMobiles: [], isAtAll: false },
    });
    assert.deepEqual(at(ding.messages, 1), {
      msgtype: 'link',
      link: {
        title: event.raw.reason,
        text: event.raw.message,
        messageUrl: `https://k8s.example/${event.raw.metadata.name}`,
      },
    });
  });

  it('any other layout map is one "key: value" line per key (sorted, as the layout JSON is), after the labels', async () => {
    const r = rig(
      item(
        'labels: ["cluster: prod"]\nlayout:\n  what: "{{ .Reason }}"\n  where: "{{ .InvolvedObject.Namespace }}/{{ .InvolvedObject.Name }}"\n  severity: 2',
      ),
      env,
    );
    const event = at(someEvents(1), 0);
    await r.send([event]);
    await r.receiver.close();
    const e = event.raw;
    assert.deepEqual(at(ding.messages, 0).text, {
      content: `cluster: prod\nseverity: 2\nwhat: ${e.reason}\nwhere: ${e.involvedObject.namespace}/${e.involvedObject.name}`,
    });
  });

  const table: [string, Answer, unknown[]][] = [
    ['errcode 0', dingtalkErr(0, 'ok'), ['ok']],
    [
      'errcode 130101 send too fast',
      dingtalkErr(130101, 'send too fast, exceed 20 times per minute'),
      ['retry', 'rateLimited', 'DingTalk errcode 130101: send too fast, exceed 20 times per minute', 60_000],
    ],
    [
      'errcode -1 busy',
      dingtalkErr(-1, 'system busy'),
      ['retry', 'serverError', 'DingTalk errcode -1: system busy', undefined],
    ],
    [
      'errcode 310000 keywords not in content',
      dingtalkErr(310000, 'keywords not in content'),
      ['drop', 'clientError', 'DingTalk errcode 310000: keywords not in content'],
    ],
    [
      'errcode 400013 group disbanded',
      dingtalkErr(400013, 'group is disbanded'),
      ['drop', 'clientError', 'DingTalk errcode 400013: group is disbanded'],
    ],
    [
      '200 that is not JSON',
      { status: 200, body: '<html>proxy</html>' },
      ['retry', 'serverError', 'unexpected DingTalk answer: <html>proxy</html>', undefined],
    ],
    [
      'HTTP 429 Retry-After',
      { status: 429, headers: { 'retry-after': '30' } },
      ['retry', 'rateLimited', 'HTTP 429', 30_000],
    ],
    ['HTTP 500', { status: 500, body: 'down' }, ['retry', 'serverError', 'HTTP 500: down', undefined]],
    ['HTTP 404', { status: 404 }, ['drop', 'clientError', 'HTTP 404']],
  ];
  for (const [name, answer, expected] of table) {
    it(`answer → action: ${name}`, async () => {
      ding.inject.push(answer);
      assert.deepEqual(summary(await sendOnce(item(), someEvents(1), env)), expected);
    });
  }

  it('stops a batch at the first retry and reports the rest as retry (partial)', async () => {
    ding.inject.push(
      dingtalkErr(0, 'ok'),
      dingtalkErr(310000, 'keywords not in content'),
      dingtalkErr(130101, 'send too fast'),
    );
    const result = await sendOnce(item(), someEvents(5), env);
    assert.deepEqual(summary(result), ['partial', [2, 3, 4], [1]]);
    assert.deepEqual(result.kind === 'partial' ? [result.reason, result.retryAfterMs] : [], [
      'rateLimited',
      60_000,
    ]);
  });

  it('keeps the access token, secret, timestamp and sign out of errors, even when echoed', async () => {
    const before = ding.server.received.length;
    ding.inject.push({ status: 400, body: 'placeholder' });
    ding.server.handler = (req) => ({
      status: 200,
      body: JSON.stringify({ errcode: 310000, errmsg: `bad request ${req.url} ${req.body.slice(0, 20)}` }),
    });
    try {
      const result = await sendOnce(item(), someEvents(1), env);
      const message = result.kind === 'drop' ? result.error.message : '';
      const query = new URL(at(ding.server.received, before).url, 'http://x').searchParams;
      assert.match(
        message,
        /^DingTalk errcode 310000: bad request \/robot\/send\?access_token=\[Redacted\]&timestamp=\[Redacted\]&sign=\[Redacted\]/,
      );
      for (const secret of [
        TOKEN,
        SECRET,
        query.get('sign') ?? 'none',
        encodeURIComponent(query.get('sign') ?? 'none'),
      ])
        assert.ok(!message.includes(secret), message);
    } finally {
      const fresh = await startFakeDingtalk(TOKEN, SECRET, () => serverNow);
      ding.server.handler = fresh.server.handler;
      await fresh.close();
      ding.inject.length = 0;
    }
  });

  const configErrors: [string, string, RegExp][] = [
    [
      'a URL without access_token',
      'webhookUrl: "https://oapi.dingtalk.com/robot/send"',
      /webhookUrl: must be an http\(s\) URL with an access_token parameter/,
    ],
    [
      'an unknown msgType',
      'webhookUrl: "https://h/robot/send?access_token=t"\nmsgType: actionCard',
      /dingtalk\.msgType/,
    ],
    [
      'more than one event per message',
      'webhookUrl: "https://h/robot/send?access_token=t"',
      /above the dingtalk limit of 1/,
    ],
  ];
  for (const [name, block, expected] of configErrors) {
    it(`config error: ${name}`, () => {
      const batch = name.startsWith('more') ? '    batch: { maxEvents: 10 }\n' : '';
      const text = `route: {}\nreceivers:\n  - name: d\n    dingtalk:\n${block
        .split('\n')
        .map((l) => `      ${l}`)
        .join('\n')}\n${batch}`;
      assert.throws(
        () => loadConfigText(text, { fileName: 'c.yaml', env: {} }),
        (err: unknown) => err instanceof ConfigError && expected.test(err.lines.join('\n')),
      );
    });
  }
});
