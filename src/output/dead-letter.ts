// Where undeliverable events go: one NDJSON line per event in `deadLetter.path`
// ({time, receiver, reason, error, attempts, event, payload}); with no path, the first event of
// each receiver and reason is logged (every one is counted by the output's observer).
// Appends are chained so lines never interleave, and gathered while a write is running so a
// burst costs few syscalls. Several receivers may share one writer (one per path).
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { RawEvent } from '../event/event.ts';
import type { FailureReason } from '../receivers/types.ts';
import type { Clock } from '../util/clock.ts';

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
  /** Never throws; the line is written in the background (see flush). */
  write(record: DeadLetterRecord): void;
  /** Resolves once every line written so far is on disk (or failed and was logged). */
  flush(): Promise<void>;
}

export interface DeadLetterOptions {
  readonly path?: string;
  readonly clock: Clock;
  readonly logger: Logger;
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

class FileDeadLetter implements DeadLetterWriter {
  private pending: string[] = [];
  private writing: Promise<void> = Promise.resolve();
  private scheduled = false;
  private dirReady = false;

  constructor(
    private readonly path: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

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
    const lines = this.pending;
    this.pending = [];
    try {
      if (!this.dirReady) await mkdir(dirname(this.path), { recursive: true });
      this.dirReady = true;
      await appendFile(this.path, lines.join(''), { mode: 0o600 });
    } catch (err) {
      // Nothing else can hold them: say loudly how many were lost.
      this.logger.error(
        { err, lost: lines.length, path: this.path },
        'Cannot write to the dead-letter file; events lost.',
      );
    }
  }
}

class LogOnlyDeadLetter implements DeadLetterWriter {
  private readonly logged = new Set<string>();

  constructor(private readonly logger: Logger) {}

  write(record: DeadLetterRecord): void {
    const key = `${record.receiver}\u0000${record.reason}`;
    if (this.logged.has(key)) return;
    this.logged.add(key);
    this.logger.error(
      { receiver: record.receiver, reason: record.reason, error: record.error, attempts: record.attempts },
      'Event not delivered and no deadLetter.path is set; further ones for this receiver and reason are only counted.',
    );
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }
}

export function createDeadLetterWriter(options: DeadLetterOptions): DeadLetterWriter {
  return options.path === undefined
    ? new LogOnlyDeadLetter(options.logger)
    : new FileDeadLetter(options.path, options.clock, options.logger);
}
