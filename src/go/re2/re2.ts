// Compiles the regexes kubernetes-event-exporter users write (Go RE2 syntax) into ECMAScript.
// Patterns are compiled with the `u` flag: Go matches code points, so `.` must be one code
// point and `\p{…}` must work. RE2-only syntax is translated, ECMAScript-only syntax
// (lookaround, back-references, \u escapes) is kept, and anything that cannot be translated
// faithfully is a RegexSyntaxError rather than a pattern that silently means something else.
import { TranslateError, caseVariants, formatCodePoint } from './charset.ts';
import { RegexSyntaxError } from './errors.ts';
import { codePointAt, foldError, parseClass, readCharEscape, readUnicodeClass } from './lex.ts';

export { RegexSyntaxError, globToRegex, looksLikeGlob, regexErrorMessage } from './errors.ts';

export interface Re2Translation {
  readonly source: string;
  readonly flags: string;
}

/** Compiles a Go-syntax (or ECMAScript) pattern; throws RegexSyntaxError when it cannot. */
export function compileRe2(pattern: string): RegExp {
  const { source, flags } = translateRe2(pattern);
  try {
    return new RegExp(source, flags);
  } catch (err) {
    throw new RegexSyntaxError(pattern, engineReason(err));
  }
}

/** The ECMAScript source and flags for a pattern, without compiling it. */
export function translateRe2(pattern: string): Re2Translation {
  try {
    return new Translator(pattern).run();
  } catch (err) {
    if (err instanceof TranslateError) throw new RegexSyntaxError(pattern, err.reason);
    throw err;
  }
}

// V8: "Invalid regular expression: /(?<a>x)(?<a>y)/u: Duplicate capture group name".
function engineReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const reason = message.slice(message.lastIndexOf(': ') + 2) || message;
  return reason.charAt(0).toLowerCase() + reason.slice(1);
}

interface Flags {
  readonly i: boolean;
  readonly s: boolean;
  readonly m: boolean;
  /** Go's ungreedy flag: swaps `*` and `*?`. Never an ECMAScript flag. */
  readonly U: boolean;
}

const NO_FLAGS: Flags = { i: false, s: false, m: false, U: false };
const FLAG_GROUP = /^\(\?([imsU]*)(?:-([imsU]*))?([:)])/;
const TURNS_OFF_I = /\(\?[imsU]*-[imsU]*i[imsU]*[:)]/;
const NOT_LINE_TERMINATOR = '[^\\n\\r\\u2028\\u2029]';

function applyFlags(flags: Flags, on: string, off: string): Flags {
  const next = { ...flags };
  for (const f of on) next[f as keyof Flags] = true;
  for (const f of off) next[f as keyof Flags] = false;
  return next;
}

// `(?i)`, `(?is)`, `(?i)(?s)` at the very start become ECMAScript flags. `i` stays a flag only
// when no later group turns it off; otherwise case-insensitive parts are spelled out.
function leadingFlags(src: string): { flags: Flags; global: Flags; end: number } {
  let flags = NO_FLAGS;
  let end = 0;
  for (let m = FLAG_GROUP.exec(src); m !== null && m[3] === ')'; m = FLAG_GROUP.exec(src.slice(end))) {
    if (!validFlagGroup(m)) break;
    flags = applyFlags(flags, m[1] ?? '', m[2] ?? '');
    end += m[0].length;
  }
  const rest = src.slice(end);
  const global = { ...flags, i: flags.i && !TURNS_OFF_I.test(rest), U: false };
  return { flags, global, end };
}

function validFlagGroup(m: RegExpExecArray): boolean {
  return (m[1] !== '' || m[2] !== undefined) && m[2] !== '';
}

class Translator {
  private pos: number;
  private out = '';
  private flags: Flags;
  private readonly global: Flags;
  private readonly stack: Flags[] = [];
  private canRepeat = false;
  private lastRepeat = '';

  constructor(private readonly src: string) {
    const lead = leadingFlags(src);
    this.pos = lead.end;
    this.flags = lead.flags;
    this.global = lead.global;
  }

  run(): Re2Translation {
    while (this.pos < this.src.length) this.step();
    if (this.stack.length > 0) throw new TranslateError('missing closing )');
    const { i, m, s } = this.global;
    return { source: this.out, flags: `${i ? 'i' : ''}${m ? 'm' : ''}${s ? 's' : ''}u` };
  }

  private step(): void {
    const c = this.src[this.pos];
    switch (c) {
      case '(':
        return this.openGroup();
      case ')':
        return this.closeGroup();
      case '[':
        return this.bracket();
      case '\\':
        return this.escape();
      case '.':
        return this.emit(this.dot(), 1, true);
      case '^':
      case '$':
        return this.emit(this.anchor(c), 1, false);
      case '*':
      case '+':
      case '?':
        return this.repeat(c);
      case '{':
        return this.brace();
      case '|':
        return this.emit('|', 1, false);
      default: {
        const { cp, end } = codePointAt(this.src, this.pos);
        this.literal(cp);
        this.pos = end;
      }
    }
  }

  private emit(text: string, length: number, repeatable: boolean): void {
    this.out += text;
    this.pos += length;
    this.canRepeat = repeatable;
    this.lastRepeat = '';
  }

  private literal(cp: number): void {
    const variants = caseVariants(cp);
    let text = formatCodePoint(cp, false);
    if (variants.length > 1 && this.flags.i !== this.global.i) {
      if (!this.flags.i)
        throw new TranslateError('a case-sensitive part after a leading (?i) cannot be translated');
      text = `[${variants.map((v) => formatCodePoint(v, true)).join('')}]`;
    }
    this.out += text;
    this.canRepeat = true;
    this.lastRepeat = '';
  }

