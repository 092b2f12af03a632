// The compile phase: route tree and templates (other modules do the work; this file places
// their problems in the config and gathers the results).
import { compileRoute } from '../route/route.ts';
import type { CompiledRoute, RouteContext } from '../route/route.ts';
import { compileEventTemplate, compileLayout } from '../template/index.ts';
import type { CompiledLayout } from '../template/index.ts';
import type { ConfigPath, Problem } from './problem.ts';
import { error, formatPath } from './problem.ts';
import type { ConfigProblem } from './positions.ts';
import type { ValidatedReceiver } from './receivers.ts';
import type { CompiledEventTemplate, ReceiverConfig } from './schema.ts';

interface TemplatePosition {
  readonly line?: unknown;
  readonly column?: unknown;
  /** TemplateSyntaxError's bare reason (its message repeats Go's `template: name:line:` prefix). */
  readonly detail?: unknown;
}

/** Carry a template's own line:column (when its module reports one) into the config position. */
function placed(problem: Problem & TemplatePosition, base: ConfigPath): ConfigProblem {
  // Other modules word unknown keys this way; the key, not its value, is what to point at.
  const at = problem.message.startsWith('unknown key') ? 'key' : 'value';
  const out: ConfigProblem = { path: [...base, ...problem.path], message: problem.message, severity: problem.severity, at };
  if (typeof problem.line === 'number' && typeof problem.column === 'number') {
    return { ...out, valueLine: problem.line, valueColumn: problem.column };
  }
  return out;
}

function isEmptyLayout(layout: unknown): boolean {
  if (layout === undefined || layout === null) return true;
  return typeof layout === 'object' && !Array.isArray(layout) && Object.keys(layout).length === 0;
}

interface TemplateOptions {
  readonly templateEnv: readonly string[];
}

function compileTemplates(receiver: ValidatedReceiver, options: TemplateOptions, problems: ConfigProblem[]) {
  const templates: Record<string, CompiledEventTemplate> = {};
  const base: ConfigPath = ['receivers', receiver.index, receiver.type];
  const templated = receiver.valid ? (receiver.spec.templatedOptions?.(receiver.options) ?? []) : [];
  for (const option of templated) {
    try {
      templates[formatPath(option.path)] = compileEventTemplate(option.source, {
        syntax: receiver.templateSyntax,
        templateEnv: options.templateEnv,
      });
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      const { line, column, detail } = err as TemplatePosition;
      const message = typeof detail === 'string' ? detail : err.message;
      problems.push(placed({ ...error(option.path, message), line, column }, base));
    }
  }
  return templates;
}

function compileReceiverLayout(receiver: ValidatedReceiver, options: TemplateOptions, problems: ConfigProblem[]): CompiledLayout | undefined {
  if (isEmptyLayout(receiver.layout)) return undefined;
  const result = compileLayout(receiver.layout, {
    syntax: receiver.templateSyntax,
    templateEnv: options.templateEnv,
    typed: receiver.typedLayout,
  });
  const base: ConfigPath = ['receivers', receiver.index, receiver.type, 'layout'];
  problems.push(...result.problems.map((problem) => placed(problem, base)));
  return result.layout;
}

export function compileReceivers(receivers: readonly ValidatedReceiver[], options: TemplateOptions) {
  const problems: ConfigProblem[] = [];
  const compiled = receivers.flatMap((receiver): ReceiverConfig[] => {
    const layout = compileReceiverLayout(receiver, options, problems);
    const templates = compileTemplates(receiver, options, problems);
    if (!receiver.valid) return [];
    const config: ReceiverConfig = {
      name: receiver.name,
      type: receiver.type,
      options: receiver.options,
      ...(layout === undefined ? {} : { layout }),
      typedLayout: receiver.typedLayout,
      templateSyntax: receiver.templateSyntax,
      templates,
      batch: receiver.batch,
      queue: receiver.queue,
      retry: receiver.retry,
      deadLetter: receiver.deadLetter,
    };
    return [config];
  });
  return { receivers: compiled, problems };
}

export function compileRouteTree(raw: unknown, ctx: RouteContext) {
  const result = compileRoute(raw ?? {}, ctx);
  const problems = result.problems.map((problem) => placed(problem, ['route']));
  const route: CompiledRoute | undefined = result.route;
  return { route, problems };
}
