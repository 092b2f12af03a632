// The tests run real servers and tools from Debian (rsyslogd, kubectl, openssl). When one is
// missing, the test that needs it fails at once with its name and how to install it, instead of
// waiting for a server that will never answer.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export class ServerMissingError extends Error {
  readonly code = 'E_SERVER_MISSING';
  constructor(message: string) {
    super(message);
    this.name = 'ServerMissingError';
  }
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The path of `command` (a path, or a name looked up on PATH); throws naming it when absent. */
export function requireExecutable(command: string, install: string, path = process.env.PATH ?? ''): string {
  const found = command.includes('/')
    ? executable(command)
      ? command
      : undefined
    : path
        .split(delimiter)
        .filter((dir) => dir !== '')
        .map((dir) => join(dir, command))
        .find(executable);
  if (found === undefined)
    throw new ServerMissingError(`${command} is not installed (the tests run the real one): ${install}`);
  return found;
}
