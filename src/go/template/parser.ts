// A port of Go's text/template/parse parser (Go 1.19): same grammar, same checks at parse
// time (undefined variables, unknown functions, misplaced break/continue), same messages.
import type {
  ActionNode,
  ArgNode,
  BranchNode,
  CommandNode,
  EndElseNode,
  ListNode,
  Node,
  PipeNode,
  TemplateNode,
  VariableNode,
} from './ast.ts';
import { argString } from './ast.ts';
import { lex, T } from './lexer.ts';
import type { Token, TokenType } from './lexer.ts';
import { ParseFailure, TokenStream } from './parse-stream.ts';
import { goQuote } from './quote.ts';
import { parseNumber, unquoteChar, unquoteString } from './literals.ts';

export interface ParsedTemplates {
  /** Every template by name: the main one (under its own name), defines and blocks. */
  readonly trees: Map<string, ListNode>;
}

class Parser extends TokenStream {
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  constructor(
    tokens: Token[],
    name: string,
    source: string,
    private readonly hasFunction: (name: string) => boolean,
    readonly trees: Map<string, ListNode>,
  ) {
    super(tokens, name, source);
  }

  // --- templates ---
  parseMain(): ListNode {
    const root: ListNode = { kind: 'list', pos: this.peek().pos, nodes: [] };
    while (this.peek().type !== T.eof) {
      if (this.peek().type === T.leftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().type === T.define) {
          this.parseDefinition();
          continue;
        }
        this.i = this.tokens.indexOf(delim);
      }
      const n = this.textOrAction();
      if (n.kind === 'end' || n.kind === 'else')
        this.errorf(`unexpected ${n.kind === 'end' ? '{{end}}' : '{{else}}'}`);
      root.nodes.push(n);
    }
    return root;
  }

  private withFreshScope<R>(fn: () => R): R {
    const saved = { vars: this.vars, rangeDepth: this.rangeDepth };
    this.vars = ['$'];
    this.rangeDepth = 0;
    try {
      return fn();
    } finally {
      this.vars = saved.vars;
      this.rangeDepth = saved.rangeDepth;
    }
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const nameTok = this.nextNonSpace();
    if (nameTok.type !== T.string && nameTok.type !== T.rawString) this.unexpected(nameTok, context);
    const name = this.unquote(nameTok.val);
    this.expect(T.rightDelim, context);
    this.withFreshScope(() => {
      const { list, end } = this.itemList();
      if (end.kind !== 'end') this.errorf(`unexpected {{${end.kind}}} in ${context}`);
      this.addTree(name, list);
    });
  }

  addTree(name: string, root: ListNode): void {
    const existing = this.trees.get(name);
    if (existing === undefined || isEmptyTree(existing)) {
      this.trees.set(name, root);
      return;
    }
    if (!isEmptyTree(root)) this.errorf(`template: multiple definition of template ${goQuote(name)}`);
  }

  private unquote(quoted: string): string {
    const s = unquoteString(quoted);
    if (s === null) this.errorf('invalid syntax');
    return s;
  }

  private itemList(): { list: ListNode; end: EndElseNode } {
    const list: ListNode = { kind: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().type !== T.eof) {
      const n = this.textOrAction();
      if (n.kind === 'end' || n.kind === 'else') return { list, end: n };
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node {
    const t = this.nextNonSpace();
    switch (t.type) {
      case T.text:
        return { kind: 'text', pos: t.pos, text: t.val };
      case T.leftDelim: {
        this.actionLine = t.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      case T.comment:
        return { kind: 'comment', pos: t.pos };
      default:
        this.unexpected(t, 'input');
    }
  }

  private action(): Node {
    const t = this.nextNonSpace();
    switch (t.type) {
      case T.block:
        return this.blockControl();
      case T.break:
      case T.continue:
        return this.loopControl(t);
      case T.else:
        return this.elseControl();
      case T.end:
        return { kind: 'end', pos: this.expect(T.rightDelim, 'end').pos };
      case T.if:
        return this.branch('if', true);
      case T.range:
        return this.branch('range', false);
      case T.template:
        return this.templateControl();
      case T.with:
        return this.branch('with', false);
    }
    this.backup();
    const start = this.peek();
    const node: ActionNode = {
      kind: 'action',
      pos: start.pos,
      line: start.line,
      pipe: this.pipeline('command', T.rightDelim),
    };
    return node;
  }

  private loopControl(t: Token): Node {
    const word = t.type === T.break ? 'break' : 'continue';
    const next = this.nextNonSpace();
    if (next.type !== T.rightDelim) this.unexpected(next, `{{${word}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${word}}} outside {{range}}`, t);
    return { kind: word, pos: t.pos, line: t.line };
  }

  private elseControl(): Node {
    const peek = this.peekNonSpace();
    if (peek.type === T.if) return { kind: 'else', pos: peek.pos };
    return { kind: 'else', pos: this.expect(T.rightDelim, 'else').pos };
  }

  private branch(kind: 'if' | 'range' | 'with', allowElseIf: boolean): BranchNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(kind, T.rightDelim);
      if (kind === 'range') this.rangeDepth++;
      const first = this.itemList();
      if (kind === 'range') this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (first.end.kind === 'else') {
        if (allowElseIf && this.peek().type === T.if) {
          this.next();
          elseList = { kind: 'list', pos: first.end.pos, nodes: [this.branch('if', true)] };
        } else {
          const second = this.itemList();
          if (second.end.kind !== 'end') this.errorf(`expected end; found {{${second.end.kind}}}`);
          elseList = second.list;
        }
      }
      return { kind, pos: pipe.pos, line: pipe.line, pipe, list: first.list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private templateName(t: Token, context: string): string {
    if (t.type !== T.string && t.type !== T.rawString) this.unexpected(t, context);
    return this.unquote(t.val);
  }

  private blockControl(): TemplateNode {
    const context = 'block clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    const pipe = this.pipeline(context, T.rightDelim);
    this.withFreshScope(() => {
      const { list, end } = this.itemList();
      if (end.kind !== 'end') this.errorf(`unexpected {{${end.kind}}} in ${context}`);
      this.addTree(name, list);
    });
    return { kind: 'template', pos: t.pos, line: t.line, name, pipe };
  }

  private templateControl(): TemplateNode {
    const context = 'template clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().type !== T.rightDelim) {
      this.backup();
      pipe = this.pipeline(context, T.rightDelim);
    }
    return { kind: 'template', pos: t.pos, line: t.line, name, pipe };
  }

  // --- pipelines ---
  private pipeline(context: string, end: TokenType): PipeNode {
    const start = this.peekNonSpace();
    const pipe: PipeNode = {
      kind: 'pipe',
      pos: start.pos,
      line: start.line,
      isAssign: false,
      decl: [],
      cmds: [],
    };
    this.declarations(pipe, context);
    for (;;) {
      const t = this.nextNonSpace();
      if (t.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.type) {
        case T.bool:
        case T.charConstant:
        case T.complex:
        case T.dot:
        case T.field:
        case T.identifier:
        case T.number:
        case T.nil:
        case T.rawString:
        case T.string:
        case T.variable:
        case T.leftParen:
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private declarations(pipe: PipeNode, context: string): void {
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== T.variable) return;
      const vIndex = this.tokens.indexOf(v);
      this.nextNonSpace();
      const after = this.peek();
      const next = this.peekNonSpace();
      if (next.type === T.assign || next.type === T.declare) {
        pipe.isAssign = next.type === T.assign;
        this.nextNonSpace();
        pipe.decl.push({ kind: 'variable', pos: v.pos, ident: [v.val] });
        this.vars.push(v.val);
        return;
      }
      if (next.type === T.char && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push({ kind: 'variable', pos: v.pos, ident: [v.val] });
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const p = this.peekNonSpace().type;
          if (p === T.variable || p === T.rightDelim || p === T.rightParen) continue;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      }
      void after;
      this.i = vIndex;
      return;
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const k = c.args[0]?.kind;
      if (k === 'bool' || k === 'dot' || k === 'nil' || k === 'number' || k === 'string') {
        this.errorf(`non executable command in pipeline stage ${i + 2}`, {
          pos: c.pos,
          line: this.last.line,
        });
      }
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = { kind: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== null) cmd.args.push(operand);
      const t = this.next();
      if (t.type === T.space) continue;
      if (t.type === T.rightDelim || t.type === T.rightParen) this.backup();
      else if (t.type !== T.pipe) this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (node === null) return null;
    if (this.peek().type !== T.field) return node;
    const chainPos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === T.field) fields.push(this.next().val.slice(1));
    switch (node.kind) {
      case 'field':
        return { kind: 'field', pos: chainPos, start: node.start, ident: [...node.ident, ...fields] };
      case 'variable':
        return { kind: 'variable', pos: chainPos, start: node.pos, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.errorf(`unexpected . after term ${goQuote(argString(node))}`);
      // falls through: errorf never returns
      default:
        return { kind: 'chain', pos: chainPos, node, fields };
    }
  }

  private term(): ArgNode | null {
    const t = this.nextNonSpace();
    switch (t.type) {
      case T.identifier:
        if (!this.hasFunction(t.val)) this.errorf(`function ${goQuote(t.val)} not defined`);
        return { kind: 'identifier', pos: t.pos, name: t.val };
      case T.dot:
        return { kind: 'dot', pos: t.pos };
      case T.nil:
        return { kind: 'nil', pos: t.pos };
      case T.variable:
        return this.useVar(t);
      case T.field:
        return { kind: 'field', pos: t.pos, start: t.pos, ident: [t.val.slice(1)] };
      case T.bool:
        return { kind: 'bool', pos: t.pos, value: t.val === 'true' };
      case T.charConstant:
      case T.complex:
      case T.number:
        return this.number(t);
      case T.leftParen:
        return this.pipeline('parenthesized pipeline', T.rightParen);
      case T.string:
      case T.rawString:
        return { kind: 'string', pos: t.pos, quoted: t.val, text: this.unquote(t.val) };
    }
    this.backup();
    return null;
  }

  private number(t: Token): ArgNode {
    if (t.type === T.complex) this.errorf(`complex constants are not supported: ${t.val}`);
    if (t.type === T.charConstant) {
      const r = unquoteChar(t.val);
      if (r === null) this.errorf('invalid syntax');
      if (r === 'malformed') this.errorf(`malformed character constant: ${t.val}`);
      return {
        kind: 'number',
        pos: t.pos,
        text: t.val,
        isInt: true,
        int: r,
        isFloat: true,
        float: r,
        isComplex: false,
      };
    }
    const n = parseNumber(t.val);
    if (typeof n === 'string') this.errorf(n);
    return { kind: 'number', pos: t.pos, text: t.val, ...n, isComplex: false };
  }

  private useVar(t: Token): VariableNode {
    const name = t.val;
    if (!this.vars.includes(name)) this.errorf(`undefined variable ${goQuote(name)}`);
    return { kind: 'variable', pos: t.pos, ident: [name] };
  }
}

export function isEmptyTree(n: Node): boolean {
  switch (n.kind) {
    case 'comment':
      return true;
    case 'list':
      return n.nodes.every(isEmptyTree);
    case 'text':
      return n.text.trim() === '';
    default:
      return false;
  }
}

/** Parses a template and everything it defines. Throws TemplateSyntaxError. */
export function parseTemplate(
  name: string,
  source: string,
  hasFunction: (name: string) => boolean,
): ParsedTemplates {
  const trees = new Map<string, ListNode>();
  const parser = new Parser(lex(source), name, source, hasFunction, trees);
  try {
    const root = parser.parseMain();
    parser.addTree(name, root);
  } catch (e) {
    if (e instanceof ParseFailure) throw e.error;
    throw e;
  }
  return { trees };
}
