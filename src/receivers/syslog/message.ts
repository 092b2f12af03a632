// RFC 5424 messages: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG`, and the
// octet-counting frame of RFC 6587 §3.4.1 used on TCP and TLS (`LEN SP MSG`).

/** Severity names as rsyslog and syslog(3) spell them, in code order (0 = emerg). */
export const SEVERITY_NAMES = [
  'emerg',
  'alert',
  'crit',
  'err',
  'warning',
  'notice',
  'info',
  'debug',
] as const;
export type SeverityName = (typeof SEVERITY_NAMES)[number];

// Aliases rsyslog accepts in its config language (`panic`, `error`, `warn`), so users can type either.
const SEVERITY_ALIASES: Readonly<Record<string, number>> = {
  emergency: 0,
  panic: 0,
  critical: 2,
  error: 3,
  warn: 4,
  informational: 6,
};

/** Facility names (RFC 5424 §6.2.1 with rsyslog's names), in code order. */
export const FACILITY_NAMES = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'authpriv',
  'ftp',
  'ntp',
  'security',
  'console',
  'solaris-cron',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
] as const;
export type FacilityName = (typeof FACILITY_NAMES)[number];

/** A severity name, alias or code (`"4"`) as its code; undefined when it is none of them. */
export function severityCode(value: string): number | undefined {
  const text = value.trim().toLowerCase();
  if (/^[0-7]$/.test(text)) return Number(text);
  const index = (SEVERITY_NAMES as readonly string[]).indexOf(text);
  if (index >= 0) return index;
  return SEVERITY_ALIASES[text];
}

export function facilityCode(value: FacilityName | number): number {
  return typeof value === 'number' ? value : FACILITY_NAMES.indexOf(value);
}

/** Event type → severity when the config has no `severity` (Warning → warning, Normal → info). */
export const DEFAULT_SEVERITY_BY_TYPE: Readonly<Record<string, SeverityName>> = {
  Warning: 'warning',
  Normal: 'info',
};
/** Types missing from the map (a custom type, no type) get this. */
export const FALLBACK_SEVERITY: SeverityName = 'info';

/**
 * A header field: printable US-ASCII (33–126) only, at most `maxChars`; empty means NILVALUE.
 * Anything else (spaces, non-ASCII) becomes `_`, so a reason or host name never breaks the header.
 */
export function headerField(value: string, maxChars: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '_').slice(0, maxChars);
  return clean === '' ? '-' : clean;
}

// RFC 5424 §6.2.3: RFC 3339 with at most 6 fraction digits and an upper-case T and Z.
const RFC5424_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

/** TIMESTAMP: an RFC 3339 text kept as it is when RFC 5424 allows it, else milliseconds in UTC. */
export function timestampField(value: string | number): string {
  if (typeof value === 'string') {
    if (RFC5424_TIME.test(value)) return value;
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? '-' : new Date(ms).toISOString();
  }
  return new Date(value).toISOString();
}

export interface Header {
  readonly facility: number;
  readonly severity: number;
  readonly timestamp: string;
  readonly hostname: string;
  readonly appName: string;
  readonly procId: string;
  readonly msgId: string;
}

/** One RFC 5424 message; STRUCTURED-DATA is NILVALUE and MSG the rendered payload (UTF-8, no BOM). */
export function formatMessage(h: Header, msg: string): Buffer {
  const pri = h.facility * 8 + h.severity;
  const head = `<${pri}>1 ${h.timestamp} ${headerField(h.hostname, 255)} ${headerField(h.appName, 48)} ${headerField(h.procId, 128)} ${headerField(h.msgId, 32)} -`;
  return Buffer.from(msg === '' ? head : `${head} ${msg}`, 'utf8');
}

/** RFC 6587 octet counting: the message's byte length, a space, the message. */
export function octetCounted(message: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${message.length} `, 'ascii'), message]);
}
