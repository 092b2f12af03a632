// Token access and error reporting for the parser (Go's Tree.next/peek/backup/errorf).
import { TemplateSyntaxError, lineColumnAt } from './errors.ts';
import { T, tokenString } from './tokens.ts';
import type { Token, TokenType } from './tokens.ts';

/** Thrown inside the parser; parseTemplate unwraps it into the TemplateSyntaxError. */
export class ParseFailure {
  constructor(readonly error: TemplateSyntaxError) {}
}

export class TokenStream {
  protected i = 0;
  protected last: Token;
  protected actionLine = 0;
  constructor(
    protected readonly tokens: Token[],
    protected readonly name: string,
    protected readonly source: string,
  ) {
    this.last = tokens[0] as Token;
  }

  // --- token access ---
  next(): Token {
    const t = this.tokens[this.i] ?? (this.tokens[this.tokens.length - 1] as Token);
    if (this.i < this.tokens.length) this.i++;
    this.last = t;
    return t;
  }
  backup(n = 1): void {
    this.i -= n;
  }
  peek(): Token {
    const t = this.tokens[this.i] ?? (this.tokens[this.tokens.length - 1] as Token);
    this.last = t;
    return t;
  }
  nextNonSpace(): Token {
    let t: Token;
    do t = this.next();
    while (t.type === T.space);
    return t;
  }
  peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  // --- errors ---
  errorf(detail: string, at: Pick<Token, 'pos' | 'line'> = this.last): never {
    const { line, column } = lineColumnAt(this.source, at.pos);
    throw new ParseFailure(
      new TemplateSyntaxError(
        `template: ${this.name}:${at.line}: ${detail}`,
        detail,
        line,
        column,
        this.source,
      ),
    );
  }
  expect(type: TokenType, context: string): Token {
    const t = this.nextNonSpace();
    if (t.type !== type) this.unexpected(t, context);
    return t;
  }
  unexpected(t: Token, context: string): never {
    if (t.type === T.error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at ${this.name}:${this.actionLine}`;
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${t.val}${extra}`, t);
    }
    this.errorf(`unexpected ${tokenString(t)} in ${context}`, t);
  }
}
