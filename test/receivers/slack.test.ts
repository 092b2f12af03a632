// The slack receiver against a local server answering as Slack's Web API and incoming
// webhooks document (test/receivers/slack-server.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../src/config/load.ts';
import { createRenderer } from '../../src/output/payload.ts';
import { createReceiver } from './create-receiver.ts';
import type { Payload, SendResult } from '../../src/receivers/common/types.ts';
import { ManualClock } from '../../src/util/clock.ts';
import type { EnrichedEvent } from '../../src/event/event.ts';
import { at, memoryLogger, oneEvent, receiverFromYaml } from '../output/helpers.ts';
import type { HttpConformanceServer } from './conformance/harness.ts';
import {
  SLACK_HOOK_PATH,
  SLACK_TOKEN,
  hookError,
  slackError,
  slackMessage,
  slackOk,
  slackRateLimited,
  startSlackServer,
} from './slack-server.ts';

const signal = new AbortController().signal;

function withNamespace(event: EnrichedEvent, namespace: string, owner?: string): EnrichedEvent {
  const raw = { ...event.raw, involvedObject: { ...event.raw.involvedObject, namespace } };
  const object =
    owner === undefined
      ? event.object
      : {
          kind: 'Pod',
          name: 'p',
          namespace,
          labels: { owner },
          annotations: {},
          ownerReferences: [],
          owner: undefined,
        };
  return { ...event, raw, object } as EnrichedEvent;
}

function slack(server: HttpConformanceServer, options: string, clock = new ManualClock()) {
  const yaml = `- name: chat\n  slack:\n    apiUrl: "${server.origin}/api/"\n${options.replace(/^/gm, '    ')}`;
  const config = receiverFromYaml(yaml, { SLACK_TOKEN });
  const log = memoryLogger();
  const receiver = createReceiver(config, { clock, logger: log.logger });
  const render = createRenderer(config);
  const send = (event: EnrichedEvent): Promise<SendResult> =>
    receiver.send([render(event) as Payload], signal);
  return { receiver, send, clock, log };
}

