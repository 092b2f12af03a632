// Real servers on 127.0.0.1 for the receiver tests (ports chosen at run time), and a throwaway
// CA with server and client certificates made by openssl.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { requireExecutable } from '../support/require-server.ts';

export interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** The client certificate's CN, when one was presented over TLS. */
  readonly clientCn?: string;
}

export interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** Decides the answer to a request; `undefined` = never answer (a hung service). */
export type Handler = (req: Received, index: number) => Answer | undefined;

export interface TestServer {
  readonly url: string;
  readonly port: number;
  readonly received: Received[];
  handler: Handler;
  close(): Promise<void>;
}

function clientCn(req: IncomingMessage): string | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== 'function') return undefined;
  const cn = socket.getPeerCertificate().subject?.CN;
  return typeof cn === 'string' ? cn : undefined;
}

async function listen(
  server: Server,
  scheme: string,
  handlerRef: { handler: Handler },
  received: Received[],
): Promise<TestServer> {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const cn = clientCn(req);
      const r: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        ...(cn ? { clientCn: cn } : {}),
      };
      received.push(r);
      const answer = handlerRef.handler(r, received.length - 1);
      if (answer === undefined) return;
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${scheme}://127.0.0.1:${port}/`,
    port,
    received,
    get handler() {
      return handlerRef.handler;
    },
    set handler(h: Handler) {
      handlerRef.handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function startHttpServer(handler: Handler = () => ({ status: 200 })): Promise<TestServer> {
  return listen(createHttpServer(), 'http', { handler }, []);
}

export function startHttpsServer(
  pki: Pki,
  cert: 'server' | 'nameOnly',
  handler: Handler = () => ({ status: 200 }),
): Promise<TestServer> {
  const server = createHttpsServer({
    key: readFileSync(pki.files[`${cert}Key`]),
    cert: readFileSync(pki.files[`${cert}Cert`]),
    ca: readFileSync(pki.files.caCert),
    requestCert: true,
    rejectUnauthorized: false,
  });
  return listen(server, 'https', { handler }, []);
}

export interface Pki {
  readonly dir: string;
  readonly files: {
    caCert: string;
    serverCert: string;
    serverKey: string;
    nameOnlyCert: string;
    nameOnlyKey: string;
    clientCert: string;
    clientKey: string;
  };
  remove(): void;
}

function openssl(dir: string, args: string[]): void {
  requireExecutable('openssl', 'apt-get install openssl');
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function issue(dir: string, name: string, cn: string, ext: string): void {
  openssl(dir, [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${cn}`,
  ]);
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
  ]);
}

/** A CA, a server cert for 127.0.0.1 and receiver.test, one for receiver.test only, and a client cert. */
export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'ker-pki-'));
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=kube-event-router test CA',
  ]);
  issue(
    dir,
    'server',
    'receiver.test',
    'subjectAltName=DNS:receiver.test,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  );
  issue(dir, 'name-only', 'receiver.test', 'subjectAltName=DNS:receiver.test\nextendedKeyUsage=serverAuth\n');
  issue(dir, 'client', 'router-client', 'extendedKeyUsage=clientAuth\n');
  const f = (name: string) => join(dir, name);
  return {
    dir,
    files: {
      caCert: f('ca.crt'),
      serverCert: f('server.crt'),
      serverKey: f('server.key'),
      nameOnlyCert: f('name-only.crt'),
      nameOnlyKey: f('name-only.key'),
      clientCert: f('client.crt'),
      clientKey: f('client.key'),
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
