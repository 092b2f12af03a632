// Token kinds of the Go template lexer (text/template/parse itemType) and their printed forms.
import { goQuote } from './quote.ts';

export const T = {
  error: 'error',
  bool: 'bool',
  char: 'char',
  charConstant: 'charConstant',
  comment: 'comment',
  complex: 'complex',
  assign: 'assign',
  declare: 'declare',
  eof: 'eof',
  field: 'field',
  identifier: 'identifier',
  leftDelim: 'leftDelim',
  leftParen: 'leftParen',
  number: 'number',
  pipe: 'pipe',
  rawString: 'rawString',
  rightDelim: 'rightDelim',
  rightParen: 'rightParen',
  space: 'space',
  string: 'string',
  text: 'text',
  variable: 'variable',
  // Keywords (printed as <word> in errors).
  block: 'block',
  break: 'break',
  continue: 'continue',
  dot: 'dot',
  define: 'define',
  else: 'else',
  end: 'end',
  if: 'if',
  nil: 'nil',
  range: 'range',
  template: 'template',
  with: 'with',
} as const;
export type TokenType = (typeof T)[keyof typeof T];

export const KEYWORDS: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  ['.', T.dot],
  ['block', T.block],
  ['break', T.break],
  ['continue', T.continue],
  ['define', T.define],
  ['else', T.else],
  ['end', T.end],
  ['if', T.if],
  ['range', T.range],
  ['nil', T.nil],
  ['template', T.template],
  ['with', T.with],
]);
export const KEYWORD_TYPES: ReadonlySet<TokenType> = new Set([...KEYWORDS.values()]);

export interface Token {
  readonly type: TokenType;
  /** UTF-16 offset of the token in the template text. */
  readonly pos: number;
  readonly val: string;
  readonly line: number;
}

/** How Go's parser prints a token in errors (item.String()). */
export function tokenString(t: Token): string {
  if (t.type === T.eof) return 'EOF';
  if (t.type === T.error) return t.val;
  if (KEYWORD_TYPES.has(t.type)) return `<${t.val}>`;
  if ([...t.val].length > 10) return goQuote([...t.val].slice(0, 10).join('')) + '...';
  return goQuote(t.val);
}
