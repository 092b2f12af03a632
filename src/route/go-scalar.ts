// Rule patterns as the exporter reads them: its YAML decoder (goccy/go-yaml) reads a boolean or
// a number into a Go string field as its text (`true` → "true", `5` → "5", `1.5` → "1.5"), and
// a pattern Go cannot compile never matches (regexp.MatchString fails).
import { error, warning, type ConfigPath, type Problem } from '../config/problem.ts';
import { RegexSyntaxError, compileRe2 } from '../go/re2/re2.ts';
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

/** A pattern Go cannot compile: the exporter's match fails, so the condition never holds. */
export const NEVER = /(?!)/;

/**
 * Compiles a pattern. One Go rejects is a warning (with the glob hint) and never matches, as in
 * the exporter; one Go accepts but we cannot translate faithfully stays an error.
 */
export function compilePattern(pattern: string, path: ConfigPath, problems: Problem[]): RegExp | undefined {
  try {
    return compileRe2(pattern);
  } catch (err) {
    if (!(err instanceof RegexSyntaxError)) throw err;
    if (err.reason.includes('cannot be translated')) {
      problems.push(error(path, err.message));
      return undefined;
    }
    problems.push(warning(path, `${err.message}; ${NEVER_MATCHES}`));
    return NEVER;
  }
}

/** A string condition as the exporter decodes it: booleans and numbers read as their text. */
export function patternText(value: unknown, path: ConfigPath, problems: Problem[]): string | undefined {
  if (typeof value === 'string') return value;
  const text = goScalarString(value);
  if (text === undefined) return undefined;
  problems.push(warning(path, scalarAsStringMessage(value as boolean | number, text)));
  return text;
}
