// The receiver conformance suite's entry interface (see README.md in this folder). One entry
// per receiver type, in `<type>.ts` here, exporting `entry` built with `defineEntry`. The suite
// (../conformance.test.ts) imports `./<type>.ts` for every type in RECEIVER_SPECS.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReceiverConfig } from '../../../src/config/schema.ts';
import type { BuildContext, FailureReason, Receiver } from '../../../src/receivers/common/types.ts';

export type Expected = 'ok' | 'retry' | 'drop';

/** One row of the answer → action table. */
export interface AnswerRow<A> {
  /** What the row shows, e.g. `429 with Retry-After`, `ok:false channel_not_found`. */
  readonly scenario: string;
  /** How the local server answers (entry-specific: an HTTP answer, an errcode, a broker error...). */
  readonly serverAnswer: A;
  readonly expected: Expected;
  /** For `retry`: the `retryAfterMs` the receiver must return (absent = must be absent). */
  readonly retryAfterMs?: number;
  /** The FailureReason the receiver must return for retry / drop; unchecked when absent. */
  readonly reason?: FailureReason;
}

/** The running local server of one entry, as the suite drives it. */
export interface ConformanceServer<A> {
  /** Every request from now on is answered with `answer`. */
  answerWith(answer: A): void;
  /**
   * What the server received since the last call, as JSON values free of run-specific data
   * (ports, wall-clock times, random ids): these are compared with the golden file. Clears.
   */
  takeReceived(): unknown[] | Promise<unknown[]>;
  close(): Promise<void>;
}

export interface EntrySpec<S extends ConformanceServer<A>, A> {
  /** The receiver type (the YAML key), as in RECEIVER_SPECS. */
  readonly type: string;
  /** Starts the local server that speaks the receiver's wire protocol on 127.0.0.1. */
  start(): Promise<S>;
  /**
   * The receiver item for `server`, YAML as under `receivers:` (starting `- name: `). Secrets
   * should come from `${VARS}` in `env`, as in production. Loaded as the router loads it.
   */
  receiver(server: S): string;
  readonly env?: Readonly<Record<string, string>>;
  /** Every secret value configured (tokens, keys, passwords, URL credentials): none may appear in a SendResult error, a log line, a dead-letter line or the metrics text. */
  readonly secrets: readonly string[];
  /** The answer while recording golden payloads (must be classified ok). */
  readonly okAnswer: A;
  readonly answers: readonly AnswerRow<A>[];
  /** Builds the runtime instead of createReceiver (e.g. to hand stdout a collector or inject a transport). */
  create?(config: ReceiverConfig, ctx: Omit<BuildContext, 'batch'>, server: S): Receiver;
}

/** An entry with its server type erased, as the suite runs it. */
export interface ConformanceEntry {
  readonly type: string;
  readonly env: Readonly<Record<string, string>>;
  readonly secrets: readonly string[];
  readonly answers: readonly Omit<AnswerRow<unknown>, 'serverAnswer'>[];
  start(): Promise<StartedEntry>;
}

export interface StartedEntry {
  readonly receiverYaml: string;
  /** `ok` = the golden answer; a number = that row of `answers`. */
  answer(row: 'ok' | number): void;
  takeReceived(): Promise<unknown[]>;
  /** undefined = createReceiver. */
  readonly create?: (config: ReceiverConfig, ctx: Omit<BuildContext, 'batch'>) => Receiver;
  close(): Promise<void>;
}

export function defineEntry<S extends ConformanceServer<A>, A>(spec: EntrySpec<S, A>): ConformanceEntry {
  return {
    type: spec.type,
    env: spec.env ?? {},
    secrets: spec.secrets,
    answers: spec.answers.map(({ serverAnswer: _answer, ...row }) => row),
    async start(): Promise<StartedEntry> {
      const server = await spec.start();
      const create = spec.create;
      return {
        receiverYaml: spec.receiver(server),
        answer: (row) => {
          const answer = row === 'ok' ? spec.okAnswer : spec.answers[row]?.serverAnswer;
          if (answer === undefined) throw new Error(`${spec.type}: no answer row ${row}`);
          server.answerWith(answer);
        },
        takeReceived: async () => server.takeReceived(),
        ...(create === undefined ? {} : { create: (config, ctx) => create(config, ctx, server) }),
        close: () => server.close(),
      };
    },
  };
}

// --- A local HTTP server for HTTP receivers --------------------------------------------------

export interface HttpRequestSeen {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** An HTTP answer, or one computed from the request (to echo what the client sent, for the secrets check). */
export type HttpAnswerSpec = HttpAnswer | ((req: HttpRequestSeen) => HttpAnswer);

export interface HttpConformanceServer extends ConformanceServer<HttpAnswerSpec> {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  readonly origin: string;
  readonly port: number;
  /** Every request so far (takeReceived maps and clears its own view). */
  readonly requests: HttpRequestSeen[];
}

/**
 * A `node:http` server on 127.0.0.1 answering every request with the current answer.
 * `toPayloads` turns one request into the golden values (e.g. the parsed JSON body).
 */
export async function startHttpConformanceServer(
  toPayloads: (req: HttpRequestSeen) => unknown[],
  initial: HttpAnswerSpec = { status: 200 },
): Promise<HttpConformanceServer> {
  let answer = initial;
  const requests: HttpRequestSeen[] = [];
  let taken = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: HttpRequestSeen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      const a = typeof answer === 'function' ? answer(seen) : answer;
      res.writeHead(a.status, { 'content-type': 'application/json', ...(a.headers ?? {}) });
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    answerWith: (a) => {
      answer = a;
    },
    takeReceived: () => {
      const out = requests.slice(taken).flatMap(toPayloads);
      taken = requests.length;
      return out;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A JSON answer with a status, as most HTTP APIs send errors. */
export function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): HttpAnswer {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** An answer echoing the request line and headers into the body: a receiver that copies bodies into errors must redact them. */
export function echoAnswer(status: number): (req: HttpRequestSeen) => HttpAnswer {
  return (req) => ({ status, body: JSON.stringify({ error: 'denied', url: req.url, headers: req.headers }) });
}
