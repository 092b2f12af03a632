// The syslog receiver against a real rsyslog (Debian's rsyslogd, started by the test on
// 127.0.0.1 run-time ports): what rsyslog parsed from our RFC 5424 messages over TCP (octet
// counting) and UDP, severity and facility, reconnection after rsyslog dies; TLS against a
// node:tls server (Debian's rsyslog needs the separate rsyslog-gnutls package for TLS).
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../src/config/load.ts';
import { createRenderer } from '../../src/output/payload.ts';
import { createReceiver } from './create-receiver.ts';
import { latestEventTime } from '../../src/receivers/syslog/send.ts';
import {
  formatMessage,
  headerField,
  octetCounted,
  timestampField,
} from '../../src/receivers/syslog/message.ts';
import type { Payload, Receiver, SendResult } from '../../src/receivers/common/types.ts';
import { ReceiverSetupError } from '../../src/receivers/common/types.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { memoryLogger, realEvents, receiverFromYaml } from '../output/helpers.ts';
import { Rsyslog, freePort } from './rsyslog.ts';
import type { Parsed } from './rsyslog.ts';
import { makePki } from './servers.ts';
import type { Pki } from './servers.ts';
import { startFrameServer, startSilentServer } from './syslog-servers.ts';
import type { FrameServer } from './syslog-servers.ts';

const clock = new ManualClock(Date.UTC(2026, 0, 1));
const signal = new AbortController().signal;

/** Five Warning and five Normal real events, interleaved. */
function mixedEvents() {
  const warnings = realEvents()
    .filter((e) => e.raw.type === 'Warning')
    .slice(0, 5);
  const normals = realEvents()
    .filter((e) => e.raw.type === 'Normal')
    .slice(0, 5);
  return warnings.flatMap((w, i) => [w, normals[i] ?? w]);
}

function syslog(yaml: string): { receiver: Receiver; render: ReturnType<typeof createRenderer> } {
  const config = receiverFromYaml(yaml);
  return {
    receiver: createReceiver(config, { clock, logger: memoryLogger().logger }),
    render: createRenderer(config),
  };
}

async function sendOnce(yaml: string, payloads?: Payload[]): Promise<SendResult> {
  const { receiver, render } = syslog(yaml);
  try {
    return await receiver.send(payloads ?? [render(realEvents()[0] as never)], signal);
  } finally {
    await receiver.close();
  }
}

function summary(result: SendResult): unknown[] {
  if (result.kind === 'ok') return ['ok'];
  if (result.kind === 'partial')
    return ['partial', result.retry, result.drop.map((d) => [d.index, d.error.message])];
  return [result.kind, result.reason];
}

function configProblems(yaml: string): string[] {
  try {
    receiverFromYaml(yaml);
  } catch (err) {
    if (err instanceof ConfigError) return err.lines;
    throw err;
  }
  return [];
}

function latest(...times: (string | null | undefined)[]): number {
  return Math.max(...times.map((t) => (t ? Date.parse(t) : -Infinity)));
}

