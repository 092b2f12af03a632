// Compiles pipelines, commands and arguments to closures with Go's evaluation rules
// (text/template exec.go: evalPipeline, evalCommand, evalArg, evalCall).
import type {
  ArgNode,
  ChainNode,
  CommandNode,
  FieldNode,
  IdentifierNode,
  NumberNode,
  PipeNode,
  VariableNode,
} from './ast.ts';
import { argString, commandString, pipeString } from './ast.ts';
import { GO_PARAM_TYPE_NAMES, GoFloat, GoMap } from './value.ts';
import type { GoParamType, GoValue, StructType, TemplateFunction } from './value.ts';
import { isTrue } from './truth.ts';
import { goTypeName } from './print.ts';
import { chainSteps, resolveStatic } from './fields.ts';
import type { CmdEval, CompileCtx, Eval, Thrower } from './exec-context.ts';
import { compileError, thrower } from './exec-context.ts';
import { callFunction } from './compile-call.ts';
import { InterfaceArg } from './builtins.ts';

const at = (cc: CompileCtx, node: { pos: number }, context: string): Thrower =>
  thrower(cc.site, node.pos, context);

/** The node Go's state last pointed at after evaluating a pipeline (some errors name it). */
export function lastEvaluated(pipe: PipeNode): { pos: number; text: string } {
  const cmd = pipe.cmds[pipe.cmds.length - 1];
  const first = cmd?.args[0];
  if (cmd === undefined || first === undefined) return { pos: pipe.pos, text: pipeString(pipe) };
  const last =
    first.kind === 'identifier' && cmd.args.length > 1 ? (cmd.args[cmd.args.length - 1] as ArgNode) : first;
  if (last.kind === 'pipe') return lastEvaluated(last);
  return { pos: last.pos, text: argString(last) };
}

/** A pipeline: commands chained by `|`, then declarations/assignments. */
export function compilePipeline(pipe: PipeNode, cc: CompileCtx, forPrinting = false): Eval {
  // Commands first: in `$x := $x | f` the right-hand $x is the outer one (Go pushes the new
  // variable only after evaluating the pipeline).
  const cmds = pipe.cmds.map((c, i) => compileCommand(c, cc, i > 0, pipe));
  const slots = pipe.decl.map((v) => declareOrFind(v, pipe.isAssign, cc));
  if (slots.includes(-1)) {
    // Go's parser accepts `$x = v` for an undeclared $x; executing it fails.
    const last = lastEvaluated(pipe);
    const fail = thrower(cc.site, last.pos, last.text);
    const missing = pipe.decl[slots.indexOf(-1)]?.ident[0] ?? '';
    return () => fail(`undefined variable: ${missing}`);
  }
  let run: Eval;
  if (cmds.length === 1 && forPrinting && slots.length === 0) {
    // Printing treats null and undefined alike (<no value>), so the command's value is enough.
    return cmds[0] as CmdEval as Eval;
  }
  if (cmds.length === 1) {
    const c0 = cmds[0] as CmdEval;
    run = (dot, vars) => {
      const v = c0(dot, vars, undefined);
      return v === null ? undefined : v;
    };
  } else {
    run = (dot, vars) => {
      let v: GoValue = undefined;
      for (const c of cmds) {
        v = c(dot, vars, v);
        if (v === null) v = undefined; // Go unwraps interface{} results: a nil one is no value
      }
      return v;
    };
  }
  if (slots.length === 0) return run;
  return (dot, vars) => {
    const v = run(dot, vars);
    for (const s of slots) vars[s] = v;
    return v;
  };
}

function declareOrFind(v: VariableNode, isAssign: boolean, cc: CompileCtx): number {
  const name = v.ident[0] as string;
  if (isAssign) return findVar(name, cc);
  const slot = cc.slots.count++;
  cc.scope.push({ name, slot });
  return slot;
}

/** The slot of the innermost visible variable, or -1 (`{{ $y := $y }}`: Go fails at run time). */
function findVar(name: string, cc: CompileCtx): number {
  return cc.scope.findLast((b) => b.name === name)?.slot ?? -1;
}

