// The sprig function table templates get on top of Go's builtins (sprig 3.2.3 behaviour).
// `env` and `expandenv` only see the variables the config allow-lists in `templateEnv`, so a
// template cannot leak the process's secrets.
import { randomUUID } from 'node:crypto';
import { COLLECTION_FUNCTIONS } from './collections.ts';
import { dateFunctions } from './dates.ts';
import { ENCODING_FUNCTIONS } from './encoding.ts';
import { NUMBER_FUNCTIONS } from './numbers.ts';
import { REGEX_FUNCTIONS } from './regex.ts';
import { STRING_FUNCTIONS } from './strings.ts';
import { argString, fn } from './support.ts';
import type { FunctionTable, TemplateFunction } from '../template/value.ts';

export interface FunctionOptions {
  /** Environment variable names `env` / `expandenv` may read (default none). */
  readonly templateEnv?: readonly string[];
  /** The clock for now/ago/date (tests pin it). */
  readonly now?: () => Date;
}

/** Go's text/template builtins (implemented by the engine, listed here for names and hints). */
export const GO_BUILTIN_NAMES: readonly string[] = [
  'and',
  'call',
  'eq',
  'ge',
  'gt',
  'html',
  'index',
  'js',
  'le',
  'len',
  'lt',
  'ne',
  'not',
  'or',
  'print',
  'printf',
  'println',
  'slice',
  'urlquery',
];

const isNameByte = (c: string): boolean => /[A-Za-z0-9_]/.test(c);
const SPECIAL = '*#$@!?-0123456789';

/** os.Expand's shell-name scan: the name after `$` and how many bytes it used. */
function shellName(s: string): { name: string; width: number } {
  if (s[0] === '{') {
    if (s.length > 2 && SPECIAL.includes(s[1] as string) && s[2] === '}')
      return { name: s[1] as string, width: 3 };
    for (let i = 1; i < s.length; i++) {
      if (s[i] === '}') return i === 1 ? { name: '', width: 2 } : { name: s.slice(1, i), width: i + 1 };
    }
    return { name: '', width: 1 };
  }
  if (SPECIAL.includes(s[0] as string)) return { name: s[0] as string, width: 1 };
  let i = 0;
  while (i < s.length && isNameByte(s[i] as string)) i++;
  return { name: s.slice(0, i), width: i };
}

/** os.Expand(s, lookup). */
export function expandEnv(s: string, lookup: (name: string) => string): string {
  let out = '';
  let i = 0;
  for (let j = 0; j < s.length; j++) {
    if (s[j] !== '$' || j + 1 >= s.length) continue;
    out += s.slice(i, j);
    const { name, width } = shellName(s.slice(j + 1));
    if (name === '' && width > 0) {
      // Invalid syntax: Go eats the characters.
    } else if (name === '') out += '$';
    else out += lookup(name);
    j += width;
    i = j + 1;
  }
  return i === 0 ? s : out + s.slice(i);
}

function envFunctions(allowed: readonly string[]): Record<string, TemplateFunction> {
  const names = new Set(allowed);
  const lookup = (name: string): string => (names.has(name) ? (process.env[name] ?? '') : '');
  return {
    env: fn(1, (name) => lookup(argString(name)), false, ['string']),
    expandenv: fn(1, (s) => expandEnv(argString(s), lookup), false, ['string']),
  };
}

const tables = new Map<string, FunctionTable>();

/** The sprig table for these options (memoised: configs compile many templates with one). */
export function createFunctionTable(options: FunctionOptions = {}): FunctionTable {
  const key = (options.templateEnv ?? []).join('\u0000');
  const memo = options.now === undefined ? tables.get(key) : undefined;
  if (memo !== undefined) return memo;
  const table = new Map<string, TemplateFunction>(
    Object.entries({
      ...STRING_FUNCTIONS,
      ...ENCODING_FUNCTIONS,
      ...COLLECTION_FUNCTIONS,
      ...NUMBER_FUNCTIONS,
      ...REGEX_FUNCTIONS,
      ...dateFunctions(options.now ?? (() => new Date())),
      ...envFunctions(options.templateEnv ?? []),
      uuidv4: fn(0, () => randomUUID()),
    }),
  );
  if (options.now === undefined && tables.size < 100) tables.set(key, table);
  return table;
}

/** Every function name a template may call: Go's builtins and the sprig table. */
export function templateFunctionNames(): string[] {
  return [...new Set([...GO_BUILTIN_NAMES, ...createFunctionTable().keys()])].sort();
}
