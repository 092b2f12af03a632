import type { LoadedConfig } from '../config/schema.ts';
import { behaviourDifferences } from '../config/differences.ts';
import { routeSummary } from '../route/route.ts';
import type { CliArgs } from './args.ts';
import type { ExitCode } from './main.ts';

export function runCheck(args: CliArgs, loaded: LoadedConfig): ExitCode {
  const { config, warnings } = loaded;
  const summary = routeSummary(config.route);
  const receivers = config.receivers.map((r) => `${r.name} (${r.type})`).join(', ');
  const lines = [
    `${args.config ?? ''}: OK`,
    `  receivers: ${config.receivers.length}${receivers === '' ? '' : `: ${receivers}`}`,
    `  routes: ${summary.routes}, rules: ${summary.rules}`,
    `  warnings: ${warnings.length}`,
    ...warnings.map((w) => `    ${w}`),
  ];
  // What a user coming from kubernetes-event-exporter will see change with this config.
  const differences = behaviourDifferences(config);
  lines.push(
    `  differences from kubernetes-event-exporter: ${differences.length}`,
    ...differences.map((d) => `    - ${d.text}`),
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
