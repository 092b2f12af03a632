// Where undeliverable events go; there is always somewhere. One NDJSON line per event
// ({time, receiver, reason, error, attempts, event, payload}) in `deadLetter.path`, else in the
// default file on the dead-letter volume that the image and the manifests create, rotated and
// size-capped. When no file can be written (no such volume outside a container, a full disk),
// the same line goes to stderr with `"msg":"Dead letter."`, so a log collector still keeps it.
// Appends are chained so lines never interleave, and gathered while a write is running so a
// burst costs few syscalls. Several receivers may share one writer (one per path).
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { RawEvent } from '../event/event.ts';
import type { FailureReason } from '../receivers/common/types.ts';
import { RotatingFile } from '../receivers/common/rotating-file.ts';
import type { Clock } from '../util/clock.ts';
import { DEAD_LETTER_DEFAULTS, DEFAULT_DEAD_LETTER_DIR, DEFAULT_DEAD_LETTER_FILE } from './policy.ts';

export interface DeadLetterRecord {
  readonly receiver: string;
  readonly reason: FailureReason;
  /** Already free of secrets (receivers build their errors that way). */
  readonly error: string;
  /** Send attempts made (0: never sent, e.g. renderError, queueFull). */
  readonly attempts: number;
  readonly event: RawEvent;
  /** The rendered body (JSON text), or undefined when rendering failed. */
  readonly payload: string | undefined;
}

export interface DeadLetterWriter {
  /** `file /path` or `stderr`: where the lines go, for logs. */
  readonly description: string;
  /** Never throws; the line is written in the background (see flush). */
  write(record: DeadLetterRecord): void;
  /** Resolves once every line written so far is on disk or stderr. */
  flush(): Promise<void>;
}

export interface DeadLetterWriterOptions {
  /** Unset: the default file in `defaultDir`, when that directory exists and is writable. */
  readonly path?: string;
  /** Rotate when the next line would pass this size. Default 100 MiB. */
  readonly maxBytes?: number;
  /** Rotated files kept. Default 4. */
  readonly maxFiles?: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Default DEFAULT_DEAD_LETTER_DIR (tests point it elsewhere). */
  readonly defaultDir?: string;
  /** Where lines go when no file can take them. Default process.stderr. */
  readonly stderr?: NodeJS.WritableStream;
}

/** One dead-letter line (with its newline); `payload` is embedded as JSON, not as a string. */
export function deadLetterLine(record: DeadLetterRecord, timeMs: number): string {
  const head = JSON.stringify({
    time: new Date(timeMs).toISOString(),
    receiver: record.receiver,
    reason: record.reason,
    error: record.error,
    attempts: record.attempts,
    event: record.event,
  });
  return `${head.slice(0, -1)},"payload":${record.payload ?? 'null'}}\n`;
}

const STDERR_MARK = '{"msg":"Dead letter.",';

/** The line as written to stderr: marked so it can be told from log lines. */
export function stderrLine(line: string): string {
  return `${STDERR_MARK}${line.slice(1)}`;
}

const MiB = 1024 * 1024;

class FileDeadLetter implements DeadLetterWriter {
  readonly description: string;
  private pending: string[] = [];
  private writing: Promise<void> = Promise.resolve();
  private scheduled = false;
  private failing = false;
  private readonly file: RotatingFile;

  constructor(
    path: string,
    maxBytes: number,
    maxFiles: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly stderr: NodeJS.WritableStream,
  ) {
    this.description = `file ${path}`;
    this.file = new RotatingFile({
      path,
      maxSizeMb: maxBytes / MiB,
      maxBackups: maxFiles,
      maxAgeDays: 0,
      clock,
    });
  }

  write(record: DeadLetterRecord): void {
    this.pending.push(deadLetterLine(record, this.clock.now()));
    if (this.scheduled) return;
    this.scheduled = true;
    this.writing = this.writing.then(() => this.writePending());
  }

  async flush(): Promise<void> {
    do await this.writing;
    while (this.scheduled);
  }

  private async writePending(): Promise<void> {
    this.scheduled = false;
    const lines = this.pending.map((l) => Buffer.from(l));
    this.pending = [];
    let done = 0;
    try {
      while (done < lines.length) done += await this.file.writeSome(lines, done);
      if (this.failing)
        this.logger.info({ deadLetter: this.description }, 'Dead-letter file writable again.');
      this.failing = false;
    } catch (err) {
      // A full disk or a lost volume must not lose them: stderr keeps what the file could not.
      for (const line of lines.slice(done)) this.stderr.write(stderrLine(line.toString()));
      if (!this.failing) {
        this.logger.error(
          { err, events: lines.length - done, deadLetter: this.description },
          'Cannot write to the dead-letter file; writing dead letters to stderr until it works again.',
        );
      }
      this.failing = true;
    } finally {
      // Closed between bursts: no descriptor held by writers a config reload replaced.
      await this.file.close().catch(() => undefined);
    }
  }
}

class StderrDeadLetter implements DeadLetterWriter {
  readonly description = 'stderr';

  constructor(
    private readonly clock: Clock,
    private readonly stderr: NodeJS.WritableStream,
  ) {}

  write(record: DeadLetterRecord): void {
    this.stderr.write(stderrLine(deadLetterLine(record, this.clock.now())));
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }
}

function writableDir(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The file a writer without `path` uses: undefined when the dead-letter volume is not there. */
export function defaultDeadLetterPath(dir: string = DEFAULT_DEAD_LETTER_DIR): string | undefined {
  return writableDir(dir) ? join(dir, DEFAULT_DEAD_LETTER_FILE) : undefined;
}

export function createDeadLetterWriter(options: DeadLetterWriterOptions): DeadLetterWriter {
  const stderr = options.stderr ?? process.stderr;
  const path = options.path ?? defaultDeadLetterPath(options.defaultDir);
  if (path === undefined) return new StderrDeadLetter(options.clock, stderr);
  return new FileDeadLetter(
    path,
    options.maxBytes ?? DEAD_LETTER_DEFAULTS.maxBytes,
    options.maxFiles ?? DEAD_LETTER_DEFAULTS.maxFiles,
    options.clock,
    options.logger,
    stderr,
  );
}
