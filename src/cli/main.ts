import { readFileSync } from 'node:fs';
import { loadConfigFile } from '../config/load.ts';
import type { LoadedConfig } from '../config/schema.ts';
import { type CliArgs, parseCliArgs } from './args.ts';
import { runCheck } from './check.ts';
import { commandHelp, globalHelp } from './help.ts';
import { runPresets } from './presets.ts';
import { runRender } from './render.ts';
import { runRouteTest } from './route-test.ts';
import { reportError } from './report.ts';

/** 0 ok; 1 error (config, setup, lost leader lease); 2 usage; 3 `run` ended but dead-lettered events. */
export type ExitCode = 0 | 1 | 2 | 3;

const PROGRAM = 'kube-event-router';

function version(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg ? String(pkg.version) : 'unknown';
}

async function withConfig(
  args: CliArgs,
  run: (loaded: LoadedConfig) => Promise<ExitCode>,
): Promise<ExitCode> {
  // Offline commands check a config without its secrets: an unset ${VAR} is a warning.
  const loaded = await loadConfigFile(args.config ?? '', undefined, { offline: true, strict: args.strict });
  // check lists them itself; route-test and render keep standard output for their results.
  if (args.command !== 'check')
    for (const warning of loaded.warnings) process.stderr.write(`warning: ${warning}\n`);
  return run(loaded);
}

async function dispatch(args: CliArgs): Promise<ExitCode> {
  switch (args.command) {
    case 'help':
      process.stdout.write(args.helpFor === undefined ? globalHelp() : commandHelp(args.helpFor));
      return 0;
    case 'version':
      process.stdout.write(`${PROGRAM} ${version()}\n`);
      return 0;
    case 'presets':
      return runPresets(args);
    case 'run':
      // Loaded only for `run`: the router, the Kubernetes client and their dependencies cost the
      // offline commands (check, route-test, render) about a second of start-up otherwise.
      return (await import('./run.ts')).runRun(args);
    case 'check':
      return withConfig(args, async (loaded) => runCheck(args, loaded));
    case 'route-test':
      return withConfig(args, (loaded) => runRouteTest(args, loaded));
    case 'render':
      return withConfig(args, (loaded) => runRender(args, loaded));
  }
}

export async function main(argv: readonly string[]): Promise<ExitCode> {
  const debug = argv.includes('--debug');
  try {
    return await dispatch(parseCliArgs(argv));
  } catch (err) {
    return reportError(err, debug);
  }
}

process.exitCode = await main(process.argv.slice(2));
