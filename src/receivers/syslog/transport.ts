// Connections to a syslog server: one long-lived TCP or TLS stream (reopened lazily on the next
// send once it broke) or one connected UDP socket. They never retry: a failed write throws a
// TransportError and the output decides.
import { createSocket } from 'node:dgram';
import type { Socket as DgramSocket } from 'node:dgram';
import { connect as netConnect, isIPv6 } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ConnectionOptions } from 'node:tls';
import { readPem } from '../common/tls.ts';

export const SYSLOG_NETWORKS = ['tcp', 'tcp4', 'tcp6', 'udp', 'udp4', 'udp6', 'tls'] as const;
export type SyslogNetwork = (typeof SYSLOG_NETWORKS)[number];

export interface SyslogTls {
  readonly insecureSkipVerify: boolean;
  readonly serverName?: string;
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
}

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** `host:port` or `[v6]:port` as Go's net.Dial takes it; undefined when it is not one. */
export function parseAddress(address: string): Endpoint | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(address.trim());
  if (match === null) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65_535) return undefined;
  return { host: match[1] ?? match[2] ?? '', port };
}

/** A write that did not reach the server's socket; `timeout` tells a hung peer from a broken one. */
export class TransportError extends Error {
  readonly code = 'E_SYSLOG_TRANSPORT';
  constructor(
    message: string,
    readonly timeout: boolean,
    /** The socket error code (ECONNREFUSED, EMSGSIZE, ...), when there is one. */
    readonly errno?: string,
  ) {
    super(message);
  }
}

export interface Transport {
  /** Stream: writes every message in one go. Datagram: one message per datagram, in order; throws at the first that fails. */
  write(messages: readonly Buffer[], signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** node:tls options from the receiver's `tls` block; reads the PEM files now (ReceiverSetupError). */
export function tlsOptions(tls: SyslogTls, host: string): ConnectionOptions {
  const ca = readPem(tls.caFile, 'caFile');
  const cert = readPem(tls.certFile, 'certFile');
  const key = readPem(tls.keyFile, 'keyFile');
  const servername = tls.serverName ?? (/^[\d.]+$/.test(host) || isIPv6(host) ? undefined : host);
  return {
    rejectUnauthorized: !tls.insecureSkipVerify,
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
    ...(servername === undefined ? {} : { servername }),
  };
}

function asTransportError(err: unknown): TransportError {
  if (err instanceof TransportError) return err;
  const e = err as NodeJS.ErrnoException;
  const code = e.code;
  const detail = e.message ?? String(err);
  return new TransportError(
    code !== undefined && !detail.includes(code) ? `${code}: ${detail}` : detail,
    false,
    code,
  );
}

/**
 * Waits for `start` to call back, failing on timeout, abort or `fail` (the socket's error).
 * Real time on purpose: a hung socket is a wall-clock matter, not the router's clock.
 */
function guarded(
  start: (done: (err?: Error | null) => void) => void,
  what: string,
  timeoutMs: number,
  signal: AbortSignal,
  onGiveUp: () => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err?: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (err) {
        onGiveUp();
        reject(asTransportError(err));
      } else resolve();
    };
    const onAbort = (): void => finish(new TransportError(`${what} aborted`, false));
    const timer = setTimeout(
      () => finish(new TransportError(`${what} timed out after ${timeoutMs} ms`, true)),
      timeoutMs,
    );
    timer.unref();
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    start(finish);
  });
}

