// The HTTP endpoints kubelet and Prometheus talk to, on `--metrics-address` (the exporter's
// flag, default `:2112`): /metrics, /healthz (liveness: the watch is alive) and /readyz
// (readiness: the first list is done).
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { systemClock } from '../util/clock.ts';
import type { Clock } from '../util/clock.ts';
import type { Metrics } from './metrics.ts';

export const DEFAULT_METRICS_ADDRESS = ':2112';
export const PATHS = { metrics: '/metrics', healthz: '/healthz', readyz: '/readyz' } as const;

export class ListenAddressError extends Error {
  readonly code = 'E_LISTEN_ADDRESS';
  constructor(address: string, why: string) {
    super(`Invalid metrics address "${address}": ${why}.`);
    this.name = 'ListenAddressError';
  }
}

export interface HealthSource {
  /** True once the first list of Events is done. */
  ready(): boolean;
  /** Epoch ms of the last sign of life from the watch: an event, a bookmark, a completed list. */
  lastActivityMs(): number;
  /** Longer silence than this fails /healthz; 0 or Infinity = never. */
  readonly maxSilenceMs: number;
}

export interface TelemetryServerOptions {
  /** `:PORT` (all interfaces), `HOST:PORT` or `[IPv6]:PORT`; port 0 picks a free one. */
  readonly address?: string;
  readonly metrics: Metrics;
  readonly health: HealthSource;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export interface TelemetryServer {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  readonly host: string;
  close(): Promise<void>;
}

export interface ListenAddress {
  /** Undefined = every interface. */
  readonly host: string | undefined;
  readonly port: number;
}

/** Parses Go's listen address syntax as the exporter's `--metrics-address` takes it. */
export function parseListenAddress(address: string): ListenAddress {
  const colon = address.lastIndexOf(':');
  if (colon < 0) throw new ListenAddressError(address, 'expected ":PORT" or "HOST:PORT"');
  let host = address.slice(0, colon);
  const portText = address.slice(colon + 1);
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65_535) {
    throw new ListenAddressError(address, `port "${portText}" is not a number from 0 to 65535`);
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  else if (host.includes(':'))
    throw new ListenAddressError(address, 'write an IPv6 host in brackets: "[::1]:2112"');
  return { host: host === '' ? undefined : host, port: Number(portText) };
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
}

const TEXT = 'text/plain; charset=utf-8';

/** The /healthz verdict at `nowMs`. */
export function healthAnswer(health: HealthSource, nowMs: number): Answer {
  const silentMs = nowMs - health.lastActivityMs();
  const bounded = health.maxSilenceMs > 0 && Number.isFinite(health.maxSilenceMs);
  if (bounded && silentMs > health.maxSilenceMs) {
    const body = `unhealthy: no event or bookmark from the watch for ${Math.round(silentMs / 1000)}s (limit ${Math.round(health.maxSilenceMs / 1000)}s)\n`;
    return { status: 503, body };
  }
  return { status: 200, body: 'ok\n' };
}

/** The /readyz verdict. */
export function readyAnswer(health: HealthSource): Answer {
  return health.ready()
    ? { status: 200, body: 'ok\n' }
    : { status: 503, body: 'not ready: the first list of events is not done\n' };
}

async function answer(path: string, options: TelemetryServerOptions, clock: Clock): Promise<Answer> {
  switch (path) {
    case PATHS.metrics:
      return { status: 200, body: await options.metrics.text(), contentType: options.metrics.contentType };
    case PATHS.healthz:
      return healthAnswer(options.health, clock.now());
    case PATHS.readyz:
      return readyAnswer(options.health);
    default:
      return { status: 404, body: 'not found\n' };
  }
}

function write(req: IncomingMessage, res: ServerResponse, result: Answer): void {
  res.writeHead(result.status, {
    'content-type': result.contentType ?? TEXT,
    'content-length': Buffer.byteLength(result.body),
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : result.body);
}

function handler(options: TelemetryServerOptions, clock: Clock) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      write(req, res, { status: 405, body: 'method not allowed\n' });
      return;
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    answer(path, options, clock).then(
      (result) => write(req, res, result),
      (err: unknown) => {
        options.logger?.error({ err, path }, 'Telemetry request failed.');
        write(req, res, { status: 500, body: 'internal error\n' });
      },
    );
  };
}

function listen(server: Server, address: ListenAddress): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Starts the server; resolves once it listens (rejects if the address is taken or invalid). */
export async function startTelemetryServer(options: TelemetryServerOptions): Promise<TelemetryServer> {
  const address = parseListenAddress(options.address ?? DEFAULT_METRICS_ADDRESS);
  const server = createServer(handler(options, options.clock ?? systemClock));
  // A scrape or probe that stalls must not hold a socket forever.
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  const bound = await listen(server, address);
  options.logger?.info({ address: `${bound.address}:${bound.port}` }, 'Telemetry server listening.');
  return {
    port: bound.port,
    host: bound.address,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Prometheus keeps connections alive between scrapes.
        server.closeAllConnections();
      }),
  };
}
