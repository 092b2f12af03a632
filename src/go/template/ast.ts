// The parse tree, shaped like Go's text/template/parse nodes. String forms (nodeString)
// match Go's, because execution errors quote them: `executing "t" at <index .A 5>`.
import type { GoInt } from '../int64.ts';

export interface NumberNode {
  readonly kind: 'number';
  readonly pos: number;
  readonly text: string;
  readonly isInt: boolean;
  readonly int: GoInt;
  readonly isFloat: boolean;
  readonly float: number;
  readonly isComplex: boolean;
}
export interface StringNode {
  readonly kind: 'string';
  readonly pos: number;
  readonly quoted: string;
  readonly text: string;
}
export interface FieldNode {
  readonly kind: 'field';
  /** Go's position: the last-but-one field token for chains (what exec errors report). */
  readonly pos: number;
  /** Where the text `.A.B` starts (for our compile-time errors). */
  readonly start: number;
  readonly ident: readonly string[];
}
export interface VariableNode {
  readonly kind: 'variable';
  readonly pos: number;
  /** Where the text `$x.A` starts (for our compile-time errors); absent in declarations. */
  readonly start?: number;
  /** `$x.A.B` is ['$x', 'A', 'B']. */
  readonly ident: readonly string[];
}
export interface ChainNode {
  readonly kind: 'chain';
  readonly pos: number;
  readonly node: ArgNode;
  readonly fields: readonly string[];
}
export interface IdentifierNode {
  readonly kind: 'identifier';
  readonly pos: number;
  readonly name: string;
}
export interface SimpleNode {
  readonly kind: 'dot' | 'nil';
  readonly pos: number;
}
export interface BoolNode {
  readonly kind: 'bool';
  readonly pos: number;
  readonly value: boolean;
}
export interface PipeNode {
  readonly kind: 'pipe';
  readonly pos: number;
  readonly line: number;
  isAssign: boolean;
  readonly decl: VariableNode[];
  readonly cmds: CommandNode[];
}
export interface CommandNode {
  readonly kind: 'command';
  readonly pos: number;
  readonly args: ArgNode[];
}
export type ArgNode =
  | NumberNode
  | StringNode
  | FieldNode
  | VariableNode
  | ChainNode
  | IdentifierNode
  | SimpleNode
  | BoolNode
  | PipeNode;

export interface ListNode {
  readonly kind: 'list';
  readonly pos: number;
  readonly nodes: Node[];
}
export interface TextNode {
  readonly kind: 'text';
  readonly pos: number;
  readonly text: string;
}
export interface CommentNode {
  readonly kind: 'comment';
  readonly pos: number;
}
export interface ActionNode {
  readonly kind: 'action';
  readonly pos: number;
  readonly line: number;
  readonly pipe: PipeNode;
}
export interface BranchNode {
  readonly kind: 'if' | 'range' | 'with';
  readonly pos: number;
  readonly line: number;
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList: ListNode | null;
}
export interface TemplateNode {
  readonly kind: 'template';
  readonly pos: number;
  readonly line: number;
  readonly name: string;
  readonly pipe: PipeNode | null;
}
export interface LoopControlNode {
  readonly kind: 'break' | 'continue';
  readonly pos: number;
  readonly line: number;
}
/** Parser-internal markers for {{end}} and {{else}}. */
export interface EndElseNode {
  readonly kind: 'end' | 'else';
  readonly pos: number;
}
export type Node =
  ListNode | TextNode | CommentNode | ActionNode | BranchNode | TemplateNode | LoopControlNode | EndElseNode;

export function argString(n: ArgNode): string {
  switch (n.kind) {
    case 'number':
      return n.text;
    case 'string':
      return n.quoted;
    case 'field':
      return '.' + n.ident.join('.');
    case 'variable':
      return n.ident.join('.');
    case 'chain': {
      const inner = n.node.kind === 'pipe' ? `(${pipeString(n.node)})` : argString(n.node);
      return inner + n.fields.map((f) => '.' + f).join('');
    }
    case 'identifier':
      return n.name;
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return n.value ? 'true' : 'false';
    case 'pipe':
      return pipeString(n);
  }
}

export function commandString(c: CommandNode): string {
  return c.args.map((a) => (a.kind === 'pipe' ? `(${pipeString(a)})` : argString(a))).join(' ');
}

export function pipeString(p: PipeNode): string {
  const decl = p.decl.length > 0 ? p.decl.map((v) => v.ident.join('.')).join(', ') + ' := ' : '';
  return decl + p.cmds.map(commandString).join(' | ');
}
