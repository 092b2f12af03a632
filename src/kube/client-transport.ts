// Raw API requests with the kubeconfig's credentials and TLS settings (as client-node applies
// them), a keep-alive connection pool and the rate limiter in front of every call. Raw, because
// the watcher needs the JSON as sent (client-node's models turn timestamps into Dates) and a
// stream it can pause (client-node's Watch pushes lines with no back-pressure).
import type { KubeConfig } from '@kubernetes/client-node';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { StringDecoder } from 'node:string_decoder';
import type { RateLimiter } from './rate-limit.ts';

export interface KubeRequestOptions {
  readonly method?: string;
  /** Default `application/json`. */
  readonly accept?: string;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Default `application/json`; e.g. `application/merge-patch+json` for a PATCH. */
  readonly contentType?: string;
  readonly signal?: AbortSignal;
}

export interface KubeResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON when the answer is JSON, else the text. */
  readonly body: unknown;
}

export interface KubeStream {
  readonly status: number;
  /** The response lines, read only as fast as the caller asks for them. Empty unless status is 200. */
  readonly lines: AsyncIterable<string>;
  /** The parsed error body when status is not 200. */
  readonly body: unknown;
  /** Ends the stream and frees its connection. */
  close(): void;
}

type AgentOptions = https.AgentOptions;

export class KubeTransportHttp {
  private agent: http.Agent | undefined;
  private readonly server: string;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly limiter: RateLimiter,
  ) {
    const cluster = kubeConfig.getCurrentCluster();
    if (cluster === null) throw new Error('kubeconfig has no current cluster');
    this.server = cluster.server.replace(/\/+$/, '');
  }

  /** One API call: waits for a token, sends, reads the whole answer. Rejects only when no answer came. */
  async request(path: string, options: KubeRequestOptions = {}): Promise<KubeResponse> {
    const res = await this.send(path, options);
    const text = await readAll(res);
    return { status: res.statusCode ?? 0, headers: res.headers, body: parseBody(res.headers, text) };
  }

  /** A streaming call (a watch): the lines of a 200 answer as they arrive. */
  async stream(path: string, options: KubeRequestOptions = {}): Promise<KubeStream> {
    const res = await this.send(path, options);
    const status = res.statusCode ?? 0;
    if (status !== 200) {
      const body = parseBody(res.headers, await readAll(res));
      return { status, body, lines: emptyLines(), close: () => undefined };
    }
    res.socket.setKeepAlive(true, 30_000);
    return { status, body: undefined, lines: splitLines(res), close: () => res.destroy() };
  }

  /** Frees pooled connections. */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }

  private async send(path: string, options: KubeRequestOptions): Promise<IncomingMessage> {
    await this.limiter.take(options.signal);
    const opts: https.RequestOptions = {};
    // Re-applied per call so rotated tokens (service account, exec plugins) are picked up.
    await this.kubeConfig.applyToHTTPSOptions(opts);
    const url = new URL(this.server + path);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: http.OutgoingHttpHeaders = {
      ...(opts.headers as http.OutgoingHttpHeaders | undefined),
      accept: options.accept ?? 'application/json',
    };
    if (opts.auth) headers['authorization'] = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    if (body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
      headers['content-length'] = Buffer.byteLength(body);
    }
    const lib = url.protocol === 'http:' ? http : https;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = lib.request(
        url,
        { method: options.method ?? 'GET', headers, agent: this.agentFor(opts), signal: options.signal },
        resolve,
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  private agentFor(opts: https.RequestOptions): http.Agent | undefined {
    const cluster = this.kubeConfig.getCurrentCluster();
    // A proxy needs client-node's own agent (it knows http, https and socks proxies).
    if (cluster?.proxyUrl) return opts.agent instanceof http.Agent ? opts.agent : undefined;
    if (this.agent !== undefined) return this.agent;
    if (this.server.startsWith('http:')) {
      this.agent = new http.Agent({ keepAlive: true });
      return this.agent;
    }
    const tls: AgentOptions = { keepAlive: true };
    for (const key of [
      'ca',
      'cert',
      'key',
      'pfx',
      'passphrase',
      'rejectUnauthorized',
      'servername',
    ] as const) {
      if (opts[key] !== undefined) Object.assign(tls, { [key]: opts[key] });
    }
    this.agent = new https.Agent(tls);
    return this.agent;
  }
}

function parseBody(headers: IncomingHttpHeaders, text: string): unknown {
  if (text === '') return undefined;
  if (!/json/.test(headers['content-type'] ?? '')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function readAll(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// eslint-disable-next-line require-yield
async function* emptyLines(): AsyncGenerator<string> {
  return;
}

/** Splits a byte stream into lines; pulling the next line is what reads the socket further. */
export async function* splitLines(source: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  for await (const chunk of source) {
    carry += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    for (let newline = carry.indexOf('\n'); newline >= 0; newline = carry.indexOf('\n', start)) {
      const line = carry.slice(start, newline).trim();
      start = newline + 1;
      if (line !== '') yield line;
    }
    carry = carry.slice(start);
  }
  const last = (carry + decoder.end()).trim();
  if (last !== '') yield last;
}
