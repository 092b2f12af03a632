// The teams receiver against a local Workflows webhook (test/receivers/teams-server.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../src/config/load.ts';
import { createRenderer } from '../../src/output/payload.ts';
import { createReceiver } from './create-receiver.ts';
import type { Payload, SendResult } from '../../src/receivers/common/types.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { at, memoryLogger, oneEvent, receiverFromYaml } from '../output/helpers.ts';
import type { HttpConformanceServer } from './conformance/harness.ts';
import { TEAMS_PATH, TEAMS_SIG, accepted, flowError, startTeamsServer, teamsUrl } from './teams-server.ts';

async function sendOne(server: HttpConformanceServer, options: string): Promise<SendResult> {
  const yaml = `- name: teams\n  teams:\n    endpoint: "${teamsUrl(server)}"\n${options.replace(/^/gm, '    ')}`;
  const config = receiverFromYaml(yaml, { TEAMS_SIG, KEY: 'k-secret-42' });
  const receiver = createReceiver(config, { clock: new ManualClock(), logger: memoryLogger().logger });
  try {
    return await receiver.send([createRenderer(config)(oneEvent()) as Payload], new AbortController().signal);
  } finally {
    await receiver.close();
  }
}

describe('teams receiver', () => {
  let server: HttpConformanceServer;
  before(async () => (server = await startTeamsServer()));
  after(() => server.close());

  it('posts the default card with templated headers', async () => {
    server.answerWith(accepted);
    const before = server.requests.length;
    assert.deepEqual(await sendOne(server, "headers: { X-Reason: '{{ .Reason }}', X-Key: '${KEY}' }"), {
      kind: 'ok',
    });
    const req = at(server.requests, before);
    assert.equal(req.url.split('?')[0], TEAMS_PATH);
    assert.equal(req.headers['x-reason'], oneEvent().raw.reason);
    assert.equal(req.headers['x-key'], 'k-secret-42');
    const body = JSON.parse(req.body) as {
      type: string;
      attachments: { contentType: string; content: { type: string; body: { type: string }[] } }[];
    };
    assert.equal(body.type, 'message');
    assert.deepEqual(
      body.attachments.map((a) => a.contentType),
      ['application/vnd.microsoft.card.adaptive'],
    );
    assert.deepEqual(
      body.attachments[0]?.content.body.map((b) => b.type),
      ['TextBlock', 'FactSet', 'TextBlock'],
    );
  });

  it('sends a layout that renders a whole message as it is', async () => {
    server.answerWith(accepted);
    const before = server.requests.length;
    const layout =
      'layout:\n  type: message\n  attachments:\n    - contentType: application/vnd.microsoft.card.adaptive\n      content: { type: AdaptiveCard, version: "1.2", body: [{ type: TextBlock, text: "{{ .Reason }}" }] }';
    await sendOne(server, layout);
    assert.deepEqual(JSON.parse(at(server.requests, before).body), {
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: {
            type: 'AdaptiveCard',
            version: '1.2',
            body: [{ type: 'TextBlock', text: oneEvent().raw.reason }],
          },
        },
      ],
    });
  });

  it('keeps the signature and header secrets out of errors', async () => {
    server.answerWith((req) =>
      flowError(
        401,
        'DirectApiAuthorizationRequired',
        `denied ${req.url} key ${String(req.headers['x-key'])}`,
      ),
    );
    const result = await sendOne(server, "headers: { X-Key: '${KEY}' }");
    assert.equal(result.kind, 'drop');
    const message = result.kind === 'drop' ? result.error.message : '';
    assert.match(message, /^Teams: HTTP 401: /);
    assert.ok(!message.includes(TEAMS_SIG) && !message.includes('k-secret-42'), message);
  });

  it('rejects an endpoint that is not a URL, without repeating it', () => {
    assert.throws(
      () => receiverFromYaml('- name: teams\n  teams: { endpoint: "not a url sig=abc" }'),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.message.includes('receivers[0].teams.endpoint: must be an http:// or https:// URL') &&
        !err.message.includes('sig=abc'),
    );
  });
});
