import { readFileSync } from 'node:fs';
import { ConfigError, loadConfigFile } from '../config/load.ts';
import { KubeconfigError } from '../kube/client.ts';
import { ReceiverSetupError } from '../receivers/types.ts';
import type { LoadedConfig } from '../config/schema.ts';
import { type CliArgs, parseCliArgs, USAGE, UsageError } from './args.ts';
import { runCheck } from './check.ts';
import { runPresets } from './presets.ts';
import { runRender } from './render.ts';
import { runRouteTest } from './route-test.ts';
import { runRun } from './run.ts';

export type ExitCode = 0 | 1 | 2;

function version(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg ? String(pkg.version) : 'unknown';
}

/** Runs `fn`, turning a config error into its listing and exit 1. */
async function withLoadErrors(fn: () => Promise<ExitCode>): Promise<ExitCode> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof KubeconfigError || err instanceof ReceiverSetupError) {
      process.stderr.write(`kube-event-router: ${err.message}\n`);
      return 1;
    }
    if (!(err instanceof ConfigError)) throw err;
    printConfigError(err);
    return 1;
  }
}

function printConfigError(err: ConfigError): void {
  const warnings =
    err.warnings.length === 0 ? '' : `Warnings:\n${err.warnings.map((w) => `  ${w}`).join('\n')}\n`;
  process.stderr.write(`${err.message}\n${warnings}`);
}

async function withConfig(
  args: CliArgs,
  run: (loaded: LoadedConfig) => Promise<ExitCode>,
): Promise<ExitCode> {
  let loaded: LoadedConfig;
  try {
    loaded = await loadConfigFile(args.config ?? '');
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    printConfigError(err);
    return 1;
  }
  return run(loaded);
}

export async function main(argv: readonly string[]): Promise<ExitCode> {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`kube-event-router: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  switch (args.command) {
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    case 'version':
      process.stdout.write(`kube-event-router ${version()}\n`);
      return 0;
    case 'presets':
      return runPresets(args);
    case 'run':
      return withLoadErrors(() => runRun(args));
    case 'check':
      return withConfig(args, async (loaded) => runCheck(args, loaded));
    case 'route-test':
      return withConfig(args, (loaded) => runRouteTest(args, loaded));
    case 'render':
      return withConfig(args, (loaded) => runRender(args, loaded));
  }
}

process.exitCode = await main(process.argv.slice(2));
