import { ConfigError } from '../config/load.ts';
import { InputError } from '../event/input-file.ts';
import { KubeconfigError } from '../kube/errors.ts';
import { ReceiverSetupError } from '../receivers/common/types.ts';
import { UsageError } from './args.ts';
import { usageLine } from './help.ts';
import type { ExitCode } from './main.ts';

const PROGRAM = 'kube-event-router';

type Write = (text: string) => void;

const stderr: Write = (text) => {
  process.stderr.write(text);
};

function printConfigError(err: ConfigError, write: Write): void {
  const warnings =
    err.warnings.length === 0 ? '' : `Warnings:\n${err.warnings.map((w) => `  ${w}`).join('\n')}\n`;
  write(`${err.message}\n${warnings}`);
}

function printUsageError(err: UsageError, write: Write): void {
  const usage = err.command === undefined ? `${PROGRAM} <command> [options]` : usageLine(err.command);
  const help = err.command === undefined ? `${PROGRAM} --help` : `${PROGRAM} ${err.command} --help`;
  write(`${PROGRAM}: ${err.message}\nUsage: ${usage}\nSee "${help}".\n`);
}

/**
 * Every error ends as one message and an exit code: 2 for the user's input (usage, input files),
 * 1 for a config or setup problem; a stack trace only with --debug, for what we did not foresee.
 */
export function reportError(err: unknown, debug: boolean, write: Write = stderr): ExitCode {
  if (err instanceof UsageError) {
    printUsageError(err, write);
    return 2;
  }
  if (err instanceof InputError) {
    write(`${PROGRAM}: ${err.message}\n`);
    return 2;
  }
  if (err instanceof ConfigError) {
    printConfigError(err, write);
    return 1;
  }
  if (err instanceof KubeconfigError || err instanceof ReceiverSetupError) {
    write(`${PROGRAM}: ${err.message}\n`);
    return 1;
  }
  const message = err instanceof Error ? err.message : String(err);
  const detail =
    debug && err instanceof Error && err.stack !== undefined
      ? `${err.stack}\n`
      : `(run with --debug for the stack trace)\n`;
  write(`${PROGRAM}: unexpected error: ${message}\n${detail}`);
  return 1;
}
