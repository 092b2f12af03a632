// The template system's public API: event templates (Go text/template or Handlebars), receiver
// layouts, the default payload and the function names. Everything compiles at config load.
import type { Problem } from '../config/problem.ts';
import type { EnrichedEvent } from '../event/event.ts';
import { enhancedEventJson as writeEnhancedEventJson } from '../event/enhanced-json.ts';
import { compileGoTemplate } from '../go/template/compile.ts';
import { createFunctionTable, templateFunctionNames } from '../go/sprig/functions.ts';
import { compileHandlebarsTemplate } from './handlebars.ts';
import { compileLayoutWith, type CompiledLayout } from './layout.ts';
import { toJsonReady } from './native.ts';
import { EVENT_TYPE } from './view.ts';
import { GoStruct } from '../go/template/value.ts';

export { TemplateSyntaxError, TemplateExecError } from '../go/template/errors.ts';
export { templateFunctionNames };
export type { CompiledLayout };

export const TEMPLATE_SYNTAXES = ['go', 'handlebars'] as const;
export type TemplateSyntax = (typeof TEMPLATE_SYNTAXES)[number];

export interface TemplateOptions {
  syntax?: TemplateSyntax;
  /** Environment variables `env` / `expandenv` may read. */
  templateEnv?: readonly string[];
  /** The clock for now/ago/date. */
  now?: () => Date;
}

export interface CompiledTemplate {
  readonly source: string;
  execute(event: EnrichedEvent): string;
  /** The native value for typedLayout: a single-action template's value, JSON-ready; else the text. */
  value(event: EnrichedEvent): unknown;
}

/** Compiles one template against the event view. Throws TemplateSyntaxError. */
export function compileEventTemplate(source: string, options: TemplateOptions = {}): CompiledTemplate {
  if (options.syntax === 'handlebars') return compileHandlebarsTemplate(source, options);
  const program = compileGoTemplate(source, {
    name: 'template',
    functions: createFunctionTable(options),
    dotType: EVENT_TYPE,
  });
  const execute = (event: EnrichedEvent): string => program.execute(new GoStruct(EVENT_TYPE, event));
  const single = program.singleAction;
  return {
    source,
    execute,
    value: single === undefined ? execute : (event) => toJsonReady(single(new GoStruct(EVENT_TYPE, event))),
  };
}

/** Compiles a receiver layout; undefined when absent or empty. Problems carry the path inside it. */
export function compileLayout(
  layout: unknown,
  options: TemplateOptions & { typed?: boolean } = {},
): { layout: CompiledLayout | undefined; problems: Problem[] } {
  return compileLayoutWith(compileEventTemplate, layout, options);
}

/** The default payload: the exporter's enhanced event JSON, byte for byte. */
export function enhancedEventJson(event: EnrichedEvent): string {
  return writeEnhancedEventJson(event, true);
}
