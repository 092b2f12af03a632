// One match/drop rule: validated from its raw YAML value and compiled into a predicate.
// Semantics (docs/routing.md): every present condition must hold; a missing event field reads
// as ""; an empty-string or null condition is skipped; a rule without conditions matches all.
import type { EnrichedEvent } from '../event/event.ts';
import { error, warning, type ConfigPath, type Problem } from '../config/problem.ts';
import { PRESET_DEFINITIONS } from './preset-defs.ts';
import {
  RULE_KEYS,
  STRING_FIELDS,
  eventCount,
  isStringField,
  type MapField,
  type StringField,
} from './rule-fields.ts';
import { isWarnedField, unanchoredWarning } from './rule-warnings.ts';
import { describeValue, didYouMean, isPlainMap } from './suggest.ts';
import { compilePattern, NEVER, patternText } from './go-scalar.ts';

export interface RuleContext {
  readonly receivers: ReadonlySet<string>;
  /** The configured clusterName, to warn about `clusterName` conditions that can never hold. */
  readonly clusterName?: string;
}

/** Where a rule sits: `not` rules (and presets) may not name a receiver. */
export const RULE_ROLES = ['match', 'drop', 'not'] as const;
export type RuleRole = (typeof RULE_ROLES)[number];

export interface CompiledRule {
  /** The receiver a matching event is sent to (match rules only). */
  readonly receiver: string | undefined;
  /** Keys that carry a condition, in config order; empty when the rule matches every event. */
  readonly keys: readonly string[];
  /** The validated YAML value, for messages. */
  readonly raw: Readonly<Record<string, unknown>>;
  matches(event: EnrichedEvent): boolean;
}

export interface RuleResult {
  readonly rule?: CompiledRule;
  readonly problems: Problem[];
}

type Test = (event: EnrichedEvent) => boolean;

interface Builder {
  readonly ctx: RuleContext;
  readonly role: RuleRole;
  readonly tests: Test[];
  readonly keys: string[];
  readonly problems: Problem[];
  receiver: string | undefined;
}

export function compileRule(
  raw: unknown,
  path: ConfigPath,
  ctx: RuleContext,
  role: RuleRole = 'match',
): RuleResult {
  if (!isPlainMap(raw))
    return { problems: [error(path, `expected a map (a rule), got ${describeValue(raw)}`)] };
  const b: Builder = { ctx, role, tests: [], keys: [], problems: [], receiver: undefined };
  for (const [key, value] of Object.entries(raw)) compileKey(b, key, value, [...path, key]);
  if (b.problems.some((p) => p.severity === 'error')) return { problems: b.problems };
  return { rule: makeRule(b.tests, b.keys, b.receiver, raw), problems: b.problems };
}

function compileKey(b: Builder, key: string, value: unknown, path: ConfigPath): void {
  if (isStringField(key)) return compileStringField(b, key, value, path);
  switch (key) {
    case 'labels':
    case 'annotations':
      return compileMapField(b, key, value, path);
    case 'minCount':
      return compileMinCount(b, value, path);
    case 'receiver':
      return compileReceiver(b, value, path);
    case 'not':
      return compileNot(b, value, path);
    case 'preset':
      return compilePreset(b, value, path);
  }
  // The exporter's decoder skips keys it does not know: the rule works without this one.
  const guess = didYouMean(key, RULE_KEYS);
  const hint = guess === undefined ? `valid keys: ${RULE_KEYS.join(', ')}` : `did you mean "${guess}"?`;
  b.problems.push(
    warning(path, `unknown key "${key}" in rule, ignored, as kubernetes-event-exporter ignores it; ${hint}`),
  );
}

function makeRule(
  tests: readonly Test[],
  keys: readonly string[],
  receiver: string | undefined,
  raw: Readonly<Record<string, unknown>>,
): CompiledRule {
  const [first] = tests;
  let matches: Test;
  if (first === undefined) matches = () => true;
  else if (tests.length === 1) matches = first;
  else {
    matches = (event) => {
      for (const test of tests) if (!test(event)) return false;
      return true;
    };
  }
  return { receiver, keys, raw, matches };
}

function compileStringField(b: Builder, key: StringField, value: unknown, path: ConfigPath): void {
  if (value === null || value === '') return;
  const pattern = patternText(value, path, b.problems);
  if (pattern === undefined) {
    b.problems.push(error(path, `expected a string (a regular expression), got ${describeValue(value)}`));
    return;
  }
  const re = compilePattern(pattern, path, b.problems);
  if (re === undefined) return;
  const message = re === NEVER ? undefined : fieldWarning(b.ctx, key, pattern, re);
  if (message !== undefined) b.problems.push(warning(path, message));
  const get = STRING_FIELDS[key];
  b.tests.push((event) => re.test(get(event) ?? ''));
  b.keys.push(key);
}

function fieldWarning(ctx: RuleContext, key: StringField, pattern: string, re: RegExp): string | undefined {
  if (isWarnedField(key)) return unanchoredWarning(key, pattern, re);
  if (key === 'clusterName' && ctx.clusterName !== undefined && !re.test(ctx.clusterName)) {
    return `"${pattern}" does not match the configured clusterName "${ctx.clusterName}", so this rule never matches`;
  }
  return undefined;
}