  // Written out when the flag differs from the compiled one: `(?s)` mid-pattern, `(?-s)`.
  private dot(): string {
    if (this.flags.s === this.global.s) return '.';
    return this.flags.s ? '[^]' : NOT_LINE_TERMINATOR;
  }

  private anchor(c: '^' | '$'): string {
    if (this.flags.m === this.global.m) return c;
    if (this.flags.m) return c === '^' ? `(?<!${NOT_LINE_TERMINATOR})` : `(?!${NOT_LINE_TERMINATOR})`;
    return c === '^' ? '(?<![^])' : '(?![^])';
  }

  private repeat(op: string): void {
    if (this.lastRepeat !== '') {
      throw new TranslateError(`invalid nested repetition operator: \`${this.lastRepeat}${op}\``);
    }
    if (!this.canRepeat) throw new TranslateError(`missing argument to repetition operator: \`${op}\``);
    let length = op.length;
    const lazy = this.src[this.pos + length] === '?';
    if (lazy) length++;
    this.out += lazy !== this.flags.U ? `${op}?` : op;
    this.pos += length;
    this.canRepeat = false;
    this.lastRepeat = op;
  }

  // Go treats a `{` that does not start a valid repeat as a literal; `u` mode needs it escaped.
  private brace(): void {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
    if (m === null) {
      this.literal(0x7b);
      this.pos++;
      return;
    }
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    if (min > 1000 || (max !== Infinity && (max > 1000 || max < min))) {
      throw new TranslateError(`invalid repeat count: \`${m[0]}\``);
    }
    this.repeat(m[0]);
  }

  private bracket(): void {
    if (!this.flags.i && this.global.i)
      throw new TranslateError('a case-sensitive part after a leading (?i) cannot be translated');
    const parsed = parseClass(this.src, this.pos, this.flags.i && !this.global.i);
    this.out += parsed.text;
    this.pos = parsed.end;
    this.canRepeat = true;
    this.lastRepeat = '';
  }

  private openGroup(): void {
    const rest = this.src.slice(this.pos, this.pos + 40);
    if (!rest.startsWith('(?')) return this.enter('(', 1, this.flags);
    const named = /^\(\?P?<(?![=!])([^>]*)>/.exec(rest);
    if (named !== null) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(named[1] ?? '')) {
        throw new TranslateError(`invalid named capture: \`${named[0]}\``);
      }
      return this.enter(`(?<${named[1]}>`, named[0].length, this.flags);
    }
    const lookaround = /^\(\?(?:[=!:]|<[=!])/.exec(rest);
    if (lookaround !== null) return this.enter(lookaround[0], lookaround[0].length, this.flags);
    const flagGroup = FLAG_GROUP.exec(rest);
    if (flagGroup === null || !validFlagGroup(flagGroup)) {
      const shown = /^\(\?[^):]*[):]?/.exec(rest)?.[0] ?? rest;
      throw new TranslateError(`invalid or unsupported Perl syntax: \`${shown}\``);
    }
    const flags = applyFlags(this.flags, flagGroup[1] ?? '', flagGroup[2] ?? '');
    if (flagGroup[3] === ':') return this.enter('(?:', flagGroup[0].length, flags);
    this.flags = flags; // `(?i)` mid-pattern: to the end of the enclosing group
    this.emit('', flagGroup[0].length, false);
  }

  private enter(text: string, length: number, inner: Flags): void {
    this.stack.push(this.flags);
    this.flags = inner;
    this.emit(text, length, false);
  }

  private closeGroup(): void {
    const outer = this.stack.pop();
    if (outer === undefined) throw new TranslateError('unexpected )');
    this.flags = outer;
    this.emit(')', 1, true);
  }

  private escape(): void {
    const c = this.src[this.pos + 1];
    if (c === undefined) throw new TranslateError('trailing backslash at end of expression');
    if (c === 'A') return this.emit(this.global.m ? '(?<![^])' : '^', 2, false);
    if (c === 'z') return this.emit(this.global.m ? '(?![^])' : '$', 2, false);
    if (c === 'b' || c === 'B') return this.emit(`\\${c}`, 2, false);
    if ('dDsSwW'.includes(c)) return this.emit(`\\${c}`, 2, true);
    if (c === 'Q') return this.quoted();
    if (c === 'p' || c === 'P') {
      const cls = readUnicodeClass(this.src, this.pos + 1);
      if (!cls.caseClosed && this.flags.i !== this.global.i) throw foldError(cls.text);
      return this.emit(cls.text, cls.end - this.pos, true);
    }
    if (c === 'C') throw new TranslateError('\\C (any byte) is not supported');
    const char = readCharEscape(this.src, this.pos + 1);
    if (char !== undefined) {
      this.literal(char.cp);
      this.pos = char.end;
      return;
    }
    this.backReference(c);
  }

  // ECMAScript-only `\1` and `\k<name>`: kept, unless the case flag would have to be spelled out.
  private backReference(c: string): void {
    const ref = /^\\(?:[1-9]\d*|k<[A-Za-z_$][\w$]*>)/.exec(this.src.slice(this.pos));
    if (ref === null) throw new TranslateError(`invalid escape sequence: \`\\${c}\``);
    if (this.flags.i !== this.global.i) throw foldError(ref[0]);
    this.emit(ref[0], ref[0].length, true);
  }

  // `\Q…\E`: everything in between is literal (to the end when `\E` is missing).
  private quoted(): void {
    const start = this.pos + 2;
    const close = this.src.indexOf('\\E', start);
    const end = close < 0 ? this.src.length : close;
    for (let p = start; p < end;) {
      const { cp, end: next } = codePointAt(this.src, p);
      this.literal(cp);
      p = next;
    }
    this.pos = close < 0 ? end : close + 2;
  }
}