/** TCP or TLS: one connection, opened on first use and again after it broke. */
export class StreamTransport implements Transport {
  private socket: Socket | undefined;
  // Per socket: the close of a dropped connection must not condemn the next one.
  private readonly broken = new WeakSet<Socket>();
  private readonly tls: ConnectionOptions | undefined;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly network: 'tcp' | 'tcp4' | 'tcp6' | 'tls',
    tls: SyslogTls,
    private readonly timeoutMs: number,
  ) {
    this.tls = network === 'tls' ? tlsOptions(tls, endpoint.host) : undefined;
  }

  async write(messages: readonly Buffer[], signal: AbortSignal): Promise<void> {
    // A FIN or RST that already arrived is only seen once the event loop polls: let it, so a
    // batch is not written into a connection the server has closed (and lost without error).
    await new Promise<void>((resolve) => setImmediate(resolve));
    const current = this.socket;
    const socket = current !== undefined && !this.broken.has(current) ? current : await this.open(signal);
    const data = messages.length === 1 ? (messages[0] as Buffer) : Buffer.concat(messages);
    await guarded(
      (done) => socket.write(data, done),
      'write',
      this.timeoutMs,
      signal,
      () => this.drop(socket),
    );
    if (this.broken.has(socket)) {
      // Closed while we wrote: the bytes may not have reached the server.
      this.drop(socket);
      throw new TransportError('connection closed by the server during the write', false, 'ECONNRESET');
    }
  }

  private async open(signal: AbortSignal): Promise<Socket> {
    if (this.socket !== undefined) this.drop(this.socket);
    const { host, port } = this.endpoint;
    const family = this.network === 'tcp4' ? 4 : this.network === 'tcp6' ? 6 : 0;
    const socket =
      this.tls === undefined ? netConnect({ host, port, family }) : tlsConnect({ host, port, ...this.tls });
    const connected = this.tls === undefined ? 'connect' : 'secureConnect';
    let failed: ((err: Error) => void) | undefined;
    const broke = (): void => void this.broken.add(socket);
    socket.on('error', (err) => {
      broke();
      failed?.(err);
    });
    await guarded(
      (done) => {
        failed = done;
        socket.once(connected, () => done());
      },
      'connect',
      this.timeoutMs,
      signal,
      () => socket.destroy(),
    );
    failed = undefined;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    // A syslog server never writes to us: anything readable, or its end, means the connection is over.
    socket.on('data', () => undefined);
    socket.on('end', broke);
    socket.on('close', broke);
    this.socket = socket;
    return socket;
  }

  private drop(socket: Socket): void {
    socket.destroy();
    if (this.socket === socket) this.socket = undefined;
  }

  close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket === undefined || socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => socket.destroy(), 2_000);
      timer.unref();
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.end();
    });
  }
}

/** UDP: a connected socket (so ICMP port-unreachable surfaces as ECONNREFUSED), one datagram per message. */
export class DatagramTransport implements Transport {
  private socket: DgramSocket | undefined;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly network: 'udp' | 'udp4' | 'udp6',
    private readonly timeoutMs: number,
  ) {}

  /** How many messages of the last failed write went out before the failure. */
  sentBeforeFailure = 0;

  async write(messages: readonly Buffer[], signal: AbortSignal): Promise<void> {
    this.sentBeforeFailure = 0;
    const socket = this.socket ?? (await this.open(signal));
    for (const message of messages) {
      await guarded(
        (done) => socket.send(message, (err) => done(err)),
        'send',
        this.timeoutMs,
        signal,
        () => this.reset(socket),
      );
      this.sentBeforeFailure++;
    }
  }

  private async open(signal: AbortSignal): Promise<DgramSocket> {
    const { host, port } = this.endpoint;
    const type = this.network === 'udp6' || (this.network === 'udp' && isIPv6(host)) ? 'udp6' : 'udp4';
    const socket = createSocket(type);
    let failed: ((err: Error) => void) | undefined;
    socket.on('error', (err) => {
      failed?.(err);
      this.reset(socket);
    });
    await guarded(
      (done) => {
        failed = done;
        socket.connect(port, host, () => done());
      },
      'connect',
      this.timeoutMs,
      signal,
      () => this.reset(socket),
    );
    failed = undefined;
    this.socket = socket;
    return socket;
  }

  private reset(socket: DgramSocket): void {
    if (this.socket === socket) this.socket = undefined;
    try {
      socket.close();
    } catch {
      // Already closed.
    }
  }

  close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket === undefined) return Promise.resolve();
    return new Promise((resolve) => {
      try {
        socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }
}
