// syslog — send: each payload as an RFC 5424 message (severity, time and host from the templated
// values), written through the transport (one TCP write, or one datagram each, per batch).
import { hostname as osHostname } from 'node:os';
import type { BuildContext, Payload, Receiver, ReceiverFactory, SendResult } from '../common/types.ts';
import { SendError } from '../common/types.ts';
import {
  DEFAULT_SEVERITY_BY_TYPE,
  FALLBACK_SEVERITY,
  facilityCode,
  formatMessage,
  octetCounted,
  severityCode,
  timestampField,
} from './message.ts';
import { DatagramTransport, StreamTransport, TransportError, parseAddress } from './transport.ts';
import type { Transport } from './transport.ts';
import { T_SEVERITY, T_TIME } from './options.ts';
import type { SyslogOptions } from './options.ts';

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

export const create: ReceiverFactory<SyslogOptions> = (name, opts, ctx) =>
  new SyslogReceiver(name, opts, ctx);
