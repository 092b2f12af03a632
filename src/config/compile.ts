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
import type { CompiledEventTemplate, CompiledThrottle, ReceiverConfig } from './schema.ts';

interface TemplatePosition {
  readonly line?: unknown;
  readonly column?: unknown;
  /** TemplateSyntaxError's bare reason (its message repeats Go's `template: name:line:` prefix). */
  readonly detail?: unknown;
}

// Template problems start with the position inside the template (`1:14: unexpected "}" ...`,
// the template module's wording); it becomes a file position where the scalar allows.
const TEMPLATE_POSITION = /^(\d+):(\d+): /;

/** Place a problem found at `base` in the config, keeping a template's own line:column. */
function placed(problem: Problem & TemplatePosition, base: ConfigPath): ConfigProblem {
  // Other modules word unknown keys this way; the key, not its value, is what to point at.
  const at = problem.message.startsWith('unknown key') ? 'key' : 'value';
  const out: ConfigProblem = {
    path: [...base, ...problem.path],
    message: problem.message,
    severity: problem.severity,
    at,
  };
  const inMessage = TEMPLATE_POSITION.exec(problem.message);
  const line = typeof problem.line === 'number' ? problem.line : Number(inMessage?.[1] ?? NaN);
  const column = typeof problem.column === 'number' ? problem.column : Number(inMessage?.[2] ?? NaN);
  return Number.isInteger(line) && Number.isInteger(column)
    ? { ...out, valueLine: line, valueColumn: column }
    : out;
}

/** As the template module words layout problems: `1:14: <detail> in template "<source>"`. */
function templateErrorMessage(err: Error & TemplatePosition, source: string): string {
  const { line, column, detail } = err;
  if (typeof line !== 'number' || typeof column !== 'number') return err.message;
  return `${line}:${column}: ${typeof detail === 'string' ? detail : err.message} in template ${JSON.stringify(source)}`;
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
      problems.push(placed(error(option.path, templateErrorMessage(err, option.source)), base));
    }
  }
  return templates;
}

function compileReceiverLayout(
  receiver: ValidatedReceiver,
  options: TemplateOptions,
  problems: ConfigProblem[],
): CompiledLayout | undefined {
  if (isEmptyLayout(receiver.layout)) return undefined;
  const result = compileLayout(receiver.layout, {
    syntax: receiver.templateSyntax,
    templateEnv: options.templateEnv,
    typed: receiver.typedLayout,
  });
  const base: ConfigPath = ['receivers', receiver.index, receiver.type, receiver.spec.layoutKey ?? 'layout'];
  problems.push(...result.problems.map((problem) => placed(problem, base)));
  return result.layout;
}

function compileThrottle(
  receiver: ValidatedReceiver,
  options: TemplateOptions,
  problems: ConfigProblem[],
): CompiledThrottle | undefined {
  const throttle = receiver.throttle;
  if (throttle === undefined) return undefined;
  try {
    // Always Go syntax, whatever the layout's dialect: the key is a config value, not a layout.
    const key = compileEventTemplate(throttle.key, { syntax: 'go', templateEnv: options.templateEnv });
    return { intervalMs: throttle.intervalMs, maxKeys: throttle.maxKeys, key };
  } catch (err) {
    if (!(err instanceof Error)) throw err;
    problems.push(
      placed(error(['key'], templateErrorMessage(err, throttle.key)), [
        'receivers',
        receiver.index,
        'throttle',
      ]),
    );
    return undefined;
  }
}

export function compileReceivers(receivers: readonly ValidatedReceiver[], options: TemplateOptions) {
  const problems: ConfigProblem[] = [];
  const compiled = receivers.flatMap((receiver): ReceiverConfig[] => {
    const layout = compileReceiverLayout(receiver, options, problems);
    const templates = compileTemplates(receiver, options, problems);
    const throttle = compileThrottle(receiver, options, problems);
    if (!receiver.valid) return [];
    const config: ReceiverConfig = {
      name: receiver.name,
      type: receiver.type,
      options: receiver.options,
      ...(layout === undefined ? {} : { layout }),
      typedLayout: receiver.typedLayout,
      templateSyntax: receiver.templateSyntax,
      deDot: receiver.deDot,
      templates,
      batch: receiver.batch,
      queue: receiver.queue,
      retry: receiver.retry,
      deadLetter: receiver.deadLetter,
      ...(throttle === undefined ? {} : { throttle }),
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
