// A webhook receiver for integration tests: a real HTTP server on 127.0.0.1 that records every
// request and answers as the test scripts it (status per request, e.g. a 503 outage).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly body: string;
  readonly headers: IncomingMessage['headers'];
  readonly status: number;
  /** When it arrived (epoch ms). */
  readonly atMs: number;
}

export type Answer = (request: { body: string; index: number }) => {
  status: number;
  headers?: Record<string, string>;
};

export class WebhookSink {
  readonly received: Received[] = [];
  private waiters: { predicate: () => boolean; resolve: () => void }[] = [];
  answer: Answer = () => ({ status: 200 });

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookSink> {
    const holder: { sink?: WebhookSink } = {};
    const server = createServer((req, res) => holder.sink?.handle(req, res));
    const sink = new WebhookSink(server);
    holder.sink = sink;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return sink;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** Bodies of the requests answered 2xx. */
  get accepted(): string[] {
    return this.received.filter((r) => r.status < 300).map((r) => r.body);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const { status, headers } = this.answer({ body, index: this.received.length });
      this.received.push({ body, headers: req.headers, status, atMs: Date.now() });
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(status < 300 ? '{"ok":true}' : '{"error":"scripted"}');
      this.waiters = this.waiters.filter((w) => {
        if (!w.predicate()) return true;
        w.resolve();
        return false;
      });
    });
  }

  /** Resolves when `predicate` holds after a request (checked at once too); rejects after `timeoutMs`. */
  until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({
        predicate,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
