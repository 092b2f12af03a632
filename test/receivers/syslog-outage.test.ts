// The syslog receiver through the router's machinery against a real rsyslog: an Output whose
// rsyslog is killed mid-stream and restarted (reconnect, nothing lost, nothing twice), and
// `run` with the replay source over real events (startApp).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { startApp } from '../../src/app/app.ts';
import { createDeadLetterWriter } from '../../src/output/dead-letter.ts';
import { createOutput } from '../../src/output/output.ts';
import { createReceiver } from './create-receiver.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { Counts, memoryLogger, receiverFromYaml, someEvents, until } from '../output/helpers.ts';
import { Rsyslog } from './rsyslog.ts';
import { realEventLines } from '../support/real-events.ts';

describe('syslog: rsyslog killed mid-stream', () => {
  let rsyslog: Rsyslog;
  before(async () => (rsyslog = await Rsyslog.start()));
  after(() => rsyslog.stop());

  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    it(`TCP: ${signal} between batches, restart on the same port → reconnect, every event once`, async (t: TestContext) => {
      const clock = new ManualClock();
      const { logger } = memoryLogger();
      const yaml = `- name: rs\n  syslog: { network: tcp, address: "${rsyslog.tcpAddress}" }\n  batch: { maxEvents: 10 }\n  retry: { maxAttempts: 100, initialDelayMs: 100, maxDelayMs: 1000, maxElapsedMs: 600000 }`;
      const config = receiverFromYaml(yaml);
      const receiver = createReceiver(config, { clock, logger });
      const counts = new Counts();
      const deadLetter = createDeadLetterWriter({ clock, logger });
      const output = createOutput(config, {
        receiver,
        deadLetter,
        clock,
        logger,
        observer: counts,
        random: () => 1,
      });
      const events = someEvents(60, signal === 'SIGKILL' ? 0 : 60);
      const before = rsyslog.lines().length;

      for (const e of events.slice(0, 30)) await output.push(e);
      await until(() => counts.settledN === 30, 'the first half delivered');
      await rsyslog.waitFor(before + 30);
      await rsyslog.kill(signal);

      for (const e of events.slice(30)) await output.push(e);
      // rsyslog is down: the output retries on its clock; bring rsyslog back once it has waited twice.
      let restarted = false;
      for (let steps = 0; counts.settledN < events.length; steps++) {
        assert.ok(steps < 1000, 'no progress');
        await until(() => counts.settledN === events.length || clock.timers > 0, 'a send to finish');
        if (counts.settledN === events.length) break;
        if (!restarted && counts.retriedN >= 2) {
          await rsyslog.run();
          restarted = true;
        }
        await clock.advance(1000);
      }
      await output.drain(clock.now() + 1000);
      await receiver.close();
      const got = (await rsyslog.waitFor(before + events.length)).slice(before);
      t.diagnostic(
        `${events.length} events, ${counts.retriedN} retried while rsyslog was down, ${got.length} messages in rsyslog's file`,
      );
      assert.ok(restarted && counts.retriedN >= 2, 'the outage was felt');
      assert.equal(counts.count('delivered'), events.length);
      assert.equal(counts.count('deadLettered'), 0);
      const uids = got.map((p) => (JSON.parse(p.msg) as { metadata: { uid: string } }).metadata.uid);
      assert.deepEqual(
        uids,
        events.map((e) => e.raw.metadata.uid),
        'every event arrived, in order, none twice',
      );
    });
  }
});

describe('syslog: run with the replay source', () => {
  let rsyslog: Rsyslog;
  let dir: string;
  before(async () => {
    rsyslog = await Rsyslog.start();
    dir = mkdtempSync(join(tmpdir(), 'ker-syslog-e2e-'));
  });
  after(async () => {
    await rsyslog.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('routes 200 real events to rsyslog over TCP: each arrives once, parsed, with its severity', async () => {
    const lines = realEventLines().slice(0, 200);
    const events = join(dir, 'events.ndjson');
    writeFileSync(events, `${lines.join('\n')}\n`);
    const configPath = join(dir, 'config.yaml');
    writeFileSync(
      configPath,
      [
        'route:',
        '  routes:',
        '    - match:',
        '        - receiver: rsyslog',
        'receivers:',
        '  - name: rsyslog',
        '    syslog:',
        '      network: tcp',
        `      address: "${rsyslog.tcpAddress}"`,
        '      tag: kube-events',
        '      layout: { uid: "{{ .UID }}", type: "{{ .Type }}", reason: "{{ .Reason }}", object: "{{ .InvolvedObject.Kind }}/{{ .InvolvedObject.Name }}" }',
        '',
      ].join('\n'),
    );
    const silent = new Writable({ write: (_chunk, _enc, done) => done() });
    const app = await startApp({
      configPath,
      source: { kind: 'replay', path: events },
      metricsAddress: '',
      logDestination: silent,
    });
    const result = await app.done;
    assert.ok(result.accepted > 150, `accepted ${result.accepted}`);
    assert.equal(result.delivered, result.accepted);
    assert.equal(result.deadLettered, 0);
    const got = await rsyslog.waitFor(result.accepted);
    assert.equal(got.length, result.accepted);
    const byUid = new Map<string, { type: string }>();
    for (const line of lines) {
      const e = JSON.parse(line) as { metadata: { uid: string }; type?: string };
      byUid.set(e.metadata.uid, { type: e.type ?? '' });
    }
    const seen = new Set<string>();
    for (const p of got) {
      const msg = JSON.parse(p.msg) as { uid: string; type: string; reason: string };
      assert.ok(!seen.has(msg.uid), `${msg.uid} twice`);
      seen.add(msg.uid);
      assert.equal(byUid.get(msg.uid)?.type, msg.type);
      assert.deepEqual(
        [p.version, p.facility, p.appName, p.msgId],
        ['1', 'local0', 'kube-events', msg.reason.slice(0, 32) || '-'],
      );
      assert.equal(p.severity, msg.type === 'Warning' ? 'warning' : 'info');
    }
  });
});
