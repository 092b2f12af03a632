// pipe — the sink its lines go to. A named pipe is opened without blocking (no reader yet:
// ENXIO, tried again on the next send) and written through the event loop, so a slow reader
// slows this output only and never holds a libuv thread; anything else (a file, a device) is a
// plain write stream. Truncated at the first open only, as the exporter does at start.
import { constants, createWriteStream, open } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { promisify } from 'node:util';

// The callback API gives a bare descriptor, which the socket then owns (a FileHandle would
// close it on its own).
const openFd = promisify(open);

export class NoReaderError extends Error {
  readonly code = 'E_PIPE_NO_READER';
}

async function isFifo(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFIFO();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

async function openFifo(path: string): Promise<Writable> {
  let fd: number;
  try {
    fd = await openFd(path, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENXIO')
      throw new NoReaderError('no process has the named pipe open for reading');
    throw err;
  }
  return new Socket({ fd, readable: false, writable: true });
}

async function openStream(path: string, truncate: boolean): Promise<Writable> {
  const stream = createWriteStream(path, { flags: truncate ? 'w' : 'a', mode: 0o644 });
  await new Promise<void>((resolve, reject) => {
    stream.once('ready', () => resolve());
    stream.once('error', reject);
  });
  return stream;
}

/** Opens `path` for writing; `first` truncates a regular file. */
export async function openSink(path: string, first: boolean): Promise<Writable> {
  const sink = (await isFifo(path)) ? await openFifo(path) : await openStream(path, first);
  // Failures reach the write callbacks; unheard, an 'error' event would end the process.
  sink.on('error', () => undefined);
  return sink;
}

/**
 * Writes `lines` in one go (one writev) and resolves with how many were handed to the OS before
 * a failure (all of them when none), and the failure.
 */
export function writeLines(
  sink: Writable,
  lines: readonly string[],
): Promise<{ written: number; error?: Error }> {
  return new Promise((resolve) => {
    let written = 0;
    let failed: Error | undefined;
    let pending = lines.length;
    if (pending === 0) resolve({ written });
    sink.cork();
    for (const line of lines)
      sink.write(line, (err?: Error | null) => {
        if (err) failed ??= err;
        else if (failed === undefined) written++;
        if (--pending === 0) resolve(failed === undefined ? { written } : { written, error: failed });
      });
    sink.uncork();
  });
}
