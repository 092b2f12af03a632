import { parseArgs } from 'node:util';

export const COMMANDS = ['run', 'check', 'route-test', 'render', 'presets', 'version', 'help'] as const;
export type Command = (typeof COMMANDS)[number];

export const OUTPUT_FORMATS = ['text', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface CliArgs {
  readonly command: Command;
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
}

export class UsageError extends Error {
  readonly code = 'E_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: kube-event-router <command> [options]

Commands:
  run -c FILE [--source kubernetes|replay:PATH|demo]
                                     Watch events and deliver them to the receivers.
  check -c FILE                      Validate a config; list every problem, or summarise it.
  route-test -c FILE --events FILE   Show which receivers each event reaches, and why.
  render -c FILE --receiver NAME --events FILE
                                     Print the payload the receiver would send for each event.
  presets                            List the built-in rule presets.
  version                            Print the version.

Options:
  -c, --config FILE     The router config (kubernetes-event-exporter format).
  -e, --events FILE     Events: one Event, a List (kubectl get events -o json), NDJSON, watch
                        lines or YAML; "-" reads standard input.
      --demo            Use the built-in demo scenario instead of --events (with its objects).
      --objects FILE    Kubernetes objects (List, NDJSON or YAML) supplying the involved
                        objects' labels, annotations and owners.
      --receiver NAME   The receiver to render for.
  -o, --output FORMAT   text (default) or json: one JSON line per event.
      --source SOURCE   run: kubernetes (default), replay:PATH (a file as --events takes;
                        exits when every event is delivered or dead-lettered, 1 if any was
                        dead-lettered) or demo (the built-in scenario, no cluster).
      --kubeconfig FILE run: kubeconfig (else KUBECONFIG, in-cluster, ~/.kube/config).
      --metrics-address ADDR
                        run: where /metrics, /healthz and /readyz are served (default
                        :2112; "" for none).
      --dry-run         run: print what each receiver would be sent instead of sending.
  -h, --help            Show this help.
`;

function isCommand(value: string): value is Command {
  return (COMMANDS as readonly string[]).includes(value);
}

function isOutput(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        events: { type: 'string', short: 'e' },
        demo: { type: 'boolean', default: false },
        objects: { type: 'string' },
        receiver: { type: 'string' },
        output: { type: 'string', short: 'o', default: 'text' },
        source: { type: 'string', default: 'kubernetes' },
        kubeconfig: { type: 'string' },
        'metrics-address': { type: 'string', default: ':2112' },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  const name = values.help ? 'help' : (positionals[0] ?? 'help');
  if (!isCommand(name)) throw new UsageError(`unknown command "${name}"`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1] ?? ''}"`);
  if (!isOutput(values.output))
    throw new UsageError(`--output must be one of ${OUTPUT_FORMATS.join(', ')}, got "${values.output}"`);
  const args: CliArgs = {
    command: name,
    demo: values.demo,
    output: values.output,
    source: values.source,
    metricsAddress: values['metrics-address'],
    dryRun: values['dry-run'],
    ...pick(values),
  };
  validate(args);
  return args;
}

type Optional = 'config' | 'events' | 'objects' | 'receiver' | 'kubeconfig';

function pick(values: Partial<Record<Optional, string>>): Partial<CliArgs> {
  const out: Partial<Record<Optional, string>> = {};
  for (const key of ['config', 'events', 'objects', 'receiver', 'kubeconfig'] as const)
    if (values[key] !== undefined) out[key] = values[key];
  return out;
}

function validate(args: CliArgs): void {
  const needsConfig =
    args.command === 'run' ||
    args.command === 'check' ||
    args.command === 'route-test' ||
    args.command === 'render';
  if (needsConfig && args.config === undefined) throw new UsageError(`${args.command} needs --config FILE`);
  if (args.command === 'route-test' || args.command === 'render') {
    if (args.events === undefined && !args.demo)
      throw new UsageError(`${args.command} needs --events FILE (or - for standard input) or --demo`);
    if (args.events !== undefined && args.demo) throw new UsageError('--events and --demo are exclusive');
  }
  if (args.command === 'render' && args.receiver === undefined)
    throw new UsageError('render needs --receiver NAME');
  if (args.command === 'run') parseSource(args.source);
}

export type SourceArg = { kind: 'kubernetes' } | { kind: 'replay'; path: string } | { kind: 'demo' };

export function parseSource(value: string): SourceArg {
  if (value === 'kubernetes' || value === 'demo') return { kind: value };
  if (value.startsWith('replay:') && value.length > 'replay:'.length)
    return { kind: 'replay', path: value.slice('replay:'.length) };
  throw new UsageError(`--source must be kubernetes, replay:PATH or demo, got "${value}"`);
}
