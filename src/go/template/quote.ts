// Go's strconv.Quote and unicode.IsPrint, as far as JS strings can show them.

/** unicode.IsPrint, approximated: letters, marks, numbers, punctuation, symbols and U+0020. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

export function isGoPrint(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x7f) return cp >= 0x20;
  return PRINTABLE.test(ch);
}

const ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
};

function hex(cp: number, width: number): string {
  return cp.toString(16).padStart(width, '0');
}

/** strconv.Quote (asciiOnly false) or strconv.QuoteToASCII (asciiOnly true, for %+q). */
export function goQuote(s: string, quote = '"', asciiOnly = false): string {
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === quote) out += '\\' + ch;
    else if (ESCAPES[ch] !== undefined) out += ESCAPES[ch];
    else if (cp < 0x80 ? cp >= 0x20 && cp !== 0x7f : !asciiOnly && isGoPrint(ch)) out += ch;
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + hex(cp, 2);
    else if (cp >= 0xd800 && cp < 0xe000) out += '\\ufffd';
    else if (cp < 0x10000) out += '\\u' + hex(cp, 4);
    else out += '\\U' + hex(cp, 8);
  }
  return out + quote;
}
