// A real rsyslog (Debian's rsyslogd) for the syslog receiver's tests: imudp and imtcp on
// 127.0.0.1 ports chosen at run time, an omfile output whose template writes the fields rsyslog
// parsed from each RFC 5424 message, everything (work dir, pid file, output) in a temp dir.
// It runs as whichever user runs the tests (root here; as nobody it behaves the same: ports
// above 1024, work dir and pid file in the temp dir, no privilege drop configured).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireExecutable } from '../support/require-server.ts';

export const RSYSLOGD = process.env.RSYSLOGD ?? '/usr/sbin/rsyslogd';
const INSTALL = 'apt-get install rsyslog (what .ci/run does), or set RSYSLOGD to its path';

/** What rsyslog parsed out of one message (its property names in comments). */
export interface Parsed {
  readonly facility: string; // syslogfacility-text
  readonly severity: string; // syslogseverity-text
  readonly hostname: string; // hostname
  readonly appName: string; // app-name
  readonly procId: string; // procid
  readonly msgId: string; // msgid
  readonly timestamp: string; // timereported, RFC 3339
  readonly version: string; // protocol-version: 1 for RFC 5424, 0 for legacy
  readonly msg: string; // msg
}

const FIELDS = [
  'syslogfacility-text',
  'syslogseverity-text',
  'hostname',
  'app-name',
  'procid',
  'msgid',
  'timereported',
  'protocol-version',
  'msg',
];

function config(dir: string, tcpPort: number, udpPort: number): string {
  const props = FIELDS.map(
    (name) => `property(name="${name}"${name === 'timereported' ? ' dateFormat="rfc3339"' : ''})`,
  ).join(' constant(value="\\t") ');
  return [
    // maxMessageSize before the inputs: rsyslog's 8k default would cut enriched events.
    `global(workDirectory="${dir}" maxMessageSize="256k")`,
    'module(load="imudp")',
    'module(load="imtcp")',
    `template(name="fields" type="list") { ${props} constant(value="\\n") }`,
    `ruleset(name="events") { action(type="omfile" file="${join(dir, 'out.log')}" template="fields") }`,
    `input(type="imudp" address="127.0.0.1" port="${udpPort}" ruleset="events")`,
    `input(type="imtcp" address="127.0.0.1" port="${tcpPort}" ruleset="events")`,
    '',
  ].join('\n');
}

/** A port free right now on 127.0.0.1 for TCP, or for UDP. */
export function freePort(kind: 'tcp' | 'udp'): Promise<number> {
  if (kind === 'udp') {
    const socket = createSocket('udp4');
    return new Promise((resolve) =>
      socket.bind(0, '127.0.0.1', () => {
        const { port } = socket.address();
        socket.close(() => resolve(port));
      }),
    );
  }
  const server = createServer();
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    }),
  );
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function poll(cond: () => boolean | Promise<boolean>, what: string, limitMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    // Waiting on another process: there is no event to await, so poll briefly.
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export class Rsyslog {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  stderr = '';

  private constructor(
    readonly dir: string,
    readonly tcpPort: number,
    readonly udpPort: number,
    private readonly binary: string,
  ) {}

  /** Fails at once, naming rsyslogd, when it is not installed. */
  static async start(binary = RSYSLOGD): Promise<Rsyslog> {
    requireExecutable(binary, INSTALL);
    const dir = mkdtempSync(join(tmpdir(), 'ker-rsyslog-'));
    const server = new Rsyslog(dir, await freePort('tcp'), await freePort('udp'), binary);
    writeFileSync(join(dir, 'rsyslog.conf'), config(dir, server.tcpPort, server.udpPort));
    await server.run();
    return server;
  }

  get tcpAddress(): string {
    return `127.0.0.1:${this.tcpPort}`;
  }

  get udpAddress(): string {
    return `127.0.0.1:${this.udpPort}`;
  }

  /** Starts rsyslogd (again, on the same ports) and waits until its TCP input accepts. */
  async run(): Promise<void> {
    const child = spawn(
      this.binary,
      ['-n', '-f', join(this.dir, 'rsyslog.conf'), '-i', join(this.dir, 'rsyslogd.pid')],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    let failed: Error | undefined;
    child.once('error', (err) => (failed = err));
    await poll(async () => {
      if (failed !== undefined) throw new Error(`cannot start ${this.binary}: ${failed.message}`);
      if (child.exitCode !== null) throw new Error(`${this.binary} exited ${child.exitCode}: ${this.stderr}`);
      return canConnect(this.tcpPort);
    }, `rsyslogd on ${this.tcpPort} (${this.stderr})`);
  }

  /** Stops rsyslogd (SIGKILL: as if it crashed) and waits for its exit. */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null) return;
    child.kill(signal);
    await this.exited;
  }

  /** Every message written to the output file so far. */
  lines(): Parsed[] {
    const file = join(this.dir, 'out.log');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const [facility, severity, hostname, appName, procId, msgId, timestamp, version, ...msg] =
          line.split('\t');
        return {
          facility,
          severity,
          hostname,
          appName,
          procId,
          msgId,
          timestamp,
          version,
          msg: msg.join('\t'),
        } as Parsed;
      });
  }

  /** Waits until the output file holds at least `n` messages. */
  async waitFor(n: number, limitMs = 10_000): Promise<Parsed[]> {
    await poll(
      () => this.lines().length >= n,
      `${n} messages in rsyslog's output (have ${this.lines().length})`,
      limitMs,
    );
    return this.lines();
  }

  async stop(): Promise<void> {
    await this.kill('SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