describe('syslog against rsyslog', () => {
  let rsyslog: Rsyslog;
  before(async () => (rsyslog = await Rsyslog.start()));
  after(() => rsyslog.stop());

  for (const network of ['tcp', 'udp'] as const) {
    it(`${network}: rsyslog parses each message as RFC 5424 with the type's severity, local0 and the event fields`, async () => {
      const address = network === 'tcp' ? rsyslog.tcpAddress : rsyslog.udpAddress;
      const { receiver, render } = syslog(
        `- name: rs\n  syslog: { network: ${network}, address: "${address}", tag: kube-events }`,
      );
      const events = mixedEvents();
      const payloads = events.map(render);
      const before = rsyslog.lines().length;
      assert.deepEqual(await receiver.send(payloads.slice(0, 4), signal), { kind: 'ok' });
      assert.deepEqual(await receiver.send(payloads.slice(4), signal), { kind: 'ok' });
      await receiver.close();
      const got = (await rsyslog.waitFor(before + events.length)).slice(before);
      assert.deepEqual(
        got.map((p) => [p.version, p.facility, p.severity, p.appName, p.hostname, p.procId, p.msgId]),
        events.map((e) => [
          '1',
          'local0',
          e.raw.type === 'Warning' ? 'warning' : 'info',
          'kube-events',
          hostname(),
          String(process.pid),
          e.raw.reason,
        ]),
      );
      assert.deepEqual(
        got.map((p) => p.msg),
        payloads.map((p) => p.body),
        'MSG is the payload, byte for byte',
      );
      for (const [i, e] of events.entries()) {
        const expected = latest(
          e.raw.lastTimestamp,
          e.raw.eventTime,
          e.raw.firstTimestamp,
          e.raw.series?.lastObservedTime,
        );
        assert.equal(
          Date.parse((got[i] as Parsed).timestamp),
          expected,
          'TIMESTAMP is the latest occurrence time',
        );
      }
    });
  }

  const overrides: {
    name: string;
    options: string;
    expected: (type: string | undefined) => [string, string];
  }[] = [
    {
      name: 'a severity map over the defaults, facility by name',
      options: 'severity: { Warning: err }, facility: local3',
      expected: (t) => ['local3', t === 'Warning' ? 'err' : 'info'],
    },
    {
      name: 'a severity template, facility by number',
      options: `severity: '{{ if eq .Type "Warning" }}crit{{ else }}notice{{ end }}', facility: 17`,
      expected: (t) => ['local1', t === 'Warning' ? 'crit' : 'notice'],
    },
    {
      name: 'numeric severities and aliases',
      options: `severity: { Warning: "1", Normal: informational }, facility: daemon`,
      expected: (t) => ['daemon', t === 'Warning' ? 'alert' : 'info'],
    },
  ];
  for (const c of overrides) {
    it(`honours ${c.name}`, async () => {
      const { receiver, render } = syslog(
        `- name: rs\n  syslog: { network: tcp, address: "${rsyslog.tcpAddress}", ${c.options} }`,
      );
      const events = mixedEvents();
      const before = rsyslog.lines().length;
      assert.deepEqual(await receiver.send(events.map(render), signal), { kind: 'ok' });
      await receiver.close();
      const got = (await rsyslog.waitFor(before + events.length)).slice(before);
      assert.deepEqual(
        got.map((p) => [p.facility, p.severity]),
        events.map((e) => c.expected(e.raw.type)),
      );
    });
  }

  it('renders hostname and msgId templates, sanitised to the header alphabet; timestampSource now uses the clock', async () => {
    const options = `hostname: '{{ .Source.Host }}', msgId: '{{ .InvolvedObject.Kind }} {{ .Reason }}', timestampSource: now`;
    const { receiver, render } = syslog(
      `- name: rs\n  syslog: { network: udp, address: "${rsyslog.udpAddress}", ${options} }`,
    );
    const events = mixedEvents().slice(0, 3);
    const before = rsyslog.lines().length;
    assert.deepEqual(await receiver.send(events.map(render), signal), { kind: 'ok' });
    await receiver.close();
    const got = (await rsyslog.waitFor(before + 3)).slice(before);
    assert.deepEqual(
      got.map((p) => [p.hostname, p.msgId, Date.parse(p.timestamp)]),
      events.map((e) => [
        e.raw.source?.host || '-',
        `${e.raw.involvedObject.kind ?? ''}_${e.raw.reason ?? ''}`.slice(0, 32),
        clock.now(),
      ]),
    );
  });

  it('a severity template rendering something else dead-letters that event only', async () => {
    const { receiver, render } = syslog(
      `- name: rs\n  syslog: { network: tcp, address: "${rsyslog.tcpAddress}", severity: '{{ .Reason }}' }`,
    );
    const events = mixedEvents().slice(0, 2);
    const result = await receiver.send(events.map(render), signal);
    await receiver.close();
    assert.deepEqual(summary(result), [
      'partial',
      [],
      [
        [0, `severity template rendered ${JSON.stringify(events[0]?.raw.reason)}, not a syslog severity`],
        [1, `severity template rendered ${JSON.stringify(events[1]?.raw.reason)}, not a syslog severity`],
      ],
    ]);
  });
});

