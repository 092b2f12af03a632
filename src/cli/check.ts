import type { LoadedConfig } from '../config/schema.ts';
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
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
