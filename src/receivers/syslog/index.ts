// syslog: RFC 5424 messages over UDP, TCP or TLS (octet counting, RFC 6587), as the exporter's
// syslog sink (`network`, `address`, `tag`) plus severity from the event type, a facility, the
// event's time and TLS. The payload (layout or enhanced event JSON) is the MSG part.
import { hostname as osHostname } from 'node:os';
import { z } from 'zod';
import { goString } from '../../config/zod-helpers.ts';
import { typeOptions } from '../common-options.ts';
import { tlsSchema } from '../webhook.ts';
import type { BuildContext, Payload, Receiver, ReceiverSpec, SendResult, TemplatedOption } from '../types.ts';
import { SendError } from '../types.ts';
import {
  DEFAULT_SEVERITY_BY_TYPE,
  FACILITY_NAMES,
  FALLBACK_SEVERITY,
  facilityCode,
  formatMessage,
  octetCounted,
  severityCode,
  timestampField,
} from './message.ts';
import {
  DatagramTransport,
  SYSLOG_NETWORKS,
  StreamTransport,
  TransportError,
  parseAddress,
} from './transport.ts';
import type { Transport } from './transport.ts';

const severityName = z.string().refine((v) => severityCode(v) !== undefined, {
  message: 'must be a syslog severity (emerg, alert, crit, err, warning, notice, info, debug or 0-7)',
});

export const syslogSchema = typeOptions({
  network: z.enum(SYSLOG_NETWORKS),
  address: z
    .string()
    .refine((v) => parseAddress(v) !== undefined, { message: 'must be host:port (IPv6 as [addr]:port)' }),
  /** APP-NAME (exporter: the syslog tag). */
  tag: z.string().min(1).default('kube-event-router'),
  /** HOSTNAME: a template; unset = this pod's host name. */
  hostname: goString.optional(),
  /** MSGID: a template. */
  msgId: goString.default('{{ .Reason }}'),
  /** A template rendering a severity, or a map from event type to severity merged over the defaults. */
  severity: z.union([goString, z.record(z.string(), severityName)]).optional(),
  facility: z.union([z.enum(FACILITY_NAMES), z.int().min(0).max(23)]).default('local0'),
  /** TIMESTAMP: the event's last occurrence (event) or the time of sending (now). */
  timestampSource: z.enum(['event', 'now']).default('event'),
  tls: tlsSchema,
  timeoutMs: z.int().min(1).default(10_000),
  /** Exporter option, accepted so its configs load; no effect (routes choose occurrences: `repeats`). */
  sentUpdateEvent: z.boolean().optional(),
});
export type SyslogOptions = z.output<typeof syslogSchema>;

// The latest of the times an Event carries; the receiver picks the greatest non-null one.
const EVENT_TIME_TEMPLATE =
  '{{ toJson .LastTimestamp }} {{ toJson .EventTime }} {{ toJson .FirstTimestamp }} {{ with .Series }}{{ toJson .LastObservedTime }}{{ end }}';
const TYPE_TEMPLATE = '{{ .Type }}';
// Keys of the templated values in Payload.templated (the paths below, formatted).
const T_SEVERITY = 'severity';
const T_TIME = 'timestampSource';

function templatedOptions(opts: SyslogOptions): TemplatedOption[] {
  const out: TemplatedOption[] = [{ path: ['msgId'], source: opts.msgId }];
  if (opts.hostname !== undefined) out.push({ path: ['hostname'], source: opts.hostname });
  // A map (or no severity) is resolved from the event type, which the payload does not carry.
  out.push({ path: [T_SEVERITY], source: typeof opts.severity === 'string' ? opts.severity : TYPE_TEMPLATE });
  if (opts.timestampSource === 'event') out.push({ path: [T_TIME], source: EVENT_TIME_TEMPLATE });
  return out;
}

/** The greatest of the JSON times rendered by EVENT_TIME_TEMPLATE; undefined when the event has none. */
export function latestEventTime(rendered: string): string | undefined {
  let best: string | undefined;
  let bestMs = -Infinity;
  for (const match of rendered.matchAll(/"([^"]+)"/g)) {
    const text = match[1] as string;
    const ms = Date.parse(text);
    if (!Number.isNaN(ms) && ms > bestMs && ms > 0) [best, bestMs] = [text, ms];
  }
  return best;
}