describe('syslog answer → action', () => {
  let frames: FrameServer;
  before(async () => (frames = await startFrameServer()));
  after(() => frames.close());

  // Sent right after the server's close: without the receiver's look at the socket first, the
  // message goes into a dead connection and is lost without an error.
  it('reconnects when the server closed the connection between sends', async () => {
    const { receiver, render } = syslog(
      `- name: rs\n  syslog: { network: tcp, address: "127.0.0.1:${frames.port}" }`,
    );
    const [a, b] = mixedEvents().map(render) as [Payload, Payload];
    assert.deepEqual(await receiver.send([a], signal), { kind: 'ok' });
    await frames.waitFor(1);
    frames.dropConnections();
    assert.deepEqual(await receiver.send([b], signal), { kind: 'ok' });
    await frames.waitFor(2);
    await receiver.close();
    assert.equal(frames.connections, 2);
    assert.deepEqual(
      frames.messages.map((m) => /^<\d+>1 \S+ \S+ \S+ \S+ \S+ - (.*)$/s.exec(m)?.[1]),
      [a.body, b.body],
    );
  });

  it('TCP connection refused → retry (network)', async () => {
    const port = await freePort('tcp');
    const result = await sendOnce(`- name: rs\n  syslog: { network: tcp, address: "127.0.0.1:${port}" }`);
    assert.deepEqual(summary(result), ['retry', 'network']);
    assert.match(
      result.kind === 'retry' ? result.error.message : '',
      new RegExp(`^syslog tcp 127.0.0.1:${port}: connect ECONNREFUSED`),
    );
  });

  it('UDP port unreachable → retry (network) once the ICMP answer is in', async () => {
    const port = await freePort('udp');
    const { receiver, render } = syslog(
      `- name: rs\n  syslog: { network: udp, address: "127.0.0.1:${port}" }`,
    );
    const payload = render(realEvents()[0] as never);
    const results: SendResult[] = [];
    for (let i = 0; i < 5 && !results.some((r) => r.kind === 'retry'); i++)
      results.push(await receiver.send([payload], signal));
    await receiver.close();
    const retry = results.find((r) => r.kind === 'retry');
    assert.ok(retry !== undefined, JSON.stringify(results.map(summary)));
    assert.deepEqual(summary(retry), ['retry', 'network']);
    assert.match(retry.kind === 'retry' ? retry.error.message : '', /ECONNREFUSED/);
  });

  it('a connection that never completes the TLS handshake → retry (timeout)', async () => {
    const silent = await startSilentServer();
    const result = await sendOnce(
      `- name: rs\n  syslog: { network: tls, address: "127.0.0.1:${silent.port}", timeoutMs: 150 }`,
    );
    await silent.close();
    assert.deepEqual(summary(result), ['retry', 'timeout']);
    assert.match(result.kind === 'retry' ? result.error.message : '', /connect timed out after 150 ms/);
  });

  it('a UDP datagram too large for the network → that event dead-letters, the rest go', async () => {
    const port = await freePort('udp');
    const { receiver, render } = syslog(
      `- name: rs\n  syslog: { network: udp, address: "127.0.0.1:${port}" }`,
    );
    const small = render(realEvents()[0] as never);
    const huge: Payload = { ...small, body: 'x'.repeat(70_000), bytes: 70_000 };
    const result = await receiver.send([small, huge, small], signal);
    await receiver.close();
    assert.equal(result.kind, 'partial');
    if (result.kind !== 'partial') return;
    assert.deepEqual(
      result.drop.map((d) => d.index),
      [1],
    );
    assert.match(result.drop[0]?.error.message ?? '', /EMSGSIZE/);
    assert.deepEqual(result.retry, [2], 'what came after the failure is retried, what went before is not');
  });
});

