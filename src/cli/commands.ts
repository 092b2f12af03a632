import type { OptionName } from './options.ts';

export const COMMANDS = ['run', 'check', 'route-test', 'render', 'presets', 'version', 'help'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CommandSpec {
  /** The arguments after the command name, as the usage line shows them. */
  readonly usage: string;
  readonly summary: string;
  /** The options this command takes besides the global ones (--help, --version, --debug). */
  readonly options: readonly OptionName[];
  readonly examples: readonly string[];
}

export const GLOBAL_OPTIONS: readonly OptionName[] = ['debug', 'help', 'version'];

export const COMMAND_SPECS: Readonly<Record<Command, CommandSpec>> = {
  run: {
    usage:
      '-c FILE [--source kubernetes|replay:PATH|demo] [--objects FILE] [--kubeconfig FILE] [--metrics-address ADDR] [--dry-run [-o text|json]]',
    summary: 'Watch events and deliver them to the receivers.',
    options: ['config', 'source', 'objects', 'kubeconfig', 'metrics-address', 'dry-run', 'output'],
    examples: [
      'kube-event-router run -c config.yaml',
      'kube-event-router run -c config.yaml --source replay:events.json --objects objects.json',
      "kube-event-router run -c config.example.yaml --source demo --dry-run --metrics-address ''",
    ],
  },
  check: {
    usage: '-c FILE [--strict]',
    summary: 'Validate a config; list every problem, or summarise it.',
    options: ['config', 'strict'],
    examples: ['kube-event-router check -c config.yaml', 'kube-event-router check --strict -c config.yaml'],
  },
  'route-test': {
    usage: '-c FILE (--events FILE|- | --demo) [--objects FILE] [-o text|json]',
    summary: 'Show which receivers each event reaches, and why.',
    options: ['config', 'events', 'demo', 'objects', 'output'],
    examples: [
      'kube-event-router route-test -c config.yaml --events events.json --objects objects.json',
      'kubectl get events -A -o json | kube-event-router route-test -c config.yaml --events -',
    ],
  },
  render: {
    usage: '-c FILE --receiver NAME (--events FILE|- | --demo) [--objects FILE] [-o text|json]',
    summary: 'Print the request the receiver would make for each event (secrets masked).',
    options: ['config', 'receiver', 'events', 'demo', 'objects', 'output'],
    examples: ['kube-event-router render -c config.example.yaml --receiver oncall --demo'],
  },
  presets: {
    usage: '[-o text|json]',
    summary: 'List the built-in rule presets.',
    options: ['output'],
    examples: ['kube-event-router presets'],
  },
  version: {
    usage: '',
    summary: 'Print the version (also --version, -V).',
    options: [],
    examples: ['kube-event-router --version'],
  },
  help: {
    usage: '[COMMAND]',
    summary: "Show this help, or a command's (also COMMAND --help).",
    options: [],
    examples: ['kube-event-router help render'],
  },
};

export function isCommand(value: string): value is Command {
  return (COMMANDS as readonly string[]).includes(value);
}
