// sprig's JSON, base64 and hash functions. JSON output is Go's encoding/json (HTML-escaped
// except toRawJson); base64 decoding reports Go's CorruptInputError offsets.
import { createHash } from 'node:crypto';
import { GoJsonError, goJson, indentJson } from '../json.ts';
import { fn, strings } from './support.ts';
import { GoFloat, GoMap, type GoValue, type TemplateFunction } from '../template/value.ts';

function marshal(v: GoValue, escapeHtml: boolean): string | undefined {
  try {
    return goJson(v, escapeHtml);
  } catch (err) {
    if (err instanceof GoJsonError) return undefined;
    throw err;
  }
}

/** A decoded JSON value as Go's json.Unmarshal into interface{} gives it (numbers are float64). */
export function fromJsonValue(v: unknown): GoValue {
  if (v === null) return null;
  if (typeof v === 'number') return new GoFloat(v);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(fromJsonValue);
  const entries: Record<string, GoValue> = Object.create(null) as Record<string, GoValue>;
  for (const [key, value] of Object.entries(v as Record<string, unknown>))
    entries[key] = fromJsonValue(value);
  return new GoMap(entries);
}

function mustFromJson(text: string): GoValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(goJsonSyntaxMessage(text, err), { cause: err });
  }
  return fromJsonValue(parsed);
}

function goJsonSyntaxMessage(text: string, err: unknown): string {
  if (text.trim() === '') return 'unexpected end of JSON input';
  const message = err instanceof Error ? err.message : String(err);
  return message.includes('end of JSON')
    ? 'unexpected end of JSON input'
    : `invalid character in JSON: ${message}`;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_MAP = new Map([...B64].map((c, i) => [c.charCodeAt(0), i]));

function isNewline(b: number | undefined): boolean {
  return b === 0x0a || b === 0x0d;
}

/** The offset Go's base64.StdEncoding.DecodeString reports, or undefined when the input is valid. */
function base64ErrorOffset(src: Uint8Array): number | undefined {
  let si = 0;
  while (si < src.length) {
    let j = 0;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return undefined;
        return si - j;
      }
      const b = src[si++] as number;
      if (B64_MAP.has(b)) continue;
      if (isNewline(b)) {
        j--;
        continue;
      }
      if (b !== 0x3d || j < 2) return si - 1;
      if (j === 2) {
        while (si < src.length && isNewline(src[si])) si++;
        if (si === src.length) return src.length;
        if (src[si] !== 0x3d) return si - 1;
        si++;
      }
      while (si < src.length && isNewline(src[si])) si++;
      return si < src.length ? si : undefined;
    }
  }
  return undefined;
}

function b64dec(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  const offset = base64ErrorOffset(bytes);
  if (offset !== undefined) return `illegal base64 data at input byte ${offset}`;
  return Buffer.from(text.replace(/[\r\n]/g, ''), 'base64').toString('utf8');
}

function adler32(text: string): number {
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(text, 'utf8')) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const hash = (algorithm: string): TemplateFunction =>
  strings(1, (s) => createHash(algorithm).update(s, 'utf8').digest('hex'));

export const ENCODING_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  toJson: fn(1, (v) => marshal(v, true) ?? ''),
  mustToJson: fn(1, (v) => goJson(v, true)),
  toPrettyJson: fn(1, (v) => {
    const compact = marshal(v, true);
    return compact === undefined ? '' : indentJson(compact, '', '  ');
  }),
  mustToPrettyJson: fn(1, (v) => indentJson(goJson(v, true), '', '  ')),
  toRawJson: fn(1, (v) => goJson(v, false)),
  mustToRawJson: fn(1, (v) => goJson(v, false)),
  fromJson: strings(1, (text) => {
    try {
      return mustFromJson(text) ?? undefined;
    } catch {
      return undefined;
    }
  }),
  mustFromJson: strings(1, (text) => mustFromJson(text) ?? undefined),
  b64enc: strings(1, (v) => Buffer.from(v, 'utf8').toString('base64')),
  b64dec: strings(1, b64dec),
  sha256sum: hash('sha256'),
  sha1sum: hash('sha1'),
  adler32sum: strings(1, (v) => String(adler32(v))),
};
