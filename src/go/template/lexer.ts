// A port of Go's text/template/parse lexer (Go 1.19), run eagerly into an array of tokens.
// An error token ends the stream; the parser reports it when it reaches it, as Go does.
import { goQuote } from './quote.ts';
import { KEYWORDS, KEYWORD_TYPES, T } from './tokens.ts';
import type { Token, TokenType } from './tokens.ts';

export { T };
export type { Token, TokenType };

const LEFT = '{{';
const RIGHT = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';
const SPACE_CHARS = ' \t\r\n';

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlphaNumeric = (c: string): boolean => c === '_' || /^[\p{L}\p{Nd}]$/u.test(c);
const hasLeftTrimMarker = (s: string, at: number): boolean => s[at] === '-' && isSpace(s[at + 1] ?? '');
const hasRightTrimMarker = (s: string, at: number): boolean => isSpace(s[at] ?? '') && s[at + 1] === '-';

type State = ((l: Lexer) => State) | null;

class Lexer {
  pos = 0;
  start = 0;
  line = 1;
  startLine = 1;
  parenDepth = 0;
  readonly tokens: Token[] = [];
  constructor(readonly input: string) {}

  next(): string {
    if (this.pos >= this.input.length) {
      this.pos++; // so backup() undoes it symmetrically
      return '';
    }
    const c = this.input[this.pos] as string;
    this.pos++;
    if (c === '\n') this.line++;
    return c;
  }
  backup(): void {
    this.pos--;
    if (this.pos < this.input.length && this.input[this.pos] === '\n') this.line--;
  }
  peek(): string {
    return this.input[this.pos] ?? '';
  }
  emit(type: TokenType): void {
    this.tokens.push({
      type,
      pos: this.start,
      val: this.input.slice(this.start, this.pos),
      line: this.startLine,
    });
    this.start = this.pos;
    this.startLine = this.line;
  }
  ignore(): void {
    this.line += countNewlines(this.input.slice(this.start, this.pos));
    this.start = this.pos;
    this.startLine = this.line;
  }
  accept(valid: string): boolean {
    const c = this.next();
    if (c !== '' && valid.includes(c)) return true;
    this.backup();
    return false;
  }
  acceptRun(valid: string): void {
    for (;;) {
      const c = this.next();
      if (c === '' || !valid.includes(c)) break;
    }
    this.backup();
  }
  errorf(message: string): State {
    this.tokens.push({ type: T.error, pos: this.start, val: message, line: this.startLine });
    return null;
  }
  atRightDelim(): { delim: boolean; trim: boolean } {
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith(RIGHT, this.pos + 2)) {
      return { delim: true, trim: true };
    }
    return { delim: this.input.startsWith(RIGHT, this.pos), trim: false };
  }
  atTerminator(): boolean {
    const c = this.peek();
    return isSpace(c) || c === '' || '.,|:)('.includes(c) || this.input.startsWith(RIGHT, this.pos);
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function trimRightLength(s: string): number {
  let i = s.length;
  while (i > 0 && SPACE_CHARS.includes(s[i - 1] as string)) i--;
  return s.length - i;
}

function trimLeftLength(s: string, from: number): number {
  let i = from;
  while (i < s.length && SPACE_CHARS.includes(s[i] as string)) i++;
  return i - from;
}

function lexText(l: Lexer): State {
  const x = l.input.indexOf(LEFT, l.pos);
  if (x >= 0) {
    l.pos = x;
    let trim = 0;
    if (hasLeftTrimMarker(l.input, l.pos + LEFT.length))
      trim = trimRightLength(l.input.slice(l.start, l.pos));
    l.pos -= trim;
    if (l.pos > l.start) {
      l.line += countNewlines(l.input.slice(l.start, l.pos));
      l.emit(T.text);
    }
    l.pos += trim;
    l.ignore();
    return lexLeftDelim;
  }
  l.pos = l.input.length;
  if (l.pos > l.start) {
    l.line += countNewlines(l.input.slice(l.start, l.pos));
    l.emit(T.text);
  }
  l.emit(T.eof);
  return null;
}

function lexLeftDelim(l: Lexer): State {
  l.pos += LEFT.length;
  const afterMarker = hasLeftTrimMarker(l.input, l.pos) ? 2 : 0;
  if (l.input.startsWith(LEFT_COMMENT, l.pos + afterMarker)) {
    l.pos += afterMarker;
    l.ignore();
    return lexComment;
  }
  l.emit(T.leftDelim);
  l.pos += afterMarker;
  l.ignore();
  l.parenDepth = 0;
  return lexInsideAction;
}

function lexComment(l: Lexer): State {
  l.pos += LEFT_COMMENT.length;
  const x = l.input.indexOf(RIGHT_COMMENT, l.pos);
  if (x < 0) return l.errorf('unclosed comment');
  l.pos = x + RIGHT_COMMENT.length;
  const { delim, trim } = l.atRightDelim();
  if (!delim) return l.errorf('comment ends before closing delimiter');
  l.emit(T.comment);
  if (trim) l.pos += 2;
  l.pos += RIGHT.length;
  if (trim) l.pos += trimLeftLength(l.input, l.pos);
  l.ignore();
  return lexText;
}

function lexRightDelim(l: Lexer): State {
  const trim = hasRightTrimMarker(l.input, l.pos);
  if (trim) {
    l.pos += 2;
    l.ignore();
  }
  l.pos += RIGHT.length;
  l.emit(T.rightDelim);
  if (trim) {
    l.pos += trimLeftLength(l.input, l.pos);
    l.ignore();
  }
  return lexText;
}

function lexInsideAction(l: Lexer): State {
  if (l.atRightDelim().delim) {
    if (l.parenDepth === 0) return lexRightDelim;
    return l.errorf('unclosed left paren');
  }
  const c = l.next();
  if (c === '') return l.errorf('unclosed action');
  if (isSpace(c)) {
    l.backup();
    return lexSpace;
  }
  switch (c) {
    case '=':
      l.emit(T.assign);
      return lexInsideAction;
    case ':':
      if (l.next() !== '=') return l.errorf('expected :=');
      l.emit(T.declare);
      return lexInsideAction;
    case '|':
      l.emit(T.pipe);
      return lexInsideAction;
    case '"':
      return lexQuote;
    case '`':
      return lexRawQuote;
    case '$':
      return lexVariable;
    case "'":
      return lexChar;
    case '(':
      l.emit(T.leftParen);
      l.parenDepth++;
      return lexInsideAction;
    case ')':
      l.emit(T.rightParen);
      l.parenDepth--;
      if (l.parenDepth < 0) return l.errorf(`unexpected right paren ${goRuneName(c)}`);
      return lexInsideAction;
  }
  if (c === '.') {
    const n = l.peek();
    if (l.pos < l.input.length && (n < '0' || n > '9')) return lexField;
  }
  if (c === '.' || c === '+' || c === '-' || (c >= '0' && c <= '9')) {
    l.backup();
    return lexNumber;
  }
  if (isAlphaNumeric(c)) {
    l.backup();
    return lexIdentifier;
  }
  const code = c.charCodeAt(0);
  if (code < 0x7f && code >= 0x20) {
    l.emit(T.char);
    return lexInsideAction;
  }
  return l.errorf(`unrecognized character in action: ${goRuneName(c)}`);
}

/** Go's %#U of a rune: U+0041 'A'. */
export function goRuneName(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  const printable = cp >= 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp < 0xa0);
  return printable ? `U+${hex} '${c}'` : `U+${hex}`;
}

