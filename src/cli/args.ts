import { parseArgs } from 'node:util';
import { type Command, COMMAND_SPECS, GLOBAL_OPTIONS, isCommand } from './commands.ts';
import { OPTION_NAMES, type OptionName, OPTIONS } from './options.ts';

export { COMMANDS, type Command } from './commands.ts';

export const OUTPUT_FORMATS = ['text', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface CliArgs {
  readonly command: Command;
  /** `help`: the command whose help to print, if any. */
  readonly helpFor?: Command;
  readonly config?: string;
  /** A path, `-` for standard input. */
  readonly events?: string;
  readonly demo: boolean;
  readonly objects?: string;
  readonly receiver?: string;
  readonly output: OutputFormat;
  /** run: `kubernetes` (default), `replay:PATH` or `demo`. */
  readonly source: string;
  readonly kubeconfig?: string;
  readonly metricsAddress: string;
  readonly dryRun: boolean;
  /** Print stack traces of unexpected errors. */
  readonly debug: boolean;
  /** check: warnings are errors. */
  readonly strict: boolean;
}

export class UsageError extends Error {
  readonly code = 'E_USAGE';
  /** The command whose usage the message is about, if known. */
  readonly command: Command | undefined;
  constructor(message: string, command?: Command) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

type ParseOptions = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parserOptions(): ParseOptions {
  const options: NonNullable<ParseOptions> = {};
  for (const name of OPTION_NAMES) {
    const spec = OPTIONS[name];
    options[name] = {
      type: spec.value === undefined ? 'boolean' : 'string',
      ...(spec.short === undefined ? {} : { short: spec.short }),
    };
  }
  return options;
}

function isOptionName(value: string): value is OptionName {
  return (OPTION_NAMES as readonly string[]).includes(value);
}

function isOutput(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

interface Parsed {
  readonly values: Partial<Record<OptionName, string | boolean>>;
  readonly positionals: string[];
  /** The options as written, in order, for the per-command check. */
  readonly given: { name: OptionName; raw: string }[];
  /** The first malformed option, reported once the command is known (its usage is shown). */
  readonly problem?: string;
}

/** Parses leniently, then reports problems in our own words (Node's messages are for developers). */
function tokenize(argv: readonly string[]): Parsed {
  const { values, positionals, tokens } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: false,
    tokens: true,
    options: parserOptions(),
  });
  const given: Parsed['given'] = [];
  let problem: string | undefined;
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    problem ??= optionProblem(token);
    if (isOptionName(token.name)) given.push({ name: token.name, raw: token.rawName });
  }
  return {
    values: values as Parsed['values'],
    positionals,
    given,
    ...(problem === undefined ? {} : { problem }),
  };
}

interface OptionToken {
  readonly name: string;
  readonly rawName: string;
  readonly value?: string | undefined;
  readonly inlineValue?: boolean | undefined;
}

function optionProblem(token: OptionToken): string | undefined {
  if (!isOptionName(token.name)) return `unknown option "${token.rawName}"`;
  const placeholder = OPTIONS[token.name].value;
  if (placeholder !== undefined && token.value === undefined)
    return `${token.rawName} needs a value (${placeholder})`;
  if (placeholder !== undefined && token.inlineValue !== true && /^--?[a-zA-Z]/.test(token.value ?? ''))
    return `${token.rawName} needs a value, got the option "${token.value ?? ''}"`;
  if (placeholder === undefined && token.value !== undefined)
    return `${token.rawName} takes no value, got "${token.value}"`;
  return undefined;
}

function str(values: Parsed['values'], name: OptionName): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function commandOf(parsed: Parsed): { command: Command; helpFor?: Command } {
  const { values, positionals } = parsed;
  const first = positionals[0];
  if (first !== undefined && !isCommand(first)) throw new UsageError(`unknown command "${first}"`);
  if (first === 'help') {
    const topic = positionals[1];
    if (topic === undefined)
      return values.help === true ? { command: 'help', helpFor: 'help' } : { command: 'help' };
    if (!isCommand(topic)) throw new UsageError(`unknown command "${topic}"`, 'help');
    if (positionals.length > 2) throw new UsageError(`unexpected argument "${positionals[2] ?? ''}"`, 'help');
    return { command: 'help', helpFor: topic };
  }
  if (values.help === true)
    return first === undefined ? { command: 'help' } : { command: 'help', helpFor: first };
  if (values.version === true) return { command: 'version' };
  if (first === undefined) return { command: 'help' };
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1] ?? ''}"`, first);
  return { command: first };
}

export function parseCliArgs(argv: readonly string[]): CliArgs {
  const parsed = tokenize(argv);
  const { command, helpFor } = commandOf(parsed);
  if (parsed.problem !== undefined)
    throw new UsageError(
      parsed.problem,
      command === 'help' ? helpFor : command === 'version' ? undefined : command,
    );
  const allowed = new Set<OptionName>([...GLOBAL_OPTIONS, ...COMMAND_SPECS[command].options]);
  if (command !== 'help' && command !== 'version')
    for (const { name, raw } of parsed.given)
      if (!allowed.has(name)) throw new UsageError(`${command} does not take ${raw}`, command);
  const { values } = parsed;
  const output = str(values, 'output') ?? 'text';
  if (!isOutput(output))
    throw new UsageError(`--output must be one of ${OUTPUT_FORMATS.join(', ')}, got "${output}"`, command);
  const args: CliArgs = {
    command,
    ...(helpFor === undefined ? {} : { helpFor }),
    demo: values.demo === true,
    output,
    source: str(values, 'source') ?? 'kubernetes',
    metricsAddress: str(values, 'metrics-address') ?? ':2112',
    dryRun: values['dry-run'] === true,
    debug: values.debug === true,
    strict: values.strict === true,
    ...pick(values),
  };
  validate(args);
  return args;
}

type Optional = 'config' | 'events' | 'objects' | 'receiver' | 'kubeconfig';

function pick(values: Parsed['values']): Partial<Record<Optional, string>> {
  const out: Partial<Record<Optional, string>> = {};
  for (const key of ['config', 'events', 'objects', 'receiver', 'kubeconfig'] as const) {
    const value = str(values, key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function validate(args: CliArgs): void {
  const { command } = args;
  const needsConfig = COMMAND_SPECS[command].options.includes('config');
  if (needsConfig && args.config === undefined)
    throw new UsageError(`${command} needs --config FILE`, command);
  if (command === 'route-test' || command === 'render') {
    if (args.events === undefined && !args.demo)
      throw new UsageError(`${command} needs --events FILE (or - for standard input) or --demo`, command);
    if (args.events !== undefined && args.demo)
      throw new UsageError('--events and --demo are exclusive', command);
  }
  if (command === 'render' && args.receiver === undefined)
    throw new UsageError('render needs --receiver NAME', command);
  if (command === 'run') parseSource(args.source);
}

export type SourceArg = { kind: 'kubernetes' } | { kind: 'replay'; path: string } | { kind: 'demo' };

export function parseSource(value: string): SourceArg {
  if (value === 'kubernetes' || value === 'demo') return { kind: value };
  if (value.startsWith('replay:') && value.length > 'replay:'.length)
    return { kind: 'replay', path: value.slice('replay:'.length) };
  throw new UsageError(`--source must be kubernetes, replay:PATH or demo, got "${value}"`, 'run');
}
