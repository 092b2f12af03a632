import { type App, startApp } from '../app/app.ts';
import { checkReadable } from '../event/input-file.ts';
import { type CliArgs, parseSource } from './args.ts';
import { EXIT_DEAD_LETTERED } from './exit-codes.ts';
import type { ExitCode } from './main.ts';

const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * `run`: until SIGTERM/SIGINT for a live source; a replay ends by itself once every event is
 * delivered or dead-lettered. Exits 3 if any event was dead-lettered (a replay's verdict, or
 * what a SIGTERM's deadline cut short), 1 when the leader lease was lost.
 */
export async function runRun(args: CliArgs): Promise<ExitCode> {
  const source = parseSource(args.source);
  // Unreadable inputs are the user's to fix: say so before connecting anything.
  if (source.kind === 'replay') await checkReadable('replay', source.path);
  if (args.objects !== undefined) await checkReadable('--objects', args.objects);
  const app: App = await startApp({
    configPath: args.config ?? '',
    source,
    metricsAddress: args.metricsAddress,
    dryRun: args.dryRun,
    dryRunFormat: args.output,
    debug: args.debug,
    ...(args.kubeconfig === undefined ? {} : { kubeconfig: args.kubeconfig }),
    ...(args.objects === undefined ? {} : { objectsPath: args.objects }),
  });
  const stop = (): void => {
    void app.stop();
  };
  for (const signal of STOP_SIGNALS) process.once(signal, stop);
  const result = await app.done;
  for (const signal of STOP_SIGNALS) process.off(signal, stop);
  if (result.leadershipLost) return 1;
  return result.deadLettered > 0 ? EXIT_DEAD_LETTERED : 0;
}
