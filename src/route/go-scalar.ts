// How the exporter's YAML decoder (goccy/go-yaml) reads a scalar into a Go string field: a
// boolean or a number becomes its Go formatting (`true` → "true", `5` → "5", `1.5` → "1.5").
import { formatFloatG } from '../go/template/print.ts';

/** The string the exporter sees for a boolean or number scalar; undefined for anything else. */
export function goScalarString(value: unknown): string | undefined {
  if (typeof value === 'boolean') return String(value);
  if (typeof value !== 'number') return undefined;
  return Number.isInteger(value) ? String(value) : formatFloatG(value);
}

/** The warning for a boolean or number where a string (a regular expression) belongs. */
export function scalarAsStringMessage(value: boolean | number, text: string): string {
  return (
    `expected a string, got a ${typeof value} (${String(value)}); the exporter reads it as the ` +
    `string "${text}", and so do we; quote it ("${text}") to say so`
  );
}

/** Why an invalid pattern is a warning: the exporter's regexp.MatchString fails, so no match. */
export const NEVER_MATCHES =
  'as in kubernetes-event-exporter (Go cannot compile it), this condition never holds, so the rule never matches';
