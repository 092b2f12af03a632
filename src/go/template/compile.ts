// The Go text/template engine's entry point: parse once, compile every node to a closure,
// execute many times. Statements return their output; lists concatenate it.
import type { ActionNode, ArgNode, BranchNode, ListNode, Node, TemplateNode } from './ast.ts';
import { pipeString } from './ast.ts';
import { GoFuncValue, GoMap } from './value.ts';
import type { FunctionTable, GoValue, StructType, TemplateFunction } from './value.ts';
import { parseTemplate } from './parser.ts';
import { BUILTINS } from './builtins.ts';
import { isTrue } from './truth.ts';
import { formatValue, goTypeName } from './print.ts';
import { goQuote } from './quote.ts';
import { compilePipeline, lastEvaluated } from './compile-expr.ts';
import type { CompileCtx, Eval, Exec, Site } from './exec-context.ts';
import { LoopControl, thrower, withDot } from './exec-context.ts';

export interface CompileOptions {
  /** The template's name in error messages (Go's template name); default "template". */
  readonly name?: string;
  /** Functions merged over Go's builtins (a same-named entry replaces the builtin, as in Go). */
  readonly functions: FunctionTable;
  /** The static type of the root dot: field chains resolve (and are checked) at compile time. */
  readonly dotType?: StructType;
}

export interface GoProgram {
  readonly name: string;
  readonly source: string;
  /** Renders for one dot. Throws TemplateExecError. */
  execute(dot: GoValue): string;
  /** Present when the template is exactly one action with no text around it: its value. */
  readonly singleAction?: (dot: GoValue) => GoValue;
}

/** Go's maxExecDepth is 100000; JS stacks are shallower. */
const MAX_DEPTH = 1000;
const EMPTY_VARS: GoValue[] = [];

interface TemplateRef {
  exec: Exec | undefined;
  slotCount: number;
}

interface Program {
  readonly refs: Map<string, TemplateRef>;
  readonly funcs: FunctionTable;
  readonly parseName: string;
  readonly source: string;
  depth: number;
}

export function mergeFunctions(functions: FunctionTable): FunctionTable {
  if (functions.size === 0) return BUILTINS;
  const merged = new Map<string, TemplateFunction>(BUILTINS);
  for (const [k, v] of functions) merged.set(k, v);
  return merged;
}

export function compileGoTemplate(source: string, options: CompileOptions): GoProgram {
  const name = options.name ?? 'template';
  const funcs = mergeFunctions(options.functions);
  const { trees } = parseTemplate(name, source, (n) => funcs.has(n));
  const prog: Program = { refs: new Map(), funcs, parseName: name, source, depth: 0 };
  for (const tname of trees.keys()) prog.refs.set(tname, { exec: undefined, slotCount: 1 });
  for (const [tname, root] of trees) {
    const dotType = tname === name ? options.dotType : undefined;
    const ref = prog.refs.get(tname) as TemplateRef;
    const cc = newCtx(prog, tname, dotType);
    ref.exec = compileList(root, cc, prog);
    ref.slotCount = cc.slots.count;
  }
  const main = prog.refs.get(name) as TemplateRef;
  const mainExec = main.exec as Exec;
  const usesVars = main.slotCount > 1 || usesDollar(trees.get(name) as ListNode);
  const execute = (dot: GoValue): string => {
    const d = dot === null ? undefined : dot;
    if (!usesVars) return mainExec(d, EMPTY_VARS);
    const vars = new Array<GoValue>(main.slotCount);
    vars[0] = d;
    return mainExec(d, vars);
  };
  const single = singleActionOf(trees.get(name) as ListNode, trees.size, newCtx(prog, name, options.dotType));
  return single !== undefined
    ? {
        name,
        source,
        execute,
        singleAction: (dot) => single(dot === null ? undefined : dot, [dot === null ? undefined : dot]),
      }
    : { name, source, execute };
}

function newCtx(prog: Program, tmplName: string, dotType: StructType | undefined): CompileCtx {
  const site: Site = { parseName: prog.parseName, tmplName, source: prog.source };
  return {
    site,
    funcs: prog.funcs,
    builtins: BUILTINS,
    dotType,
    dotIsInterface: false,
    scope: [{ name: '$', slot: 0, type: dotType }],
    slots: { count: 1 },
  };
}

