// Loading: parse YAML → expand env → validate → cross-check → compile → a frozen config, or
// one ConfigError listing every problem (docs/architecture.md).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, visit } from 'yaml';
import type { CompiledRoute } from '../route/route.ts';
import { compileReceivers, compileRouteTree } from './compile.ts';
import { expandDocument } from './env-expand.ts';
import type { DocumentExpansion } from './env-expand.ts';
import { ConfigError } from './errors.ts';
import type { PlacedProblem } from './errors.ts';
import { formatProblem, locate } from './positions.ts';
import type { ConfigProblem } from './positions.ts';
import { error } from './problem.ts';
import { validateReceivers } from './receivers.ts';
import type { LoadedConfig, RouterConfig } from './schema.ts';
import { checkMaxEventAge, settingsOf, validateTopLevel } from './top-level.ts';
import { deepFreeze } from './freeze.ts';
import { emptyConfigWarnings } from './empty-config.ts';
import { yamlProblem, yamlProblems } from './yaml-problems.ts';
import { isUnder, onPlaceholder, urlPlaceholders } from './placeholders.ts';
import type { YamlSource } from './yaml-problems.ts';

export { ConfigError } from './errors.ts';
export type { PlacedProblem } from './errors.ts';

export interface LoadOptions {
  /** Used in messages (`config.yaml:3:5 ...`). */
  readonly fileName: string;
  /** Defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** `check --strict`: every warning is an error (same message, same place). */
  readonly strict?: boolean;
  /**
   * The offline commands (check, route-test, render): an unset `${VAR}` is a warning and the
   * value holds the placeholder `${VAR}`; `run` leaves this unset and refuses it.
   */
  readonly offline?: boolean;
}

type Source = YamlSource;

/** The document as plain data; an alias bomb (billion laughs) is a placed problem, not a crash. */
function toData(source: Source): unknown {
  try {
    return source.doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    // yaml throws a ReferenceError past maxAliasCount: report it at the first alias.
    let offset = 0;
    visit(source.doc, {
      Alias(_, node) {
        offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigError(source.fileName, [
      yamlProblem(source, offset, `too many alias expansions (${reason})`),
    ]);
  }
}

// Expanded values may be secrets: a message about a value that came from the environment
// shows the variable's name instead of its value.
function redact(problem: ConfigProblem, expansion: DocumentExpansion): ConfigProblem {
  let message = problem.message;
  for (const { path, used } of expansion.expanded) {
    if (!isUnder(problem.path, path) && !isUnder(path, problem.path)) continue;
    for (const [name, value] of used) if (value !== '') message = message.split(value).join(`\${${name}}`);
  }
  return message === problem.message ? problem : { ...problem, message };
}

function place(source: Source, problems: readonly ConfigProblem[]): PlacedProblem[] {
  const placed = problems.map((problem) => {
    const position = locate(source.doc, source.lines, source.text, problem);
    const text = formatProblem(source.fileName, position, problem);
    return {
      path: problem.path,
      message: problem.message,
      severity: problem.severity,
      fileName: source.fileName,
      ...position,
      text,
    };
  });
  placed.sort((a, b) => a.line - b.line || a.column - b.column);
  return placed.filter((problem, i) => i === 0 || placed[i - 1]?.text !== problem.text);
}

function asMap(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

interface Built {
  readonly route?: CompiledRoute;
  readonly config?: Omit<RouterConfig, 'route'>;
  readonly problems: ConfigProblem[];
}

function build(raw: unknown): Built {
  const rawMap = asMap(raw);
  const problems: ConfigProblem[] = [];
  const top = validateTopLevel(raw ?? {}, problems);
  const receivers = validateReceivers(Array.isArray(rawMap.receivers) ? rawMap.receivers : []);
  problems.push(...receivers.problems);
  checkMaxEventAge(rawMap, problems);
  const settings = top && settingsOf(top);
  const clusterName = top?.clusterName ?? (typeof rawMap.clusterName === 'string' ? rawMap.clusterName : '');
  const templateEnv = top?.templateEnv ?? stringList(rawMap.templateEnv);
  const routed = compileRouteTree(rawMap.route, {
    receivers: receivers.names,
    clusterName,
    ...(top ? { repeats: top.repeats } : {}),
  });
  const compiled = compileReceivers(receivers.receivers, { templateEnv });
  problems.push(...routed.problems, ...compiled.problems);
  const config = settings && { ...settings, receivers: compiled.receivers };
  return { ...(routed.route ? { route: routed.route } : {}), ...(config ? { config } : {}), problems };
}

export function loadConfigText(text: string, options: LoadOptions): LoadedConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true });
  const source: Source = { fileName: options.fileName, text, doc, lines };
  const syntax = yamlProblems(source);
  if (syntax.length > 0) throw new ConfigError(options.fileName, syntax);
  const expansion = expandDocument(doc, options.env ?? process.env, {
    placeholders: options.offline === true,
  });
  const data = toData(source);
  let built = build(data);
  const retry = options.offline === true ? urlPlaceholders(data, built.problems, expansion) : undefined;
  if (retry !== undefined) built = build(retry);
  const later = built.problems
    .filter((p) => !expansion.failed.some((failed) => isUnder(p.path, failed)))
    .map((p) => onPlaceholder(p, expansion));
  const found = [...emptyConfigWarnings(data), ...expansion.problems, ...later].map((p) =>
    redact(p, expansion),
  );
  const all = options.strict === true ? found.map((p) => ({ ...p, severity: 'error' as const })) : found;
  const errors = place(
    source,
    all.filter((p) => p.severity === 'error'),
  );
  const warnings = place(
    source,
    all.filter((p) => p.severity === 'warning'),
  ).map((p) => p.text);
  if (errors.length > 0 || !built.config || !built.route) {
    throw new ConfigError(
      options.fileName,
      errors.length > 0 ? errors : place(source, [error([], 'the route could not be compiled')]),
      warnings,
    );
  }
  const config: RouterConfig = { ...built.config, route: built.route };
  const hash = createHash('sha256').update(doc.toString()).digest('hex');
  return deepFreeze({ config, warnings, hash });
}

export async function loadConfigFile(
  path: string,
  env?: NodeJS.ProcessEnv,
  options: Pick<LoadOptions, 'strict' | 'offline'> = {},
): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const problem = error([], `cannot read the config file (${reason})`);
    throw new ConfigError(path, [
      { ...problem, fileName: path, line: 0, column: 0, text: `${path}: ${problem.message}` },
    ]);
  }
  return loadConfigText(text, { ...options, fileName: path, ...(env ? { env } : {}) });
}
