// Parsing as the exporter decodes: unknown keys are skipped with a warning (its YAML decoder
// is not strict), every other problem is an error.
import type { z } from 'zod';
import type { ConfigPath } from './problem.ts';
import type { ConfigProblem } from './positions.ts';
import { zodProblems } from './zod-problems.ts';

export interface LenientResult<T> {
  /** Undefined when an error remains once unknown keys are set aside. */
  readonly data?: T;
  readonly problems: ConfigProblem[];
}

type Issue = z.core.$ZodIssue;

function withoutKeys(input: unknown, issues: readonly Issue[]): unknown {
  const copy: unknown = structuredClone(input);
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    let target: unknown = copy;
    for (const step of issue.path) {
      if (typeof target !== 'object' || target === null || typeof step === 'symbol') break;
      target = (target as Record<string | number, unknown>)[step];
    }
    if (typeof target !== 'object' || target === null) continue;
    for (const key of issue.keys) Reflect.deleteProperty(target, key);
  }
  return copy;
}

/** Parse `input` (found at `base`) with `schema`; unknown keys become warnings and are dropped. */
export function parseLenient<T>(schema: z.ZodType<T>, input: unknown, base: ConfigPath): LenientResult<T> {
  const first = schema.safeParse(input);
  if (first.success) return { data: first.data, problems: [] };
  const problems = zodProblems(schema, input, first.error.issues, base);
  if (problems.some((p) => p.severity === 'error')) return { problems };
  const second = schema.safeParse(withoutKeys(input, first.error.issues));
  if (second.success) return { data: second.data, problems };
  return { problems: [...problems, ...zodProblems(schema, input, second.error.issues, base)] };
}