/** Go's notAFunction: a non-function first word cannot take arguments. */
function notAFunction(
  cmd: CommandNode,
  hasFinal: boolean,
  cc: CompileCtx,
  node: ArgNode,
): (() => never) | null {
  if (cmd.args.length > 1 || hasFinal) {
    const first = cmd.args[0] as ArgNode;
    const text = first.kind === 'pipe' ? pipeString(first) : argString(first);
    const fail = at(cc, node, argString(node));
    return () => fail(`can't give argument to non-function ${text}`);
  }
  return null;
}

function compileCommand(cmd: CommandNode, cc: CompileCtx, hasFinal: boolean, pipe: PipeNode): CmdEval {
  const first = cmd.args[0] as ArgNode;
  const args = cmd.args.slice(1);
  const hasArgs = args.length > 0 || hasFinal;
  switch (first.kind) {
    case 'field':
      return compileField(first, cc, hasArgs);
    case 'chain':
      return compileChain(first, cc, hasArgs);
    case 'identifier':
      return compileFunction(first, cmd, args, hasFinal, cc);
    case 'variable': {
      if (first.ident.length === 1 && findVar(first.ident[0] as string, cc) >= 0) {
        const bad = notAFunction(cmd, hasFinal, cc, first);
        if (bad !== null) return bad;
      }
      return compileVariable(first, cc, hasArgs);
    }
    case 'pipe': {
      const bad = notAFunction(cmd, hasFinal, cc, pipe);
      if (bad !== null) return bad;
      return compilePipeline(first, cc);
    }
  }
  const bad = notAFunction(cmd, hasFinal, cc, first);
  if (bad !== null) return bad;
  switch (first.kind) {
    case 'bool': {
      const b = first.value;
      return () => b;
    }
    case 'dot':
      return (dot) => dot;
    case 'nil': {
      const fail = at(cc, first, 'nil');
      return () => fail('nil is not a command');
    }
    case 'number': {
      const v = idealConstant(first, cc);
      return () => v();
    }
    case 'string': {
      const s = first.text;
      return () => s;
    }
  }
}

/** A number literal with no type context (Go's idealConstant). */
function idealConstant(n: NumberNode, cc: CompileCtx): () => GoValue {
  const isHexInt = /^[+-]?0[xX]/.test(n.text) && !/[pP]/.test(n.text);
  if (n.isFloat && !isHexInt && !n.text.includes("'") && /[.eEpP]/.test(n.text)) {
    const f = new GoFloat(n.float);
    return () => f;
  }
  if (n.isInt) {
    const v = n.int;
    return () => v;
  }
  const fail = at(cc, n, n.text);
  return () => fail(`${n.text} overflows int`);
}

/**
 * `.A.B` on a receiver of a known struct type, resolved now. `textStart` is where the text of
 * names[0] (with its leading dot) starts, for pointing compile errors at the bad name.
 */
function staticFields(
  type: StructType,
  names: readonly string[],
  textStart: number,
  hasArgs: boolean,
  fail: Thrower,
  cc: CompileCtx,
): (receiver: GoValue) => GoValue {
  const chain = resolveStatic(type, names, (index, typeName, hint) => {
    const suggestion = hint !== undefined ? `; did you mean ${JSON.stringify(hint)}?` : '';
    const pos = textStart + names.slice(0, index).reduce((n, id) => n + id.length + 1, 0);
    throw compileError(
      cc.site,
      pos,
      `field ${JSON.stringify(names[index])} not found in type ${typeName}${suggestion}`,
    );
  });
  const read = chain.read;
  if (chain.rest.length === 0) {
    if (hasArgs)
      return () => fail(`${names[names.length - 1]} has arguments but cannot be invoked as function`);
    return (r) => read(r, fail);
  }
  const rest = chainSteps(chain.rest, hasArgs, false, fail);
  return (r) => rest(read(r, fail));
}

export function compileField(node: FieldNode, cc: CompileCtx, hasArgs: boolean): Eval {
  const fail = at(cc, node, argString(node));
  if (cc.dotType !== undefined) return staticFields(cc.dotType, node.ident, node.start, hasArgs, fail, cc);
  const steps = chainSteps(node.ident, hasArgs, cc.dotIsInterface, fail);
  return (dot) => steps(dot);
}

