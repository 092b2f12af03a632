// Every option the CLI knows, described once: the parser, the per-command checks and the help
// texts are all derived from this table.

import { EXIT_DEAD_LETTERED } from './exit-codes.ts';

export const OPTION_NAMES = [
  'config',
  'events',
  'demo',
  'objects',
  'receiver',
  'output',
  'source',
  'kubeconfig',
  'metrics-address',
  'dry-run',
  'strict',
  'debug',
  'help',
  'version',
] as const;
export type OptionName = (typeof OPTION_NAMES)[number];

export interface OptionSpec {
  readonly short?: string;
  /** The placeholder of a string option's value; a boolean option has none. */
  readonly value?: string;
  readonly default?: string;
  /** One or more lines, without indentation. */
  readonly help: readonly string[];
}

export const OPTIONS: Readonly<Record<OptionName, OptionSpec>> = {
  config: { short: 'c', value: 'FILE', help: ['The router config (kubernetes-event-exporter format).'] },
  events: {
    short: 'e',
    value: 'FILE',
    help: [
      'Events: one Event, a List (kubectl get events -o json), NDJSON, watch',
      'lines or YAML; "-" reads standard input.',
    ],
  },
  demo: { help: ['Use the built-in demo scenario instead of --events (with its objects).'] },
  objects: {
    value: 'FILE',
    help: [
      'Kubernetes objects (List, NDJSON or YAML) supplying the involved',
      "objects' labels, annotations and owners.",
    ],
  },
  receiver: { value: 'NAME', help: ['The receiver to render for.'] },
  output: {
    short: 'o',
    value: 'FORMAT',
    default: 'text',
    help: ['text (default) or json: one JSON line per event (render, --dry-run: per request).'],
  },
  source: {
    value: 'SOURCE',
    default: 'kubernetes',
    help: [
      'kubernetes (default), replay:PATH (a file as --events takes; exits',
      `when every event is delivered or dead-lettered, ${EXIT_DEAD_LETTERED} if any was`,
      'dead-lettered) or demo (the built-in scenario, no cluster).',
    ],
  },
  kubeconfig: { value: 'FILE', help: ['Kubeconfig (else KUBECONFIG, in-cluster, ~/.kube/config).'] },
  'metrics-address': {
    value: 'ADDR',
    default: ':2112',
    help: ['Where /metrics, /healthz and /readyz are served (default :2112; "" for none).'],
  },
  'dry-run': { help: ['Print what each receiver would be sent instead of sending.'] },
  strict: { help: ['Warnings are errors (exit 1), for CI.'] },
  debug: { help: ['Print the stack trace of an unexpected error.'] },
  help: { short: 'h', help: ['Show this help.'] },
  version: { short: 'V', help: ['Print the version.'] },
};

/** `-c, --config FILE` */
export function optionSignature(name: OptionName): string {
  const spec = OPTIONS[name];
  const long = `--${name}${spec.value === undefined ? '' : ` ${spec.value}`}`;
  return spec.short === undefined ? `    ${long}` : `-${spec.short}, ${long}`;
}
