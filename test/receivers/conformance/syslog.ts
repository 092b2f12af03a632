// syslog: the server is a real rsyslog (Debian's rsyslogd, ../rsyslog.ts); golden values are
// the fields rsyslog parsed from each RFC 5424 message. The receiver reaches it through a relay
// on 127.0.0.1 that the suite can switch to "refusing" at once (rsyslog itself takes a while to
// stop and start). A syslog server never answers a message, so its classes are: delivered (ok)
// or the connection fails (retry, network) — there is no per-message refusal to dead-letter.
import { createConnection, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { Rsyslog } from '../rsyslog.ts';
import { takeFrames } from '../syslog-servers.ts';
import { defineEntry } from './harness.ts';
import type { ConformanceServer } from './harness.ts';

type RelayAnswer = 'rsyslogUp' | 'connectionRefused';

interface RelayServer extends ConformanceServer<RelayAnswer> {
  readonly port: number;
}

async function startRelay(): Promise<RelayServer> {
  const rsyslog = await Rsyslog.start();
  const sockets = new Set<Socket>();
  let framesRelayed = 0;
  let taken = 0;
  const relay = (client: Socket): void => {
    const upstream = createConnection(rsyslog.tcpPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    let pending: Buffer = Buffer.alloc(0);
    const frames: string[] = [];
    client.on('data', (chunk: Buffer) => {
      pending = takeFrames(Buffer.concat([pending, chunk]), frames, []);
      framesRelayed += frames.splice(0).length;
    });
    client.pipe(upstream);
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.end());
  };
  let server: Server = createServer(relay);
  const listen = (port: number): Promise<number> =>
    new Promise((resolve) =>
      server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
    );
  const port = await listen(0);
  return {
    port,
    answerWith(answer) {
      if (answer === 'connectionRefused') {
        // Stops listening at once: from now on a connect is refused.
        server.close();
        for (const s of sockets) s.destroy();
      } else if (!server.listening) {
        server = createServer(relay);
        void listen(port);
      }
    },
    async takeReceived() {
      // rsyslog writes its file on its own time: wait for every frame relayed so far.
      const lines = (await rsyslog.waitFor(framesRelayed)).slice(taken);
      taken += lines.length;
      return lines.map((p) => ({
        version: p.version,
        facility: p.facility,
        severity: p.severity,
        appName: p.appName,
        msgId: p.msgId,
        timestamp: p.timestamp,
        msg: JSON.parse(p.msg) as unknown,
      }));
    },
    async close() {
      server.close();
      for (const s of sockets) s.destroy();
      await rsyslog.stop();
    },
  };
}

export const entry = defineEntry<RelayServer, RelayAnswer>({
  type: 'syslog',
  start: startRelay,
  receiver: (server) =>
    [
      '- name: rsyslog',
      '  syslog:',
      '    network: tcp',
      `    address: "127.0.0.1:${server.port}"`,
      '    tag: kube-events',
      '    layout:',
      '      namespace: "{{ .InvolvedObject.Namespace }}"',
      '      object: "{{ .InvolvedObject.Kind }}/{{ .InvolvedObject.Name }}"',
      '      reason: "{{ .Reason }}"',
      '      message: "{{ .Message }}"',
    ].join('\n'),
  secrets: [],
  okAnswer: 'rsyslogUp',
  answers: [
    { scenario: 'rsyslog takes the messages', serverAnswer: 'rsyslogUp', expected: 'ok' },
    {
      scenario: 'connection refused',
      serverAnswer: 'connectionRefused',
      expected: 'retry',
      reason: 'network',
    },
  ],
});
