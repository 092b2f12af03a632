// Keeping secrets (tokens in URLs, header values, signatures) out of every message a receiver
// produces: errors, logs, dead letters.

const EXCERPT_CHARS = 200;

/** Hides every known secret (header values, URL credentials) inside text that may reach a log. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    // Short values (`1`, `true`) are not secrets worth hiding and would mangle the text.
    if (secret.length >= 4) out = out.split(secret).join('[Redacted]');
  }
  return out;
}

/** Secrets an endpoint URL carries: its userinfo and query values. */
export function urlSecrets(url: string): string[] {
  try {
    const parsed = new URL(url);
    const out = [parsed.username, parsed.password, decodeURIComponent(parsed.password)];
    for (const value of parsed.searchParams.values()) out.push(value);
    return out.filter((s) => s !== '');
  } catch {
    return [];
  }
}

/** Secrets as given and as they travel in a query string (a base64 signature's `+/=` are escaped). */
export function withEncoded(secrets: readonly string[]): string[] {
  const out = new Set<string>();
  for (const secret of secrets) {
    out.add(secret);
    out.add(encodeURIComponent(secret));
    out.add(new URLSearchParams({ v: secret }).toString().slice(2));
  }
  return [...out];
}

/** A short one-line excerpt of an answer body, with every secret hidden (before the cut, so no half secret shows). */
export function excerpt(text: string, secrets: readonly string[]): string {
  const flat = redactSecrets(text, secrets).replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}
