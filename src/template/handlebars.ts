// The Handlebars dialect (`templateSyntax: handlebars`): the same event view and function table,
// the functions registered as helpers. Values cross into Handlebars as JS objects that print as
// Go prints them and remember their Go value, so helpers receive the view's values unchanged.
import Handlebars from 'handlebars';
import type { EnrichedEvent } from '../event/event.ts';
import { BUILTINS } from '../go/template/builtins.ts';
import { TemplateExecError, TemplateSyntaxError } from '../go/template/errors.ts';
import { createFunctionTable } from '../go/sprig/functions.ts';
import type { CompiledTemplate, TemplateOptions } from './index.ts';
import { toJsonReady } from './native.ts';
import { formatValue } from '../go/template/print.ts';
import {
  EVENT_TYPE,
  EVENT_SOURCE_TYPE,
  EVENT_SERIES_TYPE,
  INVOLVED_OBJECT_TYPE,
  OBJECT_REFERENCE_TYPE,
  OWNER_REFERENCE_TYPE,
  TOP_OWNER_TYPE,
} from './view.ts';
import {
  GoFloat,
  GoMap,
  GoNilPointer,
  GoStruct,
  type FunctionTable,
  type GoValue,
  type StructType,
  type TemplateFunction,
} from '../go/template/value.ts';

const GO = Symbol('goValue');
type Linked = { [GO]: GoValue };

/** The prototype every converted object shares: prints as Go's %v. */
const PRINTS_AS_GO = {
  toString(this: Linked): string {
    return formatValue(this[GO]);
  },
};

const structProtos = new WeakMap<StructType, object>();

function structProto(type: StructType): object {
  let proto = structProtos.get(type);
  if (proto === undefined) {
    proto = Object.create(PRINTS_AS_GO) as object;
    for (const [name, def] of type.fields) {
      Object.defineProperty(proto, name, {
        get(this: Linked) {
          return toHandlebars(def.get((this[GO] as GoStruct).source));
        },
      });
    }
    structProtos.set(type, proto);
  }
  return proto;
}

function linked(proto: object, value: GoValue): Linked {
  const out = Object.create(proto) as Linked;
  Object.defineProperty(out, GO, { value });
  return out;
}

/** A Go value as Handlebars sees it. */
export function toHandlebars(v: GoValue): unknown {
  if (v === null || v === undefined || typeof v !== 'object') return v;
  if (v instanceof GoNilPointer) return null;
  if (Array.isArray(v)) {
    const list = v.map((e: GoValue) => toHandlebars(e));
    Object.defineProperty(list, GO, { value: v });
    Object.defineProperty(list, 'toString', { value: PRINTS_AS_GO.toString });
    return list;
  }
  if (v instanceof GoStruct) return linked(structProto(v.type), v);
  if (v instanceof GoMap) {
    const out = linked(PRINTS_AS_GO, v) as Linked & Record<string, unknown>;
    for (const key of v.sortedKeys()) {
      Object.defineProperty(out, key, { value: toHandlebars(v.entries[key]), enumerable: true });
    }
    return out;
  }
  return linked(PRINTS_AS_GO, v);
}

/** A Handlebars value (literal or converted) as the Go value helpers expect. */
export function fromHandlebars(v: unknown): GoValue {
  if (v === null || v === undefined) return v;
  if (typeof v === 'object' && GO in v) return (v as Linked)[GO];
  switch (typeof v) {
    case 'string':
    case 'boolean':
    case 'bigint': // an int64 beyond 2^53 from a helper, passed on exact
      return v;
    case 'number':
      return Number.isInteger(v) ? v : new GoFloat(v);
  }
  if (Array.isArray(v)) return v.map(fromHandlebars);
  if (typeof v === 'object') {
    const entries: Record<string, GoValue> = Object.create(null) as Record<string, GoValue>;
    for (const [k, e] of Object.entries(v)) entries[k] = fromHandlebars(e);
    return new GoMap(entries);
  }
  return undefined;
}