function lexSpace(l: Lexer): State {
  let numSpaces = 0;
  while (isSpace(l.peek())) {
    l.next();
    numSpaces++;
  }
  if (hasRightTrimMarker(l.input, l.pos - 1) && l.input.startsWith(RIGHT, l.pos - 1 + 2)) {
    l.backup();
    if (numSpaces === 1) return lexRightDelim;
  }
  l.emit(T.space);
  return lexInsideAction;
}

function lexIdentifier(l: Lexer): State {
  for (;;) {
    const c = l.next();
    if (c !== '' && isAlphaNumeric(c)) continue;
    l.backup();
    const word = l.input.slice(l.start, l.pos);
    if (!l.atTerminator()) return l.errorf(`bad character ${goRuneName(c)}`);
    const kw = KEYWORDS.get(word);
    if (kw !== undefined && KEYWORD_TYPES.has(kw) && word !== '.') l.emit(kw);
    else if (word === 'true' || word === 'false') l.emit(T.bool);
    else l.emit(T.identifier);
    return lexInsideAction;
  }
}

function lexField(l: Lexer): State {
  return lexFieldOrVariable(l, T.field);
}

function lexVariable(l: Lexer): State {
  if (l.atTerminator()) {
    l.emit(T.variable);
    return lexInsideAction;
  }
  return lexFieldOrVariable(l, T.variable);
}

