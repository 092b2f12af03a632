// Warnings for rules that are valid but probably do not mean what the user thinks.
import { KNOWN_VALUES } from './known-values.ts';

export type WarnedField = keyof typeof KNOWN_VALUES;

export function isWarnedField(key: string): key is WarnedField {
  return Object.hasOwn(KNOWN_VALUES, key);
}

const MAX_LISTED = 5;

/**
 * For `kind: Pod`: the pattern equals some well-known values but, being unanchored, also
 * matches others (PodDisruptionBudget, PodTemplate). Undefined when there is no such trap.
 */
export function unanchoredWarning(field: WarnedField, pattern: string, re: RegExp): string | undefined {
  const known = KNOWN_VALUES[field];
  const exact = new RegExp(`^(?:${re.source})$`, re.flags);
  const intended = known.filter((value) => exact.test(value));
  if (intended.length === 0) return undefined;
  const extra = known.filter((value) => re.test(value) && !exact.test(value));
  if (extra.length === 0) return undefined;
  return (
    `"${pattern}" also matches ${listed(extra)} (a pattern matches anywhere in the value); ` +
    `use "${anchor(pattern)}" to match only ${intended.join(', ')}`
  );
}

function listed(values: readonly string[]): string {
  if (values.length <= MAX_LISTED) return values.join(', ');
  return `${values.slice(0, MAX_LISTED).join(', ')} and ${values.length - MAX_LISTED} more`;
}

/** `Pod` → `^Pod$`, `Pod|Job` → `^(Pod|Job)$`, `(?i)pod` → `(?i)^pod$`. */
export function anchor(pattern: string): string {
  const flags = /^(?:\(\?[imsU]+\))*/.exec(pattern)?.[0] ?? '';
  let body = pattern.slice(flags.length);
  if (body.startsWith('^')) body = body.slice(1);
  if (body.endsWith('$') && !body.endsWith('\\$')) body = body.slice(0, -1);
  return body.includes('|') ? `${flags}^(${body})$` : `${flags}^${body}$`;
}
