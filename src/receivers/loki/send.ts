// loki — send: the push body (streams by label set, entries in time order) and its request; the
// shared HTTP client classifies the answer by its status.
import { formatPath } from '../../config/problem.ts';
import { TemplatedHeaders } from '../common/headers.ts';
import { HttpClient } from '../common/http.ts';
import { SendOutcome } from '../common/outcome.ts';
import { urlSecrets } from '../common/secrets.ts';
import type { BuildContext, Payload, Receiver, ReceiverFactory, SendResult } from '../common/types.ts';
import { SendError } from '../common/types.ts';
import { LOKI_PUSH_PATH, TIME_KEY } from './options.ts';
import type { LokiOptions } from './options.ts';

const GO_TIME = /(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? ([+-])(\d\d)(\d\d)/g;

/** Unix nanoseconds of the first non-zero Go time printed in `text`; undefined when none. */
export function firstTimeNs(text: string): bigint | undefined {
  for (const m of text.matchAll(GO_TIME)) {
    const [, y, mo, d, h, mi, s, frac = '', sign, oh, om] = m as unknown as string[];
    if (y === '0001') continue; // Go's zero time: the field is unset
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    const offsetMs = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
    return BigInt(ms - offsetMs) * 1_000_000n + BigInt(frac.padEnd(9, '0'));
  }
  return undefined;
}

/** The push URL: the configured one, or its origin plus the push path when it has no path. */
export function pushUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.pathname === '' || parsed.pathname === '/') parsed.pathname = LOKI_PUSH_PATH;
  return parsed.toString();
}

interface Entry {
  readonly ns: bigint;
  readonly line: string;
}

interface Stream {
  readonly labels: Record<string, string>;
  readonly entries: Entry[];
}

/** The push body: one stream per label set, entries in time order within each (older Lokis need it). */
export function pushBody(streams: Iterable<Stream>): string {
  const out = [...streams].map((s) => ({
    stream: s.labels,
    values: [...s.entries]
      .sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0))
      .map((e) => [e.ns.toString(), e.line]),
  }));
  return JSON.stringify({ streams: out });
}

class LokiReceiver implements Receiver {
  private readonly http: HttpClient;
  private readonly url: string;
  private readonly labelKeys: readonly (readonly [string, string])[];
  private readonly templatedHeaders: TemplatedHeaders;
  private readonly fixedHeaders: Readonly<Record<string, string>>;

  constructor(
    readonly name: string,
    private readonly options: LokiOptions,
    private readonly ctx: BuildContext,
  ) {
    this.url = pushUrl(options.url);
    const secrets = [...urlSecrets(options.url), ...(options.password ? [options.password] : [])];
    this.http = new HttpClient({
      tls: options.tls,
      timeoutMs: options.timeoutMs,
      clock: ctx.clock,
      secrets: secrets,
      capture: ctx.capture,
    });
    this.labelKeys = Object.keys(options.streamLabels).map(
      (label) => [label, formatPath(['streamLabels', label])] as const,
    );
    this.templatedHeaders = new TemplatedHeaders(options.headers);
    const fixed: Record<string, string> = { 'content-type': 'application/json' };
    if (options.tenantID !== undefined) fixed['x-scope-orgid'] = options.tenantID;
    if (options.username !== undefined) {
      fixed['authorization'] =
        `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;
    }
    this.fixedHeaders = fixed;
  }

  /**
   * One push per set of rendered headers (usually one: headers are rarely templated per event),
   * each event with its own headers. After a push to retry, the rest shares the retry unsent.
   */
  async send(batch: readonly Payload[], signal: AbortSignal): Promise<SendResult> {
    const outcome = new SendOutcome(batch.length);
    const pushes = this.templatedHeaders
      .group(batch)
      .map((indexes) => this.streams(batch, indexes, outcome))
      .filter((push) => push.sent.length > 0);
    for (const [i, push] of pushes.entries()) {
      const first = batch[push.sent[0] as number] as Payload;
      const headers = this.templatedHeaders.render(first, this.fixedHeaders);
      const body = pushBody(push.streams.values());
      const result = await this.http.send({ url: this.url, method: 'POST', headers, body }, signal);
      if (result.kind === 'retry') {
        outcome.request(
          pushes.slice(i).flatMap((p) => p.sent),
          result,
        );
        break;
      }
      outcome.request(push.sent, result);
    }
    return outcome.result();
  }

  /** The streams of the payloads at `indexes`; a payload without any label is dropped. */
  private streams(
    batch: readonly Payload[],
    indexes: readonly number[],
    outcome: SendOutcome,
  ): { streams: Map<string, Stream>; sent: number[] } {
    const streams = new Map<string, Stream>();
    const sent: number[] = [];
    const nowNs = BigInt(this.ctx.clock.now()) * 1_000_000n;
    for (const index of indexes) {
      const payload = batch[index] as Payload;
      const labels = this.labels(payload);
      if (labels === undefined) {
        outcome.drop(
          index,
          'clientError',
          new SendError('every stream label rendered empty; Loki needs at least one label per stream'),
        );
        continue;
      }
      const key = JSON.stringify(Object.entries(labels));
      let stream = streams.get(key);
      if (stream === undefined) streams.set(key, (stream = { labels, entries: [] }));
      const eventNs =
        this.options.timestampSource === 'event' ? firstTimeNs(payload.templated[TIME_KEY] ?? '') : undefined;
      stream.entries.push({ ns: eventNs ?? nowNs, line: payload.body });
      sent.push(index);
    }
    return { streams, sent };
  }

  /** The rendered labels, empty values left out (Loki treats them as absent); undefined when none is left. */
  private labels(payload: Payload): Record<string, string> | undefined {
    const labels: Record<string, string> = {};
    for (const [label, key] of this.labelKeys) {
      const value = payload.templated[key] ?? '';
      if (value !== '') labels[label] = value;
    }
    return Object.keys(labels).length === 0 ? undefined : labels;
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

export const create: ReceiverFactory<LokiOptions> = (name, opts, ctx) => new LokiReceiver(name, opts, ctx);
