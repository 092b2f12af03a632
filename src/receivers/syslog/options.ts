// syslog — options and description: RFC 5424 messages over UDP, TCP or TLS (octet counting,
// RFC 6587), as the exporter's syslog sink (`network`, `address`, `tag`) plus severity from the
// event type, a facility, the event's time and TLS. The payload (layout or enhanced event JSON)
// is the MSG part. Send: ./send.ts (./message.ts formats, ./transport.ts writes). Classifier:
// ./transport.ts (TransportError: a refused write or connection is retried). Doc: docs/receivers/syslog.md.
import { z } from 'zod';
import { goString } from '../../config/zod-helpers.ts';
import { timeoutMs, tlsSchema, typeOptions } from '../common/options.ts';
import type { ReceiverSpec, TemplatedOption } from '../common/types.ts';
import { FACILITY_NAMES, severityCode } from './message.ts';
import { SYSLOG_NETWORKS, parseAddress } from './transport.ts';

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
  timeoutMs: timeoutMs(10_000),
  /** Exporter option, accepted so its configs load; no effect (routes choose occurrences: `repeats`). */
  sentUpdateEvent: z.boolean().optional(),
});
export type SyslogOptions = z.output<typeof syslogSchema>;

// The latest of the times an Event carries; the receiver picks the greatest non-null one.
const EVENT_TIME_TEMPLATE =
  '{{ toJson .LastTimestamp }} {{ toJson .EventTime }} {{ toJson .FirstTimestamp }} {{ with .Series }}{{ toJson .LastObservedTime }}{{ end }}';
const TYPE_TEMPLATE = '{{ .Type }}';
// Keys of the templated values in Payload.templated (the paths below, formatted).
export const T_SEVERITY = 'severity';
export const T_TIME = 'timestampSource';

function templatedOptions(opts: SyslogOptions): TemplatedOption[] {
  const out: TemplatedOption[] = [{ path: ['msgId'], source: opts.msgId }];
  if (opts.hostname !== undefined) out.push({ path: ['hostname'], source: opts.hostname });
  // A map (or no severity) is resolved from the event type, which the payload does not carry.
  out.push({ path: [T_SEVERITY], source: typeof opts.severity === 'string' ? opts.severity : TYPE_TEMPLATE });
  if (opts.timestampSource === 'event') out.push({ path: [T_TIME], source: EVENT_TIME_TEMPLATE });
  return out;
}

export const syslogSpec: ReceiverSpec<SyslogOptions> = {
  type: 'syslog',
  schema: syslogSchema,
  // Messages gather while a write is in flight; one TCP write (or one datagram each) per batch.
  batchDefaults: { maxEvents: 100, maxBytes: 1_048_576, flushIntervalMs: 0 },
  templatedOptions,
  docs: 'docs/receivers/syslog.md',
  load: () => import('./send.ts').then((m) => m.create),
};
