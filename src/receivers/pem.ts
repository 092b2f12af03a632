import { readFileSync } from 'node:fs';
import { ReceiverSetupError } from './types.ts';

/** Reads a PEM file named by a receiver's `tls` block at start-up; unset = undefined. */
export function readPem(path: string | undefined, what: string): Buffer | undefined {
  if (path === undefined || path === '') return undefined;
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ReceiverSetupError(
      `cannot read tls.${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}
