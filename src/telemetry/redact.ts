// Secret scrubbing for everything that leaves the process as text: log lines, error messages,
// metric labels. Keys that name secrets lose their values; URLs keep their scheme, host and
// path but lose credentials (userinfo, token-like query parameters, tokens that services such
// as Slack put in the path).

export const REDACTED = '[Redacted]';

// Compared after lower-casing and removing everything but letters and digits, so `api_key`,
// `apiKey`, `X-Api-Key` and `API-KEY` all match.
const SECRET_KEYS: ReadonlySet<string> = new Set([
  'token',
  'apikey',
  'xapikey',
  'apitoken',
  'password',
  'passwd',
  'pwd',
  'secret',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'privatekey',
  'accesskey',
  'secretkey',
  'credentials',
  'routingkey',
  'integrationkey',
  'signature',
  'sig',
  'auth',
  'xamzsignature',
  'xamzcredential',
  'xamzsecuritytoken',
]);
const SECRET_SUFFIXES = [
  'token',
  'password',
  'secret',
  'apikey',
  'secretkey',
  'accesskey',
  'privatekey',
] as const;

// Query parameters that carry credentials in the wild even though their names are generic.
// `sign`: DingTalk's request signature, good for an hour.
const SECRET_QUERY_KEYS: ReadonlySet<string> = new Set(['key', 'code', 'sign']);

/** Services whose webhook URLs hold the secret in the path: keep the prefix, hide the rest. */
const SECRET_PATHS: readonly { readonly host: RegExp; readonly keep: RegExp }[] = [
  { host: /(^|\.)hooks\.slack\.com$/i, keep: /^\/services\//i },
  { host: /(^|\.)(discord|discordapp)\.com$/i, keep: /^\/api\/webhooks\//i },
  { host: /(^|\.)webhook\.office\.com$/i, keep: /^\/webhookb2\//i },
  { host: /(^|\.)logic\.azure\.com$/i, keep: /^\/workflows\//i },
];

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** True when a field called `key` holds a secret (`token`, `apiKey`, `Authorization`, `db_password` ...). */
export function isSecretKey(key: string): boolean {
  const norm = normaliseKey(key);
  return SECRET_KEYS.has(norm) || SECRET_SUFFIXES.some((suffix) => norm.endsWith(suffix));
}

function isSecretQueryKey(key: string): boolean {
  return isSecretKey(key) || SECRET_QUERY_KEYS.has(normaliseKey(key));
}

function redactPath(hostname: string, pathname: string): string {
  for (const rule of SECRET_PATHS) {
    const kept = rule.keep.exec(pathname);
    if (rule.host.test(hostname) && kept !== null && pathname.length > kept[0].length) {
      return kept[0] + REDACTED;
    }
  }
  return pathname;
}

function redactQuery(search: string): string {
  if (search.length <= 1) return search;
  const parts = search
    .slice(1)
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      const name = eq < 0 ? part : part.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // A malformed escape: judge the raw name.
      }
      return eq >= 0 && isSecretQueryKey(decoded) ? `${name}=${REDACTED}` : part;
    });
  return `?${parts.join('&')}`;
}

/**
 * The URL with credentials hidden: `https://u:p@host/x?token=t` → `https://[Redacted]@host/x?token=[Redacted]`.
 * Text that does not parse as a URL still loses anything between `//` and `@`.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/\/\/[^/@\s]*@/g, `//${REDACTED}@`);
  }
  if (!parsed.host) return url;
  const userinfo = parsed.username !== '' || parsed.password !== '' ? `${REDACTED}@` : '';
  const path = redactPath(parsed.hostname, parsed.pathname);
  return `${parsed.protocol}//${userinfo}${parsed.host}${path}${redactQuery(parsed.search)}${parsed.hash}`;
}

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
// `Authorization: Bearer xyz` or `token=xyz` inside free text (an error message quoting a request).
const BEARER_IN_TEXT = /\b(Bearer|Basic|GenieKey|Token)\s+[A-Za-z0-9._~+/=-]{8,}/g;

/** Every URL inside free text (an error message, a stack) redacted with `redactUrl`, and bearer credentials hidden. */
export function redactText(text: string): string {
  let out = text;
  if (out.includes('://')) out = out.replace(URL_IN_TEXT, (match) => redactUrl(match));
  if (BEARER_IN_TEXT.test(out)) {
    BEARER_IN_TEXT.lastIndex = 0;
    out = out.replace(BEARER_IN_TEXT, (_match, scheme: string) => `${scheme} ${REDACTED}`);
  }
  return out;
}

const MAX_DEPTH = 12;

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function redactError(err: Error, seen: WeakSet<object>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = { type: err.constructor.name, message: redactText(err.message) };
  if (err.stack !== undefined) out.stack = redactText(err.stack);
  for (const [key, value] of Object.entries(err)) {
    out[key] = redactField(key, value, seen, depth);
  }
  if (err.cause !== undefined) out.cause = redactValue(err.cause, seen, depth + 1);
  return out;
}

function redactField(key: string, item: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (item === undefined || item === null || item === '') return item;
  if (isSecretKey(key)) return REDACTED;
  // Request headers carry credentials under names nobody can list (X-Auth, X-Signature...):
  // none of their values is logged.
  if (key === 'headers' && typeof item === 'object' && isPlainObject(item)) {
    return Object.fromEntries(Object.keys(item).map((name) => [name, REDACTED]));
  }
  return redactValue(item, seen, depth + 1);
}

function redactValue(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH) return '[Truncated]';
  if (seen.has(value)) return '[Circular]';
  if (value instanceof URL) return redactUrl(value.href);
  if (value instanceof Error) {
    seen.add(value);
    return redactError(value, seen, depth);
  }
  if (Array.isArray(value)) {
    seen.add(value);
    const out = value.map((item: unknown) => redactValue(item, seen, depth + 1));
    seen.delete(value);
    return out;
  }
  // Class instances (Dates, Buffers, compiled templates) serialise themselves; only walk data.
  if (!isPlainObject(value)) return value;
  seen.add(value);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = redactField(key, item, seen, depth);
  }
  seen.delete(value);
  return out;
}

/**
 * A copy of `value` fit to log: secret-named fields at any depth replaced with `[Redacted]`,
 * URLs and bearer credentials inside strings redacted, Errors turned into plain objects (type,
 * message, stack, own fields, cause) with the same treatment. The input is not modified.
 */
export function redactDeep<T>(value: T): unknown {
  return redactValue(value, new WeakSet(), 0);
}