class SyslogReceiver implements Receiver {
  private readonly transport: Transport;
  private readonly framed: boolean;
  private readonly facility: number;
  private readonly severityByType: Readonly<Record<string, string>> | undefined;
  private readonly host = osHostname();
  private readonly procId = String(process.pid);

  constructor(
    readonly name: string,
    private readonly options: SyslogOptions,
    private readonly ctx: BuildContext,
  ) {
    const endpoint = parseAddress(options.address);
    if (endpoint === undefined) throw new Error('syslog address was validated at load');
    const network = options.network;
    this.framed = !network.startsWith('udp');
    this.transport =
      network === 'udp' || network === 'udp4' || network === 'udp6'
        ? new DatagramTransport(endpoint, network, options.timeoutMs)
        : new StreamTransport(endpoint, network, options.tls, options.timeoutMs);
    this.facility = facilityCode(options.facility);
    this.severityByType =
      typeof options.severity === 'string' ? undefined : { ...DEFAULT_SEVERITY_BY_TYPE, ...options.severity };
  }

  private severity(payload: Payload): number | undefined {
    const rendered = payload.templated[T_SEVERITY] ?? '';
    if (this.severityByType === undefined) return severityCode(rendered);
    return severityCode(this.severityByType[rendered] ?? FALLBACK_SEVERITY);
  }

  /** The message of one payload, or why it cannot be one. */
  message(payload: Payload): Buffer | Error {
    const severity = this.severity(payload);
    if (severity === undefined) {
      const shown = JSON.stringify((payload.templated[T_SEVERITY] ?? '').slice(0, 40));
      return new SendError(`severity template rendered ${shown}, not a syslog severity`);
    }
    const eventTime =
      this.options.timestampSource === 'event' ? latestEventTime(payload.templated[T_TIME] ?? '') : undefined;
    const message = formatMessage(
      {
        facility: this.facility,
        severity,
        timestamp: timestampField(eventTime ?? this.ctx.clock.now()),
        hostname: payload.templated.hostname ?? this.host,
        appName: this.options.tag,
        procId: this.procId,
        msgId: payload.templated.msgId ?? '',
      },
      payload.body,
    );
    return this.framed ? octetCounted(message) : message;
  }

  async send(batch: readonly Payload[], signal: AbortSignal): Promise<SendResult> {
    const drop: { index: number; error: Error }[] = [];
    const indexes: number[] = [];
    const messages: Buffer[] = [];
    batch.forEach((payload, index) => {
      const message = this.message(payload);
      if (message instanceof Error) drop.push({ index, error: message });
      else {
        indexes.push(index);
        messages.push(message);
      }
    });
    if (messages.length === 0)
      return drop.length === 0 ? { kind: 'ok' } : { kind: 'partial', retry: [], drop };
    try {
      await this.transport.write(messages, signal);
      return drop.length === 0 ? { kind: 'ok' } : { kind: 'partial', retry: [], drop };
    } catch (err) {
      return this.failed(err, indexes, drop);
    }
  }

  /** A failed write: the unsent messages retry, except a datagram too large, which never fits. */
  private failed(
    err: unknown,
    indexes: readonly number[],
    drop: { index: number; error: Error }[],
  ): SendResult {
    const e = err instanceof TransportError ? err : new TransportError(String(err), false);
    const sent = this.transport instanceof DatagramTransport ? this.transport.sentBeforeFailure : 0;
    const unsent = indexes.slice(sent);
    const error = new SendError(`syslog ${this.options.network} ${this.options.address}: ${e.message}`);
    if (e.errno === 'EMSGSIZE') {
      drop.push({ index: unsent[0] as number, error });
      unsent.shift();
    }
    const reason = e.timeout ? 'timeout' : 'network';
    if (drop.length === 0 && sent === 0) return { kind: 'retry', reason, error };
    return { kind: 'partial', retry: unsent, drop, reason };
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

export const syslogSpec: ReceiverSpec<SyslogOptions> = {
  type: 'syslog',
  schema: syslogSchema,
  // Messages gather while a write is in flight; one TCP write (or one datagram each) per batch.
  batchDefaults: { maxEvents: 100, maxBytes: 1_048_576, flushIntervalMs: 0 },
  templatedOptions,
  create: (name, opts, ctx) => new SyslogReceiver(name, opts, ctx),
};