describe('syslog over TLS', () => {
  let pki: Pki;
  let server: FrameServer;
  let mutual: FrameServer;
  before(async () => {
    pki = makePki();
    server = await startFrameServer({ pki });
    mutual = await startFrameServer({ pki, requestCert: true });
  });
  after(async () => {
    await server.close();
    await mutual.close();
    pki.remove();
  });

  const yaml = (port: number, tls: string) =>
    `- name: rs\n  syslog: { network: tls, address: "127.0.0.1:${port}", tls: ${tls} }`;

  it('sends octet-counted RFC 5424 frames to a server trusted through tls.caFile', async () => {
    const before = server.messages.length;
    assert.deepEqual(await sendOnce(yaml(server.port, `{ caFile: ${pki.files.caCert} }`)), { kind: 'ok' });
    await server.waitFor(before + 1);
    assert.match(server.messages[before] ?? '', /^<13[24]>1 \S+ \S+ kube-event-router \d+ \S+ - \{/);
  });

  it('refuses an unknown CA (retry, network) unless insecureSkipVerify', async () => {
    const refused = await sendOnce(yaml(server.port, '{}'));
    assert.deepEqual(summary(refused), ['retry', 'network']);
    assert.match(refused.kind === 'retry' ? refused.error.message : '', /certificate/i);
    assert.deepEqual(await sendOnce(yaml(server.port, '{ insecureSkipVerify: true }')), { kind: 'ok' });
  });

  it('presents the client certificate from certFile and keyFile', async () => {
    const tls = `{ caFile: ${pki.files.caCert}, certFile: ${pki.files.clientCert}, keyFile: ${pki.files.clientKey} }`;
    assert.deepEqual(await sendOnce(yaml(mutual.port, tls)), { kind: 'ok' });
    assert.deepEqual(mutual.clientNames, ['router-client']);
  });

  it('fails to build when a TLS file cannot be read', () => {
    assert.throws(
      () => syslog(yaml(server.port, '{ caFile: /nonexistent/ca.pem }')),
      (err: unknown) =>
        err instanceof ReceiverSetupError &&
        err.message === 'cannot read tls.caFile /nonexistent/ca.pem: ENOENT',
    );
  });
});

describe('syslog config', () => {
  const cases: { yaml: string; problems: string[] }[] = [
    { yaml: '{ network: tcp, address: "127.0.0.1:514", sentUpdateEvent: true }', problems: [] },
    {
      yaml: '{ network: udp6, address: "[::1]:514", facility: 23, severity: { Normal: debug } }',
      problems: [],
    },
    {
      yaml: '{ network: unix, address: "127.0.0.1:514" }',
      problems: ['network: must be one of tcp | tcp4 | tcp6 | udp | udp4 | udp6 | tls'],
    },
    {
      yaml: '{ network: tcp, address: "syslog.example" }',
      problems: ['address: must be host:port (IPv6 as [addr]:port)'],
    },
    { yaml: '{ network: tcp, address: "h:70000" }', problems: ['address: must be host:port'] },
    {
      yaml: '{ network: tcp, address: "h:514", severity: { Warning: loud } }',
      problems: ['severity.Warning: must be a syslog severity'],
    },
    { yaml: '{ network: tcp, address: "h:514", facility: local9 }', problems: ['facility'] },
    { yaml: '{ network: tcp, address: "h:514", msgId: "{{ .Reason" }', problems: ['msgId: 1:'] },
    { yaml: '{ network: tcp, address: "h:514", severity: "{{ .Nope }}" }', problems: ['severity: '] },
  ];
  for (const c of cases) {
    it(`${c.yaml} → ${c.problems.length === 0 ? 'valid' : c.problems.join('; ')}`, () => {
      const lines = configProblems(`- name: rs\n  syslog: ${c.yaml}`);
      assert.equal(lines.length, c.problems.length, lines.join('\n'));
      for (const [i, expected] of c.problems.entries())
        assert.ok(lines[i]?.includes(`syslog.${expected}`), `${lines[i] ?? ''} ∌ ${expected}`);
    });
  }
});

describe('syslog message format', () => {
  it('octet counting counts bytes, not characters', () => {
    const message = formatMessage(
      {
        facility: 16,
        severity: 4,
        timestamp: '2026-01-01T00:00:00Z',
        hostname: 'h',
        appName: 'a',
        procId: '1',
        msgId: 'm',
      },
      '{"m":"ünïcødé ✓"}',
    );
    const framed = octetCounted(message).toString('utf8');
    assert.equal(framed, `${message.length} <132>1 2026-01-01T00:00:00Z h a 1 m - {"m":"ünïcødé ✓"}`);
    assert.notEqual(message.length, message.toString('utf8').length);
  });

  const fields: [string, number, string][] = [
    ['BackOff', 32, 'BackOff'],
    ['', 32, '-'],
    ['Failed Mount', 32, 'Failed_Mount'],
    ['nœud', 255, 'n_ud'],
    ['x'.repeat(60), 48, 'x'.repeat(48)],
  ];
  for (const [value, max, expected] of fields) {
    it(`header field ${JSON.stringify(value.slice(0, 12))} (max ${max}) → ${expected.slice(0, 12)}`, () =>
      assert.equal(headerField(value, max), expected));
  }

  const times: [string | number, string][] = [
    ['2023-07-10T05:24:15.593510Z', '2023-07-10T05:24:15.593510Z'],
    ['2023-07-10T05:24:15Z', '2023-07-10T05:24:15Z'],
    ['2023-07-10T05:24:15.123456789Z', '2023-07-10T05:24:15.123Z'],
    [Date.UTC(2026, 0, 1), '2026-01-01T00:00:00.000Z'],
  ];
  for (const [value, expected] of times) {
    it(`TIMESTAMP ${String(value)} → ${expected}`, () => assert.equal(timestampField(value), expected));
  }

  it('picks the latest of the event times, ignoring nulls and zero times', () => {
    assert.equal(
      latestEventTime('"2025-01-01T00:00:00Z" null "2025-01-01T00:00:05.5Z" "0001-01-01T00:00:00Z"'),
      '2025-01-01T00:00:05.5Z',
    );
    assert.equal(latestEventTime('null null null '), undefined);
  });
});
