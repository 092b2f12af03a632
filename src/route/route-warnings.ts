// Route shapes that are valid (the exporter accepts them) but rarely mean what users intend.
import { warning, type ConfigPath, type Problem } from '../config/problem.ts';
import type { CompiledRule } from './rule.ts';

/**
 * `match: [{namespace: prod}, {receiver: slack}]`: match rules are independent, so the
 * receiver-only item sends every event to slack. Shows the single-item form usually meant.
 */
export function mixedMatchWarning(match: readonly CompiledRule[], path: ConfigPath): Problem | undefined {
  const filter = match.find((rule) => rule.receiver === undefined && rule.keys.length > 0);
  const sender = match.find((rule) => rule.receiver !== undefined && rule.keys.length === 0);
  if (filter === undefined || sender?.receiver === undefined) return undefined;
  const receiver = sender.receiver;
  const single = yamlItem({ ...filter.raw, receiver });
  return warning(
    path,
    `match rules are independent: the item with only "receiver: ${receiver}" sends every event to ` +
      `"${receiver}", whatever the other items match; to send only matching events, ` +
      `put the receiver in the same item:\n${single}`,
  );
}

/** A drop rule without conditions drops every event at its route and below. */
export function emptyDropWarnings(drop: readonly CompiledRule[], path: ConfigPath): Problem[] {
  const problems: Problem[] = [];
  drop.forEach((rule, i) => {
    if (rule.keys.length === 0) {
      problems.push(
        warning([...path, i], 'this drop rule has no conditions, so it drops every event here and below'),
      );
    }
  });
  return problems;
}

/** One list item as YAML: `- namespace: prod\n  receiver: slack` (indented two spaces). */
export function yamlItem(fields: Readonly<Record<string, unknown>>): string {
  return Object.entries(fields)
    .map(([key, value], i) => `  ${i === 0 ? '-' : ' '} ${key}: ${yamlValue(value)}`)
    .join('\n');
}

function yamlValue(value: unknown): string {
  if (typeof value === 'string')
    return /^[A-Za-z0-9_./-][A-Za-z0-9_./ -]*$/.test(value) ? value : JSON.stringify(value);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value).map(([k, v]) => `${k}: ${yamlValue(v)}`);
    return `{${entries.join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
