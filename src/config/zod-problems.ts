// zod issues → Problems with our wording: short, naming the value found (values expanded from
// the environment are redacted by the loader), and one warning per unknown key with a
// "did you mean" hint (the exporter's decoder skips unknown keys, so they are not errors).
import type { z } from 'zod';
import { ignoredKeyMessage } from './hints.ts';
import type { ConfigPath } from './problem.ts';
import { error, warning } from './problem.ts';
import type { ConfigProblem } from './positions.ts';

type Issue = z.core.$ZodIssue;

interface DefLike {
  readonly type: string;
  readonly shape?: Record<string, z.core.$ZodType>;
  readonly element?: z.core.$ZodType;
  readonly innerType?: z.core.$ZodType;
  readonly in?: z.core.$ZodType;
  readonly out?: z.core.$ZodType;
  readonly valueType?: z.core.$ZodType;
  readonly options?: readonly z.core.$ZodType[];
}

function defOf(schema: z.core.$ZodType): DefLike {
  return schema._zod.def as unknown as DefLike;
}

/** The object schemas reachable at `path` (unions and pipes may give several). */
function objectShapesAt(schema: z.core.$ZodType, path: ConfigPath): Record<string, z.core.$ZodType>[] {
  const def = defOf(schema);
  const wrapped = [def.innerType, def.in, def.out, ...(def.options ?? [])].filter((s) => s !== undefined);
  if (wrapped.length > 0) return wrapped.flatMap((inner) => objectShapesAt(inner, path));
  if (path.length === 0) return def.type === 'object' && def.shape ? [def.shape] : [];
  const [step, ...rest] = path;
  if (def.type === 'object' && typeof step === 'string' && def.shape?.[step])
    return objectShapesAt(def.shape[step], rest);
  if (def.type === 'array' && def.element) return objectShapesAt(def.element, rest);
  if (def.type === 'record' && def.valueType) return objectShapesAt(def.valueType, rest);
  return [];
}

function valueAt(root: unknown, path: ConfigPath): unknown {
  let value = root;
  for (const step of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[step];
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}

const EXPECTED: Readonly<Record<string, string>> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean (true or false)',
  array: 'a list',
  object: 'a map',
  record: 'a map',
};

const MAX_SHOWN_CHARS = 60;

/** The scalar found, as the user wrote it (quoted, cut to a readable length); '' for maps and lists. */
function shown(input: unknown): string {
  if (input === null || input === undefined || typeof input === 'object') return '';
  const text = JSON.stringify(input);
  return text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS - 4)}…${text.slice(-1)}` : text;
}

function got(input: unknown): string {
  const value = shown(input);
  return value === '' ? '' : ` (got ${value})`;
}

function typeMessage(expected: string, input: unknown): string {
  if (input === undefined) return 'is required';
  const value = shown(input);
  return `expected ${EXPECTED[expected] ?? expected}, got ${describe(input)}${value === '' ? '' : ` ${value}`}`;
}

function boundMessage(issue: Issue & { code: 'too_small' | 'too_big' }, input: unknown): string {
  const bound = String(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  if (issue.origin === 'string' && issue.code === 'too_small' && bound === '1') return 'must not be empty';
  const word = issue.code === 'too_small' ? 'at least' : 'at most';
  const unit = issue.origin === 'string' ? ' characters long' : issue.origin === 'array' ? ' items' : '';
  return `must be ${word} ${bound}${unit}${issue.origin === 'number' ? got(input) : ''}`;
}

function messageFor(issue: Issue, input: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return typeMessage(issue.expected, input);
    case 'invalid_value':
      return `must be one of ${issue.values
        .map(String)
        .filter((v) => v !== '')
        .join(' | ')}${got(input)}`;
    case 'too_small':
    case 'too_big':
      return boundMessage(issue, input);
    case 'invalid_union':
      // A union given its own wording keeps it; zod's default says nothing useful.
      return issue.message !== 'Invalid input'
        ? issue.message
        : `has ${describe(input)}, which is not allowed here`;
    default:
      return issue.message;
  }
}

/** Problems for a failed parse of `input` (found at `base` in the config) against `schema`. */
export function zodProblems(
  schema: z.core.$ZodType,
  input: unknown,
  issues: readonly Issue[],
  base: ConfigPath,
): ConfigProblem[] {
  return issues.flatMap((issue): ConfigProblem[] => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const known = objectShapesAt(schema, path).flatMap((shape) => Object.keys(shape));
      return issue.keys.map((key) => ({
        ...warning([...base, ...path, key], ignoredKeyMessage(key, known)),
        at: 'key',
      }));
    }
    return [error([...base, ...path], messageFor(issue, valueAt(input, path)))];
  });
}
