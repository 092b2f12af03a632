// The row the exporter writes for an event: its JSON with null values dropped and keys made valid
// BigQuery column names (a non-letter first character gets a leading `_`, every character other
// than a letter or digit becomes `_`), recursively through objects (not arrays), as its
// bigQueryDropNils and bigQuerySanitizeKeys do. A table the exporter filled keeps working.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The exporter's bigQuerySanitizeKey (Go's unicode.IsLetter / IsDigit). */
export function sanitizeKey(key: string): string {
  const letter = /\p{L}/u;
  const letterOrDigit = /[\p{L}\p{Nd}]/u;
  // Go tests rune(key[0]): the first byte of the UTF-8 key read as a code point.
  const first = String.fromCharCode(Buffer.from(key, 'utf8')[0] ?? 0);
  let out = letter.test(first) ? '' : '_';
  for (const ch of key) out += letterOrDigit.test(ch) ? ch : '_';
  return out;
}

function shape(value: { [key: string]: Json }): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null) continue;
    out[sanitizeKey(key)] = isObject(v) ? shape(v) : v;
  }
  return out;
}

/** The row for a rendered body, or undefined when the body is not a JSON object. */
export function bigqueryRow(body: string): { [key: string]: Json } | undefined {
  const parsed = JSON.parse(body) as Json;
  return isObject(parsed) ? shape(parsed) : undefined;
}