function usesDollar(root: ListNode): boolean {
  // A bigint (an int literal beyond 2^53) has no JSON form; its digits never hold a `$`.
  return /\$/.test(JSON.stringify(root, (_key, value: unknown) => (typeof value === 'bigint' ? 0 : value)));
}

function singleActionOf(root: ListNode, treeCount: number, cc: CompileCtx): Eval | undefined {
  if (treeCount !== 1 || root.nodes.length !== 1) return undefined;
  const only = root.nodes[0] as Node;
  if (only.kind !== 'action' || only.pipe.decl.length > 0) return undefined;
  const p = compilePipeline(only.pipe, cc);
  return (dot, vars) => p(dot, vars);
}

/** Whether a break/continue may pass through this list (then it must keep partial output). */
function hasLoopControl(n: Node): boolean {
  switch (n.kind) {
    case 'break':
    case 'continue':
      return true;
    case 'list':
      return n.nodes.some(hasLoopControl);
    case 'if':
    case 'with':
    case 'range':
      return hasLoopControl(n.list) || (n.elseList !== null && hasLoopControl(n.elseList));
    default:
      return false;
  }
}

function compileList(list: ListNode, cc: CompileCtx, prog: Program): Exec {
  const execs = list.nodes.map((n) => compileNode(n, cc, prog)).filter((e): e is Exec => e !== null);
  if (execs.length > 1 && hasLoopControl(list)) {
    return (dot, vars) => {
      let out = '';
      for (const e of execs) {
        try {
          out += e(dot, vars);
        } catch (x) {
          if (x instanceof LoopControl) x.out = out + x.out;
          throw x;
        }
      }
      return out;
    };
  }
  if (execs.length === 0) return () => '';
  if (execs.length === 1) return execs[0] as Exec;
  if (execs.length === 2) {
    const [a, b] = execs as [Exec, Exec];
    return (dot, vars) => a(dot, vars) + b(dot, vars);
  }
  return (dot, vars) => {
    let out = '';
    for (let i = 0; i < execs.length; i++) out += (execs[i] as Exec)(dot, vars);
    return out;
  };
}

function compileNode(node: Node, cc: CompileCtx, prog: Program): Exec | null {
  switch (node.kind) {
    case 'text': {
      const t = node.text;
      return () => t;
    }
    case 'comment':
      return null;
    case 'action':
      return compileAction(node, cc);
    case 'if':
    case 'with':
      return compileIfWith(node, cc, prog);
    case 'range':
      return compileRange(node, cc, prog);
    case 'template':
      return compileTemplateCall(node, cc, prog);
    case 'break':
    case 'continue': {
      const kind = node.kind;
      return () => {
        throw new LoopControl(kind);
      };
    }
    case 'list':
      return compileList(node, cc, prog);
    case 'end':
    case 'else':
      return null;
  }
}

/** Go's printValue: what an action writes. */
export function printed(v: GoValue): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '<no value>';
  return formatValue(v);
}

function compileAction(node: ActionNode, cc: CompileCtx): Exec {
  const p = compilePipeline(node.pipe, cc, true);
  if (node.pipe.decl.length > 0) {
    return (dot, vars) => {
      p(dot, vars);
      return '';
    };
  }
  const text = `{{${pipeString(node.pipe)}}}`;
  const fail = thrower(cc.site, node.pos, text);
  return (dot, vars) => {
    const v = p(dot, vars);
    if (typeof v === 'string') return v;
    if (v === null || v === undefined) return '<no value>';
    if (v instanceof GoFuncValue) return fail(`can't print ${text} of type ${goTypeName(v)}`);
    return printed(v);
  };
}

/** Variables declared inside a block are not visible after its {{end}}. */
function scoped<T>(cc: CompileCtx, fn: () => T): T {
  const mark = cc.scope.length;
  try {
    return fn();
  } finally {
    cc.scope.length = mark;
  }
}

function withStaticDot(node: BranchNode, cc: CompileCtx): StructType | undefined {
  const cmd = node.pipe.cmds[0];
  if (node.pipe.cmds.length !== 1 || cmd === undefined || cmd.args.length !== 1) return undefined;
  const arg = cmd.args[0] as ArgNode;
  if (arg.kind !== 'field' || cc.dotType === undefined) return undefined;
  let t: StructType | undefined = cc.dotType;
  for (const name of arg.ident) t = t?.fields.get(name)?.struct;
  return t;
}

