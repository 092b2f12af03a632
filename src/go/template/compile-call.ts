// Calling a template function: Go's evalCall after the arguments are evaluated, with the
// function's thrown error reported as `error calling NAME: ...`.
import type { GoValue, TemplateFunction } from './value.ts';
import { TemplateExecError } from './errors.ts';
import type { CmdEval, Eval, Thrower } from './exec-context.ts';
import { LoopControl } from './exec-context.ts';

function rethrow(e: unknown, name: string, fail: Thrower): never {
  if (e instanceof TemplateExecError || e instanceof LoopControl) throw e;
  const message = e instanceof Error ? e.message : String(e);
  return fail(`error calling ${name}: ${message}`);
}

export function callFunction(
  fn: TemplateFunction,
  name: string,
  argEvals: readonly Eval[],
  finalCheck: ((v: GoValue) => GoValue) | null,
  fail: Thrower,
): CmdEval {
  const call = fn.call;
  const n = argEvals.length;
  if (n === 0 && finalCheck === null) {
    return () => {
      try {
        return call();
      } catch (e) {
        return rethrow(e, name, fail);
      }
    };
  }
  if (n === 1 && finalCheck === null) {
    const a0 = argEvals[0] as Eval;
    return (dot, vars) => {
      const x = a0(dot, vars);
      try {
        return call(x);
      } catch (e) {
        return rethrow(e, name, fail);
      }
    };
  }
  return (dot, vars, final) => {
    const argv: GoValue[] = new Array<GoValue>(n + (finalCheck === null ? 0 : 1));
    for (let i = 0; i < n; i++) argv[i] = (argEvals[i] as Eval)(dot, vars);
    if (finalCheck !== null) argv[n] = finalCheck(final);
    try {
      return call(...argv);
    } catch (e) {
      return rethrow(e, name, fail);
    }
  };
}
