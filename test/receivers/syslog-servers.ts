// Small syslog servers for what rsyslog cannot show here: a TCP/TLS server that reads RFC 6587
// octet-counted frames strictly (a malformed frame fails the test), and a server that accepts
// and never answers (a TLS handshake that hangs).
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { createServer as createTlsServer } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import type { Pki } from './servers.ts';

export interface FrameServer {
  readonly port: number;
  /** Every message received, in order, without its length prefix. */
  readonly messages: string[];
  /** Connections accepted so far. */
  readonly connections: number;
  /** CNs of the client certificates presented (requestCert only). */
  readonly clientNames: string[];
  /** Framing errors seen (must stay empty). */
  readonly errors: string[];
  waitFor(n: number): Promise<void>;
  /** Closes every open connection (the server keeps listening). */
  dropConnections(): void;
  close(): Promise<void>;
}

/** Splits octet-counted frames out of `buffer`; returns what is left over. */
export function takeFrames(buffer: Buffer, out: string[], errors: string[]): Buffer {
  let rest = buffer;
  for (;;) {
    const space = rest.indexOf(0x20);
    if (space < 0) return rest;
    const length = rest.subarray(0, space).toString('ascii');
    if (!/^[1-9]\d*$/.test(length)) {
      errors.push(`bad frame length ${JSON.stringify(length.slice(0, 20))}`);
      return Buffer.alloc(0);
    }
    const end = space + 1 + Number(length);
    if (rest.length < end) return rest;
    out.push(rest.subarray(space + 1, end).toString('utf8'));
    rest = rest.subarray(end);
  }
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

export async function startFrameServer(tls?: { pki: Pki; requestCert?: boolean }): Promise<FrameServer> {
  const messages: string[] = [];
  const errors: string[] = [];
  const clientNames: string[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const onSocket = (socket: Socket): void => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const peer = (socket as TLSSocket).getPeerCertificate?.();
    if (tls?.requestCert && peer?.subject?.CN) clientNames.push(String(peer.subject.CN));
    let pending: Buffer = Buffer.alloc(0);
    socket.on(
      'data',
      (chunk: Buffer) => (pending = takeFrames(Buffer.concat([pending, chunk]), messages, errors)),
    );
  };
  const server =
    tls === undefined
      ? createNetServer(onSocket)
      : createTlsServer(
          {
            key: readFileSync(tls.pki.files.serverKey),
            cert: readFileSync(tls.pki.files.serverCert),
            ca: readFileSync(tls.pki.files.caCert),
            requestCert: tls.requestCert === true,
            rejectUnauthorized: tls.requestCert === true,
          },
          onSocket,
        );
  server.on('tlsClientError', () => undefined);
  const port = await listen(server);
  return {
    port,
    messages,
    errors,
    clientNames,
    get connections() {
      return connections;
    },
    async waitFor(n) {
      const start = Date.now();
      while (messages.length < n) {
        if (Date.now() - start > 10_000)
          throw new Error(`timed out waiting for ${n} frames (have ${messages.length})`);
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (errors.length > 0) throw new Error(errors.join('; '));
    },
    dropConnections() {
      for (const socket of sockets) socket.destroy();
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Accepts connections and never writes: a TLS client waits forever for the server hello. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  const port = await listen(server);
  return {
    port,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