function compileMapField(b: Builder, key: MapField, value: unknown, path: ConfigPath): void {
  if (value === null) return;
  if (!isPlainMap(value)) {
    b.problems.push(
      error(path, `expected a map of ${key} to regular expressions, got ${describeValue(value)}`),
    );
    return;
  }
  const names: string[] = [];
  const patterns: (RegExp | undefined)[] = [];
  for (const [name, raw] of Object.entries(value)) {
    const pattern = raw === null ? null : patternText(raw, [...path, name], b.problems);
    if (pattern === undefined) {
      const got = describeValue(raw);
      b.problems.push(error([...path, name], `expected a string (a regular expression) or null, got ${got}`));
      continue;
    }
    names.push(name);
    patterns.push(
      pattern === null || pattern === '' ? undefined : compilePattern(pattern, [...path, name], b.problems),
    );
  }
  if (names.length === 0) return;
  b.tests.push(mapTest(key, names, patterns));
  b.keys.push(key);
}

// Every key must exist on the involved object; an unknown object has no labels at all.
function mapTest(key: MapField, names: readonly string[], patterns: readonly (RegExp | undefined)[]): Test {
  const count = names.length;
  return (event) => {
    const values = event.object?.[key];
    if (values === undefined) return false;
    for (let i = 0; i < count; i++) {
      const value: unknown = values[names[i] ?? ''];
      if (typeof value !== 'string') return false;
      const re = patterns[i];
      if (re !== undefined && !re.test(value)) return false;
    }
    return true;
  };
}

// The exporter decodes minCount into an int32: a fraction is truncated and a negative count
// always holds. Both start there, so both are warnings here with the same effect.
function compileMinCount(b: Builder, value: unknown, path: ConfigPath): void {
  if (value === null) return;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    b.problems.push(error(path, `expected a non-negative integer, got ${describeValue(value)}`));
    return;
  }
  const count = Math.trunc(value);
  if (count !== value || count < 0) {
    const effect = count <= 0 ? 'the condition always holds' : `it is read as ${count}`;
    b.problems.push(
      warning(
        path,
        `expected a non-negative integer, got ${describeValue(value)}; as in kubernetes-event-exporter, ${effect}`,
      ),
    );
  }
  if (count <= 0) return; // the exporter skips minCount 0
  b.tests.push((event) => eventCount(event.raw) >= count);
  b.keys.push('minCount');
}

function compileReceiver(b: Builder, value: unknown, path: ConfigPath): void {
  if (value === null || value === '') return;
  if (b.role === 'not') {
    b.problems.push(error(path, 'a "not" rule cannot have a receiver'));
    return;
  }
  if (typeof value !== 'string') {
    b.problems.push(error(path, `expected a string (a receiver name), got ${describeValue(value)}`));
    return;
  }
  // The exporter starts and loses each event sent there ("There is no channel"): a warning,
  // and the rule matches without sending.
  if (!b.ctx.receivers.has(value)) {
    b.problems.push(warning(path, `${undefinedReceiver(value, b.ctx.receivers)}; ${LOST}`));
    return;
  }
  if (b.role === 'drop') {
    b.problems.push(
      warning(path, `receiver "${value}" has no effect in a drop rule; drop rules only stop events`),
    );
    return;
  }
  b.receiver = value;
}

const LOST =
  'kubernetes-event-exporter loses the events this rule sends there, and here they go nowhere (the rule still gates its sub-routes)';

function undefinedReceiver(name: string, receivers: ReadonlySet<string>): string {
  if (receivers.size === 0) return `receiver "${name}" is not defined (no receivers are defined)`;
  const guess = didYouMean(name, receivers);
  if (guess !== undefined) return `receiver "${name}" is not defined; did you mean "${guess}"?`;
  return `receiver "${name}" is not defined; defined receivers: ${[...receivers].sort().join(', ')}`;
}

function compileNot(b: Builder, value: unknown, path: ConfigPath): void {
  if (value === null) return;
  const nested = compileRule(value, path, b.ctx, 'not');
  b.problems.push(...nested.problems);
  const inner = nested.rule;
  if (inner === undefined) return;
  if (inner.keys.length === 0) {
    b.problems.push(
      warning(path, '"not" of a rule without conditions never matches, so this rule never matches'),
    );
  }
  b.tests.push((event) => !inner.matches(event));
  b.keys.push('not');
}

function compilePreset(b: Builder, value: unknown, path: ConfigPath): void {
  if (value === null || value === '') return;
  if (typeof value !== 'string') {
    b.problems.push(error(path, `expected a string (a preset name), got ${describeValue(value)}`));
    return;
  }
  const preset = presetRule(value);
  if (preset === undefined) {
    const names = PRESET_DEFINITIONS.map((d) => d.name);
    const guess = didYouMean(value, names);
    const hint = guess === undefined ? '' : ` did you mean "${guess}"?`;
    b.problems.push(error(path, `unknown preset "${value}";${hint} valid presets: ${names.join(', ')}`));
    return;
  }
  b.tests.push(preset.matches);
  b.keys.push('preset');
}

let presetRules: Map<string, CompiledRule> | undefined;

/** The compiled built-in preset (any of its rules), or undefined for an unknown name. */
export function presetRule(name: string): CompiledRule | undefined {
  presetRules ??= compilePresets();
  return presetRules.get(name);
}

function compilePresets(): Map<string, CompiledRule> {
  const noReceivers: RuleContext = { receivers: new Set() };
  const out = new Map<string, CompiledRule>();
  for (const def of PRESET_DEFINITIONS) {
    const rules = def.rules.map((raw, i) => {
      const result = compileRule(raw, ['preset', def.name, i], noReceivers, 'not');
      const failed = result.problems.find((p) => p.severity === 'error');
      if (result.rule === undefined || failed !== undefined) {
        throw new Error(`Built-in preset ${def.name} does not compile: ${failed?.message ?? 'unknown'}.`);
      }
      return result.rule;
    });
    const matches: Test = (event) => {
      for (const rule of rules) if (rule.matches(event)) return true;
      return false;
    };
    out.set(def.name, { receiver: undefined, keys: ['preset'], raw: { preset: def.name }, matches });
  }
  return out;
}
