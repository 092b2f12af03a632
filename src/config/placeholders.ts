// Offline checks of a config whose secrets are not set: an unset `${VAR}` holds the placeholder
// `${VAR}`. Where that text fails validation (an endpoint must be a URL), a value that is only
// the placeholder is given a URL-shaped one instead, so the receiver is still built and checked.
import type { DocumentExpansion } from './env-expand.ts';
import type { ConfigPath } from './problem.ts';
import { warning } from './problem.ts';
import type { ConfigProblem } from './positions.ts';

export function isUnder(path: ConfigPath, prefix: ConfigPath): boolean {
  return prefix.length <= path.length && prefix.every((step, i) => String(step) === String(path[i]));
}

function placeholderOf(problem: ConfigProblem, expansion: DocumentExpansion) {
  if (problem.severity !== 'error') return undefined;
  return expansion.placeholders.find(({ path }) => isUnder(problem.path, path));
}

/** A validation error caused by a placeholder: a warning naming the variables. */
export function onPlaceholder(problem: ConfigProblem, expansion: DocumentExpansion): ConfigProblem {
  const at = placeholderOf(problem, expansion);
  if (at === undefined) return problem;
  const names = at.names.map((name) => `\${${name}}`).join(', ');
  let message = problem.message;
  for (const name of at.names) message = message.split(urlPlaceholder(name)).join(`\${${name}}`);
  return { ...warning(problem.path, `${message} (with ${names} unset, not checked)`), at: problem.at };
}

function urlPlaceholder(name: string): string {
  return `https://unset.invalid/${name}`;
}

/**
 * A copy of `data` where each value that is exactly one placeholder and failed validation
 * reads `https://unset.invalid/NAME` instead; undefined when there is no such value.
 */
export function urlPlaceholders(
  data: unknown,
  problems: readonly ConfigProblem[],
  expansion: DocumentExpansion,
): unknown {
  let copy: unknown;
  for (const problem of problems) {
    const at = placeholderOf(problem, expansion);
    const [name] = at?.names ?? [];
    if (at === undefined || name === undefined || at.names.length !== 1) continue;
    copy ??= structuredClone(data);
    const parentPath = at.path.slice(0, -1);
    const key = at.path[at.path.length - 1];
    let parent: unknown = copy;
    for (const step of parentPath) parent = (parent as Record<string | number, unknown> | null)?.[step];
    if (typeof parent !== 'object' || parent === null || key === undefined) continue;
    const holder = parent as Record<string | number, unknown>;
    if (holder[key] === `\${${name}}`) holder[key] = urlPlaceholder(name);
  }
  return copy;
}
