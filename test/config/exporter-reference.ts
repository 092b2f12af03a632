// The exporter's routing, written from its source (pkg/exporter/route.go, rule.go) as an
// independent oracle: its config decoding (goccy/go-yaml into structs: exact lower-case keys,
// unknown keys skipped, booleans and numbers read as text) and its matching (Go regexp; a
// pattern that does not compile never matches). Receivers are returned as the exporter sends
// them, repeats included.
import { compileRe2 } from '../../src/go/re2/re2.ts';
import type { EnrichedEvent } from '../../src/event/event.ts';

type Map = Readonly<Record<string, unknown>>;

function asMap(value: unknown): Map {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Map) : {};
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A Go string field: "" when unset or null; booleans and numbers as their text. */
function goString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  return '';
}

function matchString(pattern: string, value: string): boolean {
  try {
    return compileRe2(pattern).test(value);
  } catch {
    return false;
  }
}

interface Rule {
  readonly fields: readonly (readonly [pattern: string, read: (e: EnrichedEvent) => string])[];
  readonly labels: Map;
  readonly annotations: Map;
  readonly minCount: number;
  readonly receiver: string;
}

function decodeRule(raw: unknown): Rule {
  const r = asMap(raw);
  const field = (key: string, read: (e: EnrichedEvent) => string | undefined) =>
    [goString(r[key]), (e: EnrichedEvent) => read(e) ?? ''] as const;
  return {
    fields: [
      field('message', (e) => e.raw.message),
      field('apiVersion', (e) => e.raw.involvedObject?.apiVersion),
      field('kind', (e) => e.raw.involvedObject?.kind),
      field('namespace', (e) => e.raw.metadata?.namespace),
      field('reason', (e) => e.raw.reason),
      field('type', (e) => e.raw.type),
      field('component', (e) => e.raw.source?.component),
      field('host', (e) => e.raw.source?.host),
    ],
    labels: asMap(r['labels']),
    annotations: asMap(r['annotations']),
    minCount: typeof r['minCount'] === 'number' ? Math.trunc(r['minCount']) : 0,
    receiver: goString(r['receiver']),
  };
}

function mapMatches(rule: Map, values: Readonly<Record<string, string>> | undefined): boolean {
  for (const [key, pattern] of Object.entries(rule)) {
    const value = values?.[key];
    if (value === undefined || !matchString(goString(pattern), value)) return false;
  }
  return true;
}

function matches(rule: Rule, event: EnrichedEvent): boolean {
  for (const [pattern, read] of rule.fields)
    if (pattern !== '' && !matchString(pattern, read(event))) return false;
  if (!mapMatches(rule.labels, event.object?.labels)) return false;
  if (!mapMatches(rule.annotations, event.object?.annotations)) return false;
  return (event.raw.count ?? 0) >= rule.minCount;
}

/** Route.ProcessEvent: the receivers the exporter sends `event` to, in order. */
export function exporterSends(route: unknown, event: EnrichedEvent, out: string[] = []): string[] {
  const r = asMap(route);
  for (const raw of asList(r['drop'])) if (matches(decodeRule(raw), event)) return out;
  let matchesAll = true;
  for (const raw of asList(r['match'])) {
    const rule = decodeRule(raw);
    if (!matches(rule, event)) matchesAll = false;
    else if (rule.receiver !== '') out.push(rule.receiver);
  }
  if (matchesAll) for (const child of asList(r['routes'])) exporterSends(child, event, out);
  return out;
}
