// What compiled closures share: where a node sits (for Go-style error messages), the
// variable scopes of the template being compiled, and the loop-control sentinels.
import { TemplateExecError, TemplateSyntaxError, lineColumnAt } from './errors.ts';
import type { FunctionTable, GoValue, StructType } from './value.ts';

export type Eval = (dot: GoValue, vars: GoValue[]) => GoValue;
export type Exec = (dot: GoValue, vars: GoValue[]) => string;
/** A command: `final` is the previous command's result in a pipeline (unused by the first). */
export type CmdEval = (dot: GoValue, vars: GoValue[], final: GoValue) => GoValue;

export interface Site {
  /** The name the whole source was parsed under (Go's ParseName). */
  readonly parseName: string;
  /** The template being executed (a define's name inside it). */
  readonly tmplName: string;
  readonly source: string;
}

export interface VarBinding {
  readonly name: string;
  readonly slot: number;
  /** The static type of the variable's value when known (`$` of a typed template). */
  readonly type?: StructType;
}

export interface CompileCtx {
  readonly site: Site;
  readonly funcs: FunctionTable;
  readonly builtins: FunctionTable;
  /** The static type of dot, when known (root of a typed template, `with` on a struct field). */
  readonly dotType: StructType | undefined;
  /** True where dot came out of a map or list (Go's interface{}), e.g. inside range. */
  readonly dotIsInterface: boolean;
  readonly scope: VarBinding[];
  readonly slots: { count: number };
}

export const withDot = (
  cc: CompileCtx,
  dotType: StructType | undefined,
  dotIsInterface: boolean,
): CompileCtx => ({
  ...cc,
  dotType,
  dotIsInterface,
});

/** The error text prefix Go's state.errorf adds for a node: location, template, node text. */
export function errorPrefix(site: Site, pos: number, context: string): string {
  const before = site.source.slice(0, pos);
  const nl = before.lastIndexOf('\n');
  const line = 1 + (before.match(/\n/g)?.length ?? 0);
  // Go counts bytes, not UTF-16 units.
  const col = Buffer.byteLength(before.slice(nl + 1), 'utf8');
  return `template: ${site.parseName}:${line}:${col}: executing ${JSON.stringify(site.tmplName)} at <${context}>: `;
}

export type Thrower = (detail: string) => never;

/** A function that throws Go's exec error for one node; the prefix is computed once. */
export function thrower(site: Site, pos: number, context: string): Thrower {
  const prefix = errorPrefix(site, pos, context);
  return (detail: string): never => {
    throw new TemplateExecError(prefix + detail, detail);
  };
}

/** A compile-time error of ours (Go finds these only when executing, we find them earlier). */
export function compileError(site: Site, pos: number, detail: string): TemplateSyntaxError {
  const { line, column } = lineColumnAt(site.source, pos);
  return new TemplateSyntaxError(
    `template: ${site.parseName}:${line}:${column}: ${detail}`,
    detail,
    line,
    column,
    site.source,
  );
}

/**
 * {{break}} / {{continue}}, thrown up to the enclosing range. Lists it passes through prepend
 * the output they had already produced, which Go would have written before the jump.
 */
export class LoopControl {
  constructor(
    readonly kind: 'break' | 'continue',
    public out = '',
  ) {}
}
