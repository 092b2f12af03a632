// slack and teams end to end: `run` with the replay source over real events, local stand-ins for
// Slack and a Teams Workflows webhook on 127.0.0.1, time on a ManualClock (Slack's per-channel pacing).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { startApp } from '../../src/app/app.ts';
import type { RunResult } from '../../src/app/app.ts';
import type { RawEvent } from '../../src/event/event.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { realEvents, until } from '../output/helpers.ts';
import type { HttpConformanceServer } from './conformance/harness.ts';
import { SLACK_TOKEN, slackMessage, startSlackServer } from './slack-server.ts';
import { TEAMS_SIG, startTeamsServer, teamsRequest, teamsUrl } from './teams-server.ts';

const WARNINGS: RawEvent[] = realEvents()
  .map((e) => e.raw)
  .filter((e) => e.type === 'Warning')
  .slice(0, 15);

interface Run {
  result: RunResult;
  logs: string;
}

/** Runs the router over WARNINGS with `receivers`, moving the ManualClock whenever it waits. */
async function run(dir: string, receivers: string, env: Record<string, string>): Promise<Run> {
  const events = join(dir, 'events.ndjson');
  writeFileSync(events, WARNINGS.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const configPath = join(dir, 'config.yaml');
  writeFileSync(
    configPath,
    `clusterName: e2e\nroute:\n  routes:\n    - match:\n        - receiver: out\nreceivers:\n${receivers}\n`,
  );
  let logs = '';
  const logDestination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs += chunk.toString('utf8');
      done();
    },
  });
  const clock = new ManualClock();
  const app = await startApp({
    configPath,
    source: { kind: 'replay', path: events },
    metricsAddress: '',
    logDestination,
    clock,
    env: { ...process.env, ...env },
  });
  let result: RunResult | undefined;
  void app.done.then((r) => (result = r));
  for (let steps = 0; result === undefined; steps++) {
    assert.ok(steps < 2_000, 'the run did not finish');
    await until(() => result !== undefined || clock.timers > 0, 'the router to wait or finish');
    if (result === undefined) await clock.advance(250);
  }
  return { result, logs };
}

describe('slack and teams through run (replay)', () => {
  let slack: HttpConformanceServer;
  let teams: HttpConformanceServer;
  let dir: string;
  before(async () => {
    slack = await startSlackServer();
    teams = await startTeamsServer();
    dir = mkdtempSync(join(tmpdir(), 'ker-slack-teams-e2e-'));
  });
  after(async () => {
    await slack.close();
    await teams.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`slack: ${WARNINGS.length} real warnings, one channel paced to one message a second, each posted once in order`, async () => {
    const before = slack.requests.length;
    const receivers = [
      '  - name: out',
      '    slack:',
      "      token: '${SLACK_TOKEN}'",
      `      apiUrl: "${slack.origin}/api/"`,
      '      channel: "#k8s-{{ .ClusterName }}"',
      '      message: "{{ .Reason }}: {{ .Message }}"',
      '      title: "{{ .InvolvedObject.Kind }} {{ .InvolvedObject.Namespace }}/{{ .InvolvedObject.Name }}"',
      '      fields: { Count: "{{ .Count }}" }',
    ].join('\n');
    const { result, logs } = await run(dir, receivers, { SLACK_TOKEN });
    assert.deepEqual([result.delivered, result.deadLettered], [WARNINGS.length, 0]);
    const got = slack.requests.slice(before).map(slackMessage);
    assert.deepEqual(
      got.map((m) => m.text),
      WARNINGS.map((e) => `${e.reason ?? ''}: ${e.message ?? ''}`),
    );
    assert.ok(got.every((m) => m.channel === '#k8s-e2e' && m.method === 'chat.postMessage'));
    assert.ok(!logs.includes(SLACK_TOKEN));
  });

  it(`teams: ${WARNINGS.length} real warnings as Adaptive Cards, and a layout as the card content`, async () => {
    const before = teams.requests.length;
    const receivers = ['  - name: out', '    teams:', `      endpoint: "${teamsUrl(teams)}"`].join('\n');
    const { result, logs } = await run(dir, receivers, { TEAMS_SIG });
    assert.deepEqual([result.delivered, result.deadLettered], [WARNINGS.length, 0]);
    const cards = teams.requests.slice(before).map(
      (r) =>
        teamsRequest(r).body as {
          type: string;
          attachments: {
            contentType: string;
            content: {
              type: string;
              body: { facts?: { title: string; value: string }[]; text?: string }[];
            };
          }[];
        },
    );
    assert.equal(cards.length, WARNINGS.length);
    cards.forEach((card, i) => {
      const e = WARNINGS[i] as RawEvent;
      assert.equal(card.type, 'message');
      const content = card.attachments[0]?.content;
      assert.equal(card.attachments[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
      assert.equal(content?.type, 'AdaptiveCard');
      const facts = Object.fromEntries((content?.body[1]?.facts ?? []).map((f) => [f.title, f.value]));
      assert.deepEqual(facts, {
        Namespace: e.involvedObject.namespace ?? '-',
        Object: `${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}`,
        Reason: e.reason,
        Count: String(e.count ?? 1),
        Cluster: 'e2e',
      });
      assert.equal(content?.body[2]?.text, e.message);
    });
    assert.ok(!logs.includes(TEAMS_SIG));

    const layoutReceivers = [
      '  - name: out',
      '    teams:',
      `      endpoint: "${teamsUrl(teams)}"`,
      '      layout:',
      '        type: AdaptiveCard',
      '        version: "1.5"',
      '        body:',
      '          - { type: TextBlock, text: "{{ .Reason }} x{{ .Count }}", weight: Bolder }',
    ].join('\n');
    const mark = teams.requests.length;
    const second = await run(dir, layoutReceivers, { TEAMS_SIG });
    assert.equal(second.result.delivered, WARNINGS.length);
    const contents = teams.requests
      .slice(mark)
      .map((r) => (teamsRequest(r).body as { attachments: { content: unknown }[] }).attachments[0]?.content);
    assert.deepEqual(
      contents,
      WARNINGS.map((e) => ({
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'TextBlock', text: `${e.reason ?? ''} x${e.count ?? 0}`, weight: 'Bolder' }],
      })),
    );
  });
});