function compileChain(node: ChainNode, cc: CompileCtx, hasArgs: boolean): Eval {
  const baseNode = node.node;
  const last =
    baseNode.kind === 'pipe'
      ? lastEvaluated(baseNode)
      : baseNode.kind === 'identifier'
        ? { pos: baseNode.pos, text: baseNode.name }
        : { pos: node.pos, text: argString(node) };
  const fail = thrower(cc.site, last.pos, last.text);
  if (node.node.kind === 'nil') return () => fail(`indirection through explicit nil in ${argString(node)}`);
  const base = compileArg(node.node, 'value', cc);
  const steps = chainSteps(node.fields, hasArgs, false, fail);
  return (dot, vars) => {
    const v = base(dot, vars);
    return steps(v === null ? undefined : v);
  };
}

function compileVariable(node: VariableNode, cc: CompileCtx, hasArgs: boolean): Eval {
  const slot = findVar(node.ident[0] as string, cc);
  const fail = at(cc, node, argString(node));
  if (slot < 0) return () => fail(`undefined variable: ${node.ident[0]}`);
  if (node.ident.length === 1) return (_dot, vars) => vars[slot];
  const type = cc.scope.findLast((b) => b.slot === slot)?.type;
  const names = node.ident.slice(1);
  const steps =
    type !== undefined
      ? staticFields(
          type,
          names,
          (node.start ?? node.pos) + (node.ident[0] as string).length,
          hasArgs,
          fail,
          cc,
        )
      : chainSteps(names, hasArgs, false, fail);
  return (_dot, vars) => steps(vars[slot]);
}

function compileFunction(
  ident: IdentifierNode,
  cmd: CommandNode | IdentifierNode,
  args: ArgNode[],
  hasFinal: boolean,
  cc: CompileCtx,
): CmdEval {
  const fn = cc.funcs.get(ident.name) as TemplateFunction;
  const isBuiltin = cc.builtins.get(ident.name) === fn;
  const cmdText = cmd.kind === 'command' ? commandString(cmd) : ident.name;
  const failCall = at(cc, cmd, cmdText);
  const failIdent = at(cc, ident, ident.name);
  const numIn = args.length + (hasFinal ? 1 : 0);
  if (fn.variadic === true ? numIn < fn.arity : numIn !== fn.arity) {
    const msg =
      fn.variadic === true
        ? `wrong number of args for ${ident.name}: want at least ${fn.arity} got ${args.length}`
        : `wrong number of args for ${ident.name}: want ${fn.arity} got ${numIn}`;
    return () => failIdent(msg);
  }
  const paramType = (i: number): GoParamType =>
    fn.params?.[fn.variadic === true ? Math.min(i, fn.arity) : i] ?? 'any';
  if (isBuiltin && (ident.name === 'and' || ident.name === 'or')) {
    return shortCircuit(
      ident.name === 'or',
      args.map((a) => compileArg(a, 'value', cc)),
      hasFinal,
    );
  }
  let argEvals = args.map((a, i) => compileArg(a, paramType(i), cc));
  if (isBuiltin && ident.name === 'slice')
    argEvals = argEvals.map((e, i) =>
      i > 0 && yieldsInterface(args[i] as ArgNode, cc) ? boxInterface(e) : e,
    );
  const finalCheck = hasFinal ? dynamicCheck(paramType(numIn - 1), failCall) : null;
  return callFunction(fn, ident.name, argEvals, finalCheck, failCall);
}

/** Whether Go sees this argument as interface{}: a value read out of a map or list at run time. */
function yieldsInterface(node: ArgNode, cc: CompileCtx): boolean {
  if (node.kind === 'field') return cc.dotType === undefined;
  if (node.kind === 'chain') return true;
  if (node.kind === 'variable') return node.ident.length > 1;
  return node.kind === 'dot' && cc.dotIsInterface;
}

function boxInterface(e: Eval): Eval {
  return (dot, vars) => {
    const v = e(dot, vars);
    return v === undefined ? v : (new InterfaceArg(v) as unknown as GoValue);
  };
}

