// A receiver's `tls` block at run time: the PEM files read at start-up (an unreadable one is a
// ReceiverSetupError naming the key and the path) and Node's TLS connection options.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { ReceiverSetupError } from './types.ts';

/** The `tls` block (common/options.ts tlsSchema) as the runtime reads it. */
export interface TlsOptions {
  readonly insecureSkipVerify: boolean;
  readonly serverName?: string | undefined;
  readonly caFile?: string | undefined;
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
}

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

/** Node's TLS options from a `tls` block (reads the PEM files now); unset = verify with the system CAs. */
export function tlsConnectionOptions(tls: TlsOptions | undefined): ConnectionOptions {
  const ca = readPem(tls?.caFile, 'caFile');
  const cert = readPem(tls?.certFile, 'certFile');
  const key = readPem(tls?.keyFile, 'keyFile');
  return {
    rejectUnauthorized: tls?.insecureSkipVerify !== true,
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
    ...(tls?.serverName ? { servername: tls.serverName } : {}),
  };
}
