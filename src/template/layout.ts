// Receiver layouts: any YAML value whose string leaves are templates. Compiled once into a tree
// of closures; rendering walks it with one event view and allocates only the output.
import { error, type ConfigPath, type Problem } from '../config/problem.ts';
import type { EnrichedEvent } from '../event/event.ts';
import { TemplateSyntaxError } from '../go/template/errors.ts';
import type { CompiledTemplate, TemplateOptions } from './index.ts';

export interface CompiledLayout {
  /** The layout for one event, ready for JSON encoding. Throws TemplateExecError. */
  render(event: EnrichedEvent): unknown;
}

type Render = (event: EnrichedEvent) => unknown;
type Compile = (source: string, options: TemplateOptions) => CompiledTemplate;

interface Walk {
  readonly compile: Compile;
  readonly options: TemplateOptions;
  readonly typed: boolean;
  readonly problems: Problem[];
}

/** `1:5: unexpected "}" in operand in template "{{ .Name }"`. */
export function templateProblemMessage(err: TemplateSyntaxError): string {
  return `${err.line}:${err.column}: ${err.detail} in template ${JSON.stringify(err.template)}`;
}

function leaf(source: string, path: ConfigPath, walk: Walk): Render {
  let t: CompiledTemplate;
  try {
    t = walk.compile(source, walk.options);
  } catch (err) {
    if (!(err instanceof TemplateSyntaxError)) throw err;
    walk.problems.push(error(path, templateProblemMessage(err)));
    return () => null;
  }
  return walk.typed ? (e) => t.value(e) : (e) => t.execute(e);
}

function mapNode(value: Readonly<Record<string, unknown>>, path: ConfigPath, walk: Walk): Render {
  const keys = Object.keys(value);
  const renders = keys.map((k) => node(value[k], [...path, k], walk));
  const unsafe = keys.includes('__proto__');
  return (e) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const v = (renders[i] as Render)(e);
      if (unsafe)
        Object.defineProperty(out, keys[i] as string, {
          value: v,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else out[keys[i] as string] = v;
    }
    return out;
  };
}

function node(value: unknown, path: ConfigPath, walk: Walk): Render {
  if (typeof value === 'string') return leaf(value, path, walk);
  if (Array.isArray(value)) {
    const items = value.map((v, i) => node(v, [...path, i], walk));
    return (e) => items.map((r) => r(e));
  }
  if (typeof value === 'object' && value !== null)
    return mapNode(value as Record<string, unknown>, path, walk);
  return () => value;
}

function isEmptyLayout(layout: unknown): boolean {
  if (layout === undefined || layout === null) return true;
  return typeof layout === 'object' && !Array.isArray(layout) && Object.keys(layout).length === 0;
}

/** Compiles a layout; `layout` is undefined when absent or empty ({} / null), as no layout. */
export function compileLayoutWith(
  compile: Compile,
  layout: unknown,
  options: TemplateOptions & { typed?: boolean } = {},
): { layout: CompiledLayout | undefined; problems: Problem[] } {
  if (isEmptyLayout(layout)) return { layout: undefined, problems: [] };
  const walk: Walk = { compile, options, typed: options.typed === true, problems: [] };
  const render = node(layout, [], walk);
  return { layout: { render }, problems: walk.problems };
}