function helper(name: string, f: TemplateFunction): Handlebars.HelperDelegate {
  return (...args: unknown[]) => {
    const goArgs = args.slice(0, -1).map(fromHandlebars);
    if (goArgs.length < f.arity || (f.variadic !== true && goArgs.length > f.arity)) {
      throw new Error(`wrong number of args for ${name}: want ${f.arity} got ${goArgs.length}`);
    }
    return toHandlebars(f.call(...goArgs));
  };
}

/** Handlebars' own helpers win over same-named functions. */
const HANDLEBARS_BUILTINS = new Set([
  'if',
  'unless',
  'each',
  'with',
  'lookup',
  'log',
  'helperMissing',
  'blockHelperMissing',
]);

interface Env {
  readonly hb: typeof Handlebars;
  readonly knownHelpers: Record<string, boolean>;
}

const envs = new WeakMap<FunctionTable, Env>();

function environment(table: FunctionTable): Env {
  let env = envs.get(table);
  if (env === undefined) {
    const hb = Handlebars.create();
    const knownHelpers: Record<string, boolean> = {};
    for (const [name, f] of [...BUILTINS, ...table]) {
      if (HANDLEBARS_BUILTINS.has(name)) continue;
      hb.registerHelper(name, helper(name, f));
      knownHelpers[name] = true;
    }
    env = { hb, knownHelpers };
    envs.set(table, env);
  }
  return env;
}

const ALLOWED_PROTO_PROPERTIES: Record<string, boolean> = Object.fromEntries(
  [
    EVENT_TYPE,
    EVENT_SOURCE_TYPE,
    EVENT_SERIES_TYPE,
    INVOLVED_OBJECT_TYPE,
    OBJECT_REFERENCE_TYPE,
    OWNER_REFERENCE_TYPE,
    TOP_OWNER_TYPE,
  ]
    .flatMap((t) => [...t.fields.keys()])
    .map((name) => [name, true]),
);

function syntaxError(source: string, err: unknown): TemplateSyntaxError {
  const message = err instanceof Error ? err.message : String(err);
  const e = err as { lineNumber?: number; column?: number };
  const line = e.lineNumber ?? Number(/line (\d+)/.exec(message)?.[1] ?? 1);
  const caret = /\n(-*)\^/.exec(message);
  const column = e.column !== undefined ? e.column + 1 : caret !== null ? (caret[1] ?? '').length + 1 : 1;
  const detail =
    message
      .split('\n')
      .filter((l) => l !== '' && !/^-*\^$/.test(l))
      .pop() ?? message;
  return new TemplateSyntaxError(`template: template:${line}: ${detail}`, detail, line, column, source);
}

export function compileHandlebarsTemplate(source: string, options: TemplateOptions): CompiledTemplate {
  const env = environment(createFunctionTable(options));
  const compileOptions = {
    noEscape: true,
    strict: false,
    knownHelpers: env.knownHelpers,
    knownHelpersOnly: true,
  };
  try {
    env.hb.precompile(source, compileOptions);
  } catch (err) {
    throw syntaxError(source, err);
  }
  const template = env.hb.compile(source, compileOptions);
  const runtime = { allowedProtoProperties: ALLOWED_PROTO_PROPERTIES };
  const execute = (event: EnrichedEvent): string => {
    try {
      return template(toHandlebars(new GoStruct(EVENT_TYPE, event)), runtime);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      throw new TemplateExecError(`template: template: executing "template": ${detail}`, detail);
    }
  };
  const single = /^\{\{\s*([A-Za-z][\w.]*)\s*\}\}$/.exec(source)?.[1];
  const value = (event: EnrichedEvent): unknown => {
    if (single === undefined) return execute(event);
    let v: GoValue = new GoStruct(EVENT_TYPE, event);
    for (const name of single.split('.')) {
      if (!(v instanceof GoStruct)) return execute(event);
      const def = v.type.fields.get(name);
      if (def === undefined) return execute(event);
      v = def.get(v.source);
    }
    return toJsonReady(v);
  };
  return { source, execute, value };
}