function compileIfWith(node: BranchNode, cc: CompileCtx, prog: Program): Exec {
  return scoped(cc, () => {
    const p = compilePipeline(node.pipe, cc);
    const innerType = node.kind === 'with' ? withStaticDot(node, cc) : cc.dotType;
    const bodyCc = node.kind === 'with' ? withDot(cc, innerType, false) : cc;
    const body = scoped(cc, () => compileList(node.list, bodyCc, prog));
    const orElse =
      node.elseList === null ? null : scoped(cc, () => compileList(node.elseList as ListNode, cc, prog));
    const isWith = node.kind === 'with';
    return (dot, vars) => {
      const v = p(dot, vars);
      if (isTrue(v)) return body(isWith ? v : dot, vars);
      return orElse === null ? '' : orElse(dot, vars);
    };
  });
}

function compileRange(node: BranchNode, cc: CompileCtx, prog: Program): Exec {
  return scoped(cc, () => {
    const p = compilePipeline(node.pipe, cc);
    const elemSlot =
      node.pipe.decl.length > 0
        ? cc.slots.count - node.pipe.decl.length + (node.pipe.decl.length > 1 ? 1 : 0)
        : -1;
    const keySlot = node.pipe.decl.length > 1 ? cc.slots.count - 2 : -1;
    const body = scoped(cc, () => compileList(node.list, withDot(cc, undefined, true), prog));
    const orElse =
      node.elseList === null ? null : scoped(cc, () => compileList(node.elseList as ListNode, cc, prog));
    const last = lastEvaluated(node.pipe);
    const fail = thrower(cc.site, last.pos, last.text);
    const iterate = (key: GoValue, elem: GoValue, vars: GoValue[]): string => {
      if (elemSlot >= 0) vars[elemSlot] = elem;
      if (keySlot >= 0) vars[keySlot] = key;
      return body(elem, vars);
    };
    return (dot, vars) => {
      const v = p(dot, vars);
      let out = '';
      if (Array.isArray(v) && v.length > 0) {
        const list = v as readonly GoValue[];
        for (let i = 0; i < list.length; i++) {
          const r = runIteration(iterate, i, list[i], vars);
          if (typeof r === 'string') out += r;
          else {
            out += r.out;
            if (r.kind === 'break') break;
          }
        }
        return out;
      }
      if (v instanceof GoMap && v.size > 0) {
        for (const k of v.sortedKeys()) {
          const r = runIteration(iterate, k, v.get(k), vars);
          if (typeof r === 'string') out += r;
          else {
            out += r.out;
            if (r.kind === 'break') break;
          }
        }
        return out;
      }
      if (v !== undefined && !Array.isArray(v) && !(v instanceof GoMap))
        fail(`range can't iterate over ${formatValue(v)}`);
      return orElse === null ? '' : orElse(dot, vars);
    };
  });
}

function runIteration(
  iterate: (key: GoValue, elem: GoValue, vars: GoValue[]) => string,
  key: GoValue,
  elem: GoValue,
  vars: GoValue[],
): string | LoopControl {
  try {
    return iterate(key, elem, vars);
  } catch (e) {
    if (e instanceof LoopControl) return e;
    throw e;
  }
}

function compileTemplateCall(node: TemplateNode, cc: CompileCtx, prog: Program): Exec {
  const text = `{{template ${goQuote(node.name)}${node.pipe !== null ? ' ' + pipeString(node.pipe) : ''}}}`;
  const fail = thrower(cc.site, node.pos, text);
  const p = node.pipe === null ? null : compilePipeline(node.pipe, cc);
  return (dot, vars) => {
    const ref = prog.refs.get(node.name);
    if (ref === undefined || ref.exec === undefined)
      return fail(`template ${goQuote(node.name)} not defined`);
    if (prog.depth >= MAX_DEPTH) fail(`exceeded maximum template depth (${MAX_DEPTH})`);
    const newDot = p === null ? undefined : p(dot, vars);
    const newVars = new Array<GoValue>(ref.slotCount);
    newVars[0] = newDot;
    prog.depth++;
    try {
      return ref.exec(newDot, newVars);
    } finally {
      prog.depth--;
    }
  };
}
