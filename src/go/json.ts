// Go's encoding/json as the exporter's output observes it: map keys sorted, `<` `>` `&` escaped
// as \u003c \u003e \u0026 (unless raw), U+2028/U+2029 always escaped, invalid UTF-16 replaced by
// U+FFFD, floats formatted as strconv does. Used for the default payload, toJson and layouts.
import { timeJson } from './time/time.ts';
import {
  GoDuration,
  GoFloat,
  GoFuncValue,
  GoMap,
  GoNilPointer,
  GoStruct,
  GoTime,
  type GoValue,
} from './template/value.ts';

export class GoJsonError extends Error {
  readonly code = 'E_TEMPLATE_EXEC';
}

// eslint-disable-next-line no-control-regex -- JSON escapes control characters
const NEEDS_ESCAPE_HTML = /[\u0000-\u001f"\\<>&\u2028\u2029\ud800-\udfff]/;
// eslint-disable-next-line no-control-regex -- JSON escapes control characters
const NEEDS_ESCAPE_RAW = /[\u0000-\u001f"\\\u2028\u2029\ud800-\udfff]/;
const HEX = '0123456789abcdef';

function unicodeEscape(code: number): string {
  return '\\u' + HEX[(code >> 12) & 15] + HEX[(code >> 8) & 15] + HEX[(code >> 4) & 15] + HEX[code & 15];
}

function escapeSlow(s: string, escapeHtml: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20) out += unicodeEscape(c);
    else if (escapeHtml && (c === 0x3c || c === 0x3e || c === 0x26)) out += unicodeEscape(c);
    else if (c === 0x2028 || c === 0x2029) out += unicodeEscape(c);
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += s.slice(i, i + 2);
        i++;
      } else out += '\\ufffd';
    } else if (c >= 0xdc00 && c <= 0xdfff) out += '\\ufffd';
    else out += s[i];
  }
  return out + '"';
}

// Where JSON.stringify and Go part ways: Go writes \b and \f as \u0008/\u000c, escapes U+2028/9
// and replaces lone surrogates; those (rare) strings take the slow path.
// eslint-disable-next-line no-control-regex -- the two control characters the encoders differ on
const STRINGIFY_DIFFERS = /[\u0008\u000c\u2028\u2029\ud800-\udfff]/;
const HTML_CHARS = /[<>&]/g;

function htmlEscape(c: string): string {
  return unicodeEscape(c.charCodeAt(0));
}

/** A JSON string literal as Go's encoder writes it. */
export function goJsonString(s: string, escapeHtml = true): string {
  if (!(escapeHtml ? NEEDS_ESCAPE_HTML : NEEDS_ESCAPE_RAW).test(s)) return '"' + s + '"';
  if (STRINGIFY_DIFFERS.test(s)) return escapeSlow(s, escapeHtml);
  // The native encoder is much faster than a loop here (messages with quotes are common).
  const json = JSON.stringify(s);
  return escapeHtml ? json.replace(HTML_CHARS, htmlEscape) : json;
}

/** A float64 as encoding/json writes it ('f' unless tiny or huge, then 'e' with a short exponent). */
export function goJsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new GoJsonError(`json: unsupported value: ${goFloatName(f)}`);
  if (Object.is(f, -0)) return '-0';
  return String(f);
}

function goFloatName(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  return f > 0 ? '+Inf' : '-Inf';
}

/** An int as decimal digits (beyond 2^53 the value was already rounded; keep plain digits). */
export function goJsonInt(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  if (Number.isInteger(n)) return BigInt(n).toString();
  return String(n);
}

function sortedKeys(entries: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(entries).sort();
}

/** encoding/json.Marshal of a template value (compact). Throws GoJsonError like Marshal's error. */
export function goJson(value: GoValue, escapeHtml = true): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return goJsonString(value, escapeHtml);
    case 'number':
      return goJsonInt(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++)
      out += (i === 0 ? '' : ',') + goJson(value[i] as GoValue, escapeHtml);
    return out + ']';
  }
  return goJsonObject(
    value as Exclude<GoValue, readonly GoValue[] | string | number | bigint | boolean | null | undefined>,
    escapeHtml,
  );
}

function goJsonObject(
  value: GoFloat | GoMap | GoStruct | GoTime | GoDuration | GoNilPointer | GoFuncValue,
  escapeHtml: boolean,
): string {
  if (value instanceof GoNilPointer) return 'null';
  if (value instanceof GoFloat) return goJsonFloat(value.value);
  if (value instanceof GoMap) {
    if (isNilMap(value)) return 'null';
    let out = '{';
    let first = true;
    for (const key of value.sortedKeys()) {
      out +=
        (first ? '' : ',') + goJsonString(key, escapeHtml) + ':' + goJson(value.entries[key], escapeHtml);
      first = false;
    }
    return out + '}';
  }
  if (value instanceof GoStruct) return value.type.toJson(value.source, escapeHtml);
  if (value instanceof GoTime) {
    const text = timeJson(value);
    return text === null ? 'null' : '"' + text + '"';
  }
  if (value instanceof GoDuration) return BigInt.asIntN(64, value.nanos).toString();
  throw new GoJsonError('json: unsupported type: func(...)');
}

/** A map whose Go value is a nil map: prints `map[]` but encodes as null. */
export interface NilMarker {
  readonly isNil: boolean;
}

function isNilMap(m: GoMap): boolean {
  return (m as GoMap & Partial<NilMarker>).isNil === true;
}

/** json.MarshalIndent(v, prefix, indent) layout applied to compact JSON (as json.Indent does). */
export function indentJson(compact: string, prefix: string, indent: string): string {
  let out = '';
  let depth = 0;
  let inString = false;
  let needIndent = false;
  for (let i = 0; i < compact.length; i++) {
    const c = compact[i] as string;
    if (inString) {
      out += c;
      if (c === '\\') out += compact[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (needIndent && c !== ']' && c !== '}') {
      needIndent = false;
      depth++;
      out += '\n' + prefix + indent.repeat(depth);
    }
    if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '{' || c === '[') {
      out += c;
      needIndent = true;
    } else if (c === ',') out += ',\n' + prefix + indent.repeat(depth);
    else if (c === ':') out += ': ';
    else if (c === '}' || c === ']') {
      if (needIndent) needIndent = false;
      else {
        depth--;
        out += '\n' + prefix + indent.repeat(depth);
      }
      out += c;
    } else out += c;
  }
  return out;
}

/**
 * encoding/json of a JSON-ready JS value (a rendered layout): object keys sorted, HTML escaped,
 * as the exporter's json.Marshal(map[string]interface{}) writes a layout.
 */
export function goJsonStringify(value: unknown, escapeHtml = true): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return goJsonString(value, escapeHtml);
    case 'number':
      return Number.isInteger(value) ? goJsonInt(value) : goJsonFloat(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return 'null';
  }
  if (Array.isArray(value))
    return '[' + value.map((v: unknown) => goJsonStringify(v, escapeHtml)).join(',') + ']';
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of sortedKeys(obj)) {
    if (obj[key] === undefined) continue;
    parts.push(goJsonString(key, escapeHtml) + ':' + goJsonStringify(obj[key], escapeHtml));
  }
  return '{' + parts.join(',') + '}';
}