describe('slack receiver', () => {
  let server: HttpConformanceServer;
  before(async () => (server = await startSlackServer()));
  after(() => server.close());

  it('posts chat.postMessage with the bearer token, a templated channel and the attachment', async () => {
    server.answerWith(slackOk);
    const s = slack(
      server,
      `token: '\${SLACK_TOKEN}'\nchannel: "#team-{{ .InvolvedObject.Namespace }}"\nmessage: "{{ .Reason }}"\ntitle: "{{ .InvolvedObject.Name }}"\nfields: { B: "two", A: "{{ .Count }}" }`,
    );
    const before = server.requests.length;
    assert.deepEqual(await s.send(withNamespace(oneEvent(), 'payments')), { kind: 'ok' });
    const req = at(server.requests, before);
    assert.equal(req.url, '/api/chat.postMessage');
    assert.equal(req.headers.authorization, `Bearer ${SLACK_TOKEN}`);
    const msg = slackMessage(req);
    assert.equal(msg.channel, '#team-payments');
    assert.equal(msg.text, oneEvent().raw.reason);
    assert.deepEqual(msg.attachments, [
      {
        title: oneEvent().raw.involvedObject.name,
        fields: [
          { title: 'A', value: String(oneEvent().raw.count ?? 0), short: false },
          { title: 'B', value: 'two', short: false },
        ],
      },
    ]);
  });

  it("takes the channel from the involved object's labels", async () => {
    server.answerWith(slackOk);
    const s = slack(server, `token: '\${SLACK_TOKEN}'\nchannel: "{{ .InvolvedObject.Labels.owner }}"`);
    const before = server.requests.length;
    await s.send(withNamespace(oneEvent(), 'default', '#payments-oncall'));
    assert.equal(slackMessage(at(server.requests, before)).channel, '#payments-oncall');
  });

  it('renders a Block Kit layout, every string a template, with the message as fallback text', async () => {
    server.answerWith(slackOk);
    const blocks = `blocks:\n  - type: header\n    text: { type: plain_text, text: "{{ .Reason }}" }\n  - type: section\n    fields:\n      - { type: mrkdwn, text: "*Object*\\n{{ .InvolvedObject.Kind }}/{{ .InvolvedObject.Name }}" }\n      - { type: mrkdwn, text: "*Count*\\n{{ .Count }}" }`;
    const s = slack(server, `token: '\${SLACK_TOKEN}'\nchannel: "#c"\n${blocks}`);
    const before = server.requests.length;
    await s.send(oneEvent());
    const e = oneEvent().raw;
    const msg = slackMessage(at(server.requests, before));
    assert.equal(msg.text, e.message);
    assert.deepEqual(msg.blocks, [
      { type: 'header', text: { type: 'plain_text', text: e.reason } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Object*\n${e.involvedObject.kind}/${e.involvedObject.name}` },
          { type: 'mrkdwn', text: `*Count*\n${e.count ?? 0}` },
        ],
      },
    ]);
  });

  it('paces each channel to one message per second without holding the others', async () => {
    server.answerWith(slackOk);
    const s = slack(server, `token: '\${SLACK_TOKEN}'\nchannel: "#{{ .InvolvedObject.Namespace }}"`);
    const before = server.requests.length;
    assert.equal((await s.send(withNamespace(oneEvent(), 'a'))).kind, 'ok');
    await s.clock.advance(400);
    const paced = await s.send(withNamespace(oneEvent(1), 'a'));
    assert.deepEqual(
      [
        paced.kind,
        paced.kind === 'retry' ? paced.retryAfterMs : 0,
        paced.kind === 'retry' ? paced.reason : '',
      ],
      ['retry', 600, 'rateLimited'],
    );
    assert.equal((await s.send(withNamespace(oneEvent(2), 'b'))).kind, 'ok', 'another channel goes at once');
    await s.clock.advance(600);
    assert.equal((await s.send(withNamespace(oneEvent(1), 'a'))).kind, 'ok');
    assert.deepEqual(
      server.requests.slice(before).map((r) => slackMessage(r).channel),
      ['#a', '#b', '#a'],
      'the paced message never reached Slack',
    );
  });

  it('after a 429 the channel waits Retry-After before the next try', async () => {
    const s = slack(server, `token: '\${SLACK_TOKEN}'\nchannel: "#c"`);
    server.answerWith(slackRateLimited(20));
    const before = server.requests.length;
    const first = await s.send(oneEvent());
    assert.equal(first.kind === 'retry' ? first.retryAfterMs : 0, 20_000);
    server.answerWith(slackOk);
    await s.clock.advance(5_000);
    const early = await s.send(oneEvent());
    assert.equal(early.kind === 'retry' ? early.retryAfterMs : 0, 15_000);
    assert.equal(server.requests.length - before, 1, 'one request: the client never retried by itself');
  });

  it('makes exactly one request per send whatever Slack answers (client retries off)', async () => {
    for (const answer of [
      slackRateLimited(1),
      slackRateLimited(),
      slackError('internal_error'),
      { status: 500 },
    ]) {
      server.answerWith(answer);
      const s = slack(server, `token: '\${SLACK_TOKEN}'\nchannel: "#c"`);
      const before = server.requests.length;
      assert.equal((await s.send(oneEvent())).kind, 'retry');
      assert.equal(server.requests.length - before, 1);
    }
  });

  it('logs a refused token loudly, once per error code', async () => {
    server.answerWith(slackError('invalid_auth'));
    const s = slack(server, `token: '\${SLACK_TOKEN}'\nchannel: "#c"`);
    for (let i = 0; i < 3; i++) {
      await s.clock.advance(1000);
      assert.equal((await s.send(oneEvent())).kind, 'drop');
    }
    server.answerWith(slackError('channel_not_found'));
    await s.clock.advance(1000);
    await s.send(oneEvent());
    const loud = s.log.lines.filter((l) => l.level === 50);
    assert.equal(loud.length, 1);
    assert.equal(loud[0]?.error, 'invalid_auth');
    assert.ok(!s.log.text().includes(SLACK_TOKEN));
  });

  it('incoming webhook: POSTs the message JSON, classifies status and text answers, keeps the URL secret', async () => {
    const s = slack(
      server,
      `webhookUrl: "${server.origin}${SLACK_HOOK_PATH}"\nmessage: "{{ .Reason }}"\ncolor: good`,
    );
    server.answerWith(slackOk);
    const before = server.requests.length;
    assert.deepEqual(await s.send(oneEvent()), { kind: 'ok' });
    const req = at(server.requests, before);
    assert.equal(req.url, SLACK_HOOK_PATH);
    assert.equal(req.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(req.body), { text: oneEvent().raw.reason, attachments: [{ color: 'good' }] });
    const table: [ReturnType<typeof hookError>, string, string][] = [
      [hookError(400, 'invalid_payload'), 'drop', 'Slack webhook: HTTP 400: invalid_payload'],
      [hookError(404, 'channel_not_found'), 'drop', 'Slack webhook: HTTP 404: channel_not_found'],
      [hookError(410, 'channel_is_archived'), 'drop', 'Slack webhook: HTTP 410: channel_is_archived'],
      [hookError(403, 'action_prohibited'), 'drop', 'Slack webhook: HTTP 403: action_prohibited'],
      [
        { ...hookError(429, 'rate_limited'), headers: { 'retry-after': '9' } },
        'retry',
        'Slack webhook: HTTP 429: rate_limited',
      ],
      [
        hookError(500, `rollup_error at ${SLACK_HOOK_PATH}`),
        'retry',
        'Slack webhook: HTTP 500: rollup_error at [Redacted]',
      ],
    ];
    for (const [answer, kind, message] of table) {
      server.answerWith(answer);
      await s.clock.advance(10_000);
      const result = await s.send(oneEvent());
      assert.deepEqual(
        [result.kind, result.kind === 'ok' || result.kind === 'partial' ? '' : result.error.message],
        [kind, message],
      );
    }
    assert.equal(s.log.lines.filter((l) => l.level === 50).length, 1, 'action_prohibited logged loudly once');
  });

  const invalid: [string, string, string][] = [
    [
      'neither token nor webhookUrl',
      'channel: "#c"',
      'receivers[0].slack.token: is required (or set webhookUrl for an incoming webhook)',
    ],
    [
      'both',
      'token: t\nchannel: "#c"\nwebhookUrl: "https://hooks.slack.com/services/x"',
      'receivers[0].slack.webhookUrl: cannot be used with token',
    ],
    ['token without channel', 'token: t', 'receivers[0].slack.channel: is required with token'],
    ['a bad template', 'token: t\nchannel: "{{ .Nope"', 'receivers[0].slack.channel:'],
    [
      'a batch above one message',
      'token: t\nchannel: c',
      'receivers[0].batch.maxEvents: 5 is above the slack limit of 1',
    ],
  ];
  for (const [what, options, problem] of invalid) {
    it(`rejects ${what} at load`, () => {
      const batch = what.startsWith('a batch') ? '\n  batch: { maxEvents: 5 }' : '';
      assert.throws(
        () => receiverFromYaml(`- name: chat\n  slack:\n${options.replace(/^/gm, '    ')}${batch}`),
        (err: unknown) => err instanceof ConfigError && err.message.includes(problem),
      );
    });
  }
});