function shortCircuit(isOr: boolean, argEvals: Eval[], hasFinal: boolean): CmdEval {
  return (dot, vars, final) => {
    let v: GoValue = undefined;
    for (const a of argEvals) {
      v = a(dot, vars);
      if (isTrue(v) === isOr) return v;
    }
    return hasFinal ? final : v;
  };
}

const literalKinds = new Set(['bool', 'number', 'string', 'nil']);

/** An argument converted to the parameter's Go type (Go's evalArg + validateType). */
export function compileArg(node: ArgNode, type: GoParamType, cc: CompileCtx): Eval {
  // After a parenthesised pipeline Go's error context is the last node it evaluated.
  const last = node.kind === 'pipe' ? lastEvaluated(node) : { pos: node.pos, text: argString(node) };
  const fail = thrower(cc.site, last.pos, last.text);
  if (node.kind === 'nil') {
    if (type === 'any') return () => null;
    if (type === 'value') return () => undefined;
    if (type === 'map' || type === 'list') return () => null;
    return () => fail(`cannot assign nil to ${type}`);
  }
  if (literalKinds.has(node.kind) && type !== 'any' && type !== 'value') return literalArg(node, type, fail);
  let raw: Eval;
  switch (node.kind) {
    case 'dot':
      raw = (dot) => dot;
      break;
    case 'field':
      raw = compileField(node, cc, false);
      break;
    case 'variable':
      raw = compileVariable(node, cc, false);
      break;
    case 'pipe':
      raw = compilePipeline(node, cc);
      break;
    case 'chain':
      raw = compileChain(node, cc, false);
      break;
    case 'identifier': {
      const f = compileFunction(node, node, [], false, cc);
      raw = (dot, vars) => f(dot, vars, undefined);
      break;
    }
    case 'number': {
      const c = idealConstant(node, cc);
      raw = () => c();
      break;
    }
    case 'string': {
      const s = node.text;
      raw = () => s;
      break;
    }
    case 'bool': {
      const b = node.value;
      raw = () => b;
      break;
    }
  }
  if (type === 'value') return raw;
  if (type === 'any') {
    return (dot, vars) => {
      const v = raw(dot, vars);
      return v === undefined ? null : v;
    };
  }
  const check = dynamicCheck(type, fail);
  return (dot, vars) => check(raw(dot, vars));
}

function literalArg(node: ArgNode, type: GoParamType, fail: Thrower): Eval {
  const text = argString(node);
  if (type === 'string' && node.kind === 'string') {
    const s = node.text;
    return () => s;
  }
  if (type === 'bool' && node.kind === 'bool') {
    const b = node.value;
    return () => b;
  }
  if (node.kind === 'number' && type === 'int' && node.isInt) {
    const n = node.int;
    return () => n;
  }
  if (node.kind === 'number' && type === 'float64' && node.isFloat) {
    const f = new GoFloat(node.float);
    return () => f;
  }
  if (type === 'map' || type === 'list')
    return () => fail(`can't handle ${text} for arg of type ${GO_PARAM_TYPE_NAMES[type]}`);
  const expected = type === 'int' ? 'integer' : type === 'float64' ? 'float' : type;
  return () => fail(`expected ${expected}; found ${text}`);
}

/** validateType for a run-time value against a concrete Go parameter type. */
export function dynamicCheck(type: GoParamType, fail: Thrower): (v: GoValue) => GoValue {
  if (type === 'value') return (v) => v;
  if (type === 'any') return (v) => (v === undefined ? null : v);
  const ok: (v: GoValue) => boolean =
    type === 'string'
      ? (v) => typeof v === 'string'
      : type === 'int'
        ? (v) => typeof v === 'number' || typeof v === 'bigint'
        : type === 'bool'
          ? (v) => typeof v === 'boolean'
          : type === 'map'
            ? (v) => v instanceof GoMap
            : type === 'list'
              ? (v) => Array.isArray(v)
              : (v) => v instanceof GoFloat;
  const goType = GO_PARAM_TYPE_NAMES[type];
  const nillable = type === 'map' || type === 'list';
  return (v) => {
    if (ok(v)) return v;
    if (v === undefined) return nillable ? null : fail(`invalid value; expected ${goType}`);
    return fail(
      `wrong type for value; expected ${goType}; got ${v === null ? 'interface {}' : goTypeName(v)}`,
    );
  };
}