function lexFieldOrVariable(l: Lexer, type: TokenType): State {
  if (l.atTerminator()) {
    l.emit(type === T.variable ? T.variable : T.dot);
    return lexInsideAction;
  }
  let c: string;
  for (;;) {
    c = l.next();
    if (c === '' || !isAlphaNumeric(c)) {
      l.backup();
      break;
    }
  }
  if (!l.atTerminator()) return l.errorf(`bad character ${goRuneName(c)}`);
  l.emit(type);
  return lexInsideAction;
}

function lexQuoted(l: Lexer, quote: string, type: TokenType, what: string): State {
  for (;;) {
    let c = l.next();
    if (c === '\\') {
      c = l.next();
      if (c !== '' && c !== '\n') continue;
    }
    if (c === '' || c === '\n') return l.errorf(`unterminated ${what}`);
    if (c === quote) break;
  }
  l.emit(type);
  return lexInsideAction;
}

function lexChar(l: Lexer): State {
  return lexQuoted(l, "'", T.charConstant, 'character constant');
}

function lexQuote(l: Lexer): State {
  return lexQuoted(l, '"', T.string, 'quoted string');
}

function lexRawQuote(l: Lexer): State {
  for (;;) {
    const c = l.next();
    if (c === '') return l.errorf('unterminated raw quoted string');
    if (c === '`') break;
  }
  l.emit(T.rawString);
  return lexInsideAction;
}

function lexNumber(l: Lexer): State {
  if (!scanNumber(l)) return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
  const sign = l.peek();
  if (sign === '+' || sign === '-') {
    if (!scanNumber(l) || l.input[l.pos - 1] !== 'i') {
      return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
    }
    l.emit(T.complex);
  } else {
    l.emit(T.number);
  }
  return lexInsideAction;
}

function scanNumber(l: Lexer): boolean {
  l.accept('+-');
  let digits = '0123456789_';
  if (l.accept('0')) {
    if (l.accept('xX')) digits = '0123456789abcdefABCDEF_';
    else if (l.accept('oO')) digits = '01234567_';
    else if (l.accept('bB')) digits = '01_';
  }
  l.acceptRun(digits);
  if (l.accept('.')) l.acceptRun(digits);
  if (digits.length === 11 && l.accept('eE')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  if (digits.length === 23 && l.accept('pP')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  l.accept('i');
  if (isAlphaNumeric(l.peek())) {
    l.next();
    return false;
  }
  return true;
}

/** Lexes the whole template. The last token is EOF or an error. */
export function lex(input: string): Token[] {
  const l = new Lexer(input);
  let state: State = lexText;
  while (state !== null) state = state(l);
  return l.tokens;
}
