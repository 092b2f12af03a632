// Cutting a message to a service's documented limit (characters or UTF-8 bytes), with a marker.

export const TRUNCATION_MARKER = '…';

/** `text` cut to at most `maxChars` UTF-16 code units (API limits count characters), marker included. */
export function truncateChars(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let cut = Math.max(0, maxChars - TRUNCATION_MARKER.length);
  // Never split a surrogate pair.
  const code = text.charCodeAt(cut - 1);
  if (cut > 0 && code >= 0xd800 && code <= 0xdbff) cut--;
  return text.slice(0, cut) + TRUNCATION_MARKER;
}

/** `text` cut to at most `maxBytes` UTF-8 bytes, marker included, never inside a character. */
export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const budget = maxBytes - Buffer.byteLength(TRUNCATION_MARKER, 'utf8');
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > budget) break;
    bytes += size;
    end += ch.length;
  }
  return text.slice(0, end) + TRUNCATION_MARKER;
}
