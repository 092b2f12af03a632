// The restart checkpoint (docs/architecture.md): what it holds, how it is read back, and the Checkpointer
// that writes it at most every `checkpoint.intervalMs` and once more on shutdown. The stores are
// in checkpoint-stores.ts, the resume filter in checkpoint-resume.ts.
import type { Logger } from 'pino';
import type { SettleSnapshot } from '../event/settle-tracker.ts';
import type { Clock, TimerHandle } from '../util/clock.ts';

export interface Checkpoint {
  /**
   * A watch position from which nothing accepted is still unsettled: the source's position at
   * the last moment when no occurrence was pending. Undefined when there never was one.
   */
  readonly resourceVersion?: string;
  /** Every occurrence accepted with lastSeen at or before this was delivered or dead-lettered. */
  readonly highWaterMs?: number;
  /** `uid/count` of done occurrences near (and above) the mark: never sent again. */
  readonly boundaryKeys: readonly string[];
  /** RFC 3339, when this checkpoint was written. */
  readonly writtenAt: string;
}

export class CheckpointError extends Error {
  readonly code = 'E_CHECKPOINT';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CheckpointError';
  }
}

export interface CheckpointStore {
  /** Where it is kept, for logs: `configmap ns/name` or `file /path`. */
  readonly description: string;
  /** The stored checkpoint; undefined when there is none yet. Throws CheckpointError when unreadable. */
  read(): Promise<Checkpoint | undefined>;
  write(checkpoint: Checkpoint): Promise<void>;
  /** Whether the place it writes to exists (a ConfigMap the router may not create). */
  exists?(): Promise<boolean>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses stored JSON; a malformed checkpoint is an error (the caller decides to start fresh). */
export function parseCheckpoint(text: string): Checkpoint {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CheckpointError('checkpoint is not JSON', { cause: err });
  }
  if (!isObject(value)) throw new CheckpointError('checkpoint is not a JSON object');
  const { resourceVersion, highWaterMs, boundaryKeys, writtenAt } = value;
  if (resourceVersion !== undefined && typeof resourceVersion !== 'string')
    throw new CheckpointError('checkpoint.resourceVersion must be a string');
  if (highWaterMs !== undefined && !(typeof highWaterMs === 'number' && Number.isFinite(highWaterMs)))
    throw new CheckpointError('checkpoint.highWaterMs must be a number');
  if (!Array.isArray(boundaryKeys) || !boundaryKeys.every((k) => typeof k === 'string'))
    throw new CheckpointError('checkpoint.boundaryKeys must be a list of strings');
  return {
    ...(resourceVersion === undefined ? {} : { resourceVersion }),
    ...(highWaterMs === undefined ? {} : { highWaterMs }),
    boundaryKeys: boundaryKeys as string[],
    writtenAt: typeof writtenAt === 'string' ? writtenAt : '',
  };
}

export function serializeCheckpoint(checkpoint: Checkpoint): string {
  return JSON.stringify(checkpoint);
}

export interface CheckpointerOptions {
  readonly store: CheckpointStore;
  /** The settle tracker's state (SettleTracker.snapshot). */
  readonly snapshot: () => SettleSnapshot;
  /** The source's watch position after the last change the router finished handling. */
  readonly position: () => string | undefined;
  readonly clock: Clock;
  /** Default 5000. */
  readonly intervalMs?: number;
  readonly logger?: Logger;
  /** Writes only while this holds (leader election: a replica that lost the lease must not write). */
  readonly canWrite?: () => boolean;
  /** What a previous run stored: kept until this run has a mark of its own. */
  readonly previous?: Checkpoint;
}

/** Writes the checkpoint every interval when it changed, and on `flush()`. Write errors are logged and retried. */
export class Checkpointer {
  private timer: TimerHandle | undefined;
  private writing: Promise<void> | undefined;
  private lastWritten = '';
  private safePosition: string | undefined;
  private failures = 0;
  private readonly intervalMs: number;

  constructor(private readonly o: CheckpointerOptions) {
    this.intervalMs = o.intervalMs ?? 5000;
    this.safePosition = o.previous?.resourceVersion;
    this.lastWritten = o.previous === undefined ? '' : this.content(o.previous);
  }

  start(): void {
    this.timer ??= this.o.clock.setTimer(() => this.tick(), this.intervalMs);
  }

  /** Stops the timer and writes the final checkpoint (shutdown, after the outputs drained). */
  async flush(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    await this.writing;
    await this.writeNow();
  }

  /** The checkpoint as it would be written now. */
  current(): Checkpoint {
    const snap = this.o.snapshot();
    // The watch position is safe to resume from only when nothing before it is still owed.
    if (snap.pending === 0) this.safePosition = this.o.position() ?? this.safePosition;
    const previous = this.o.previous;
    const highWaterMs = snap.highWaterMs ?? previous?.highWaterMs;
    const boundaryKeys = snap.highWaterMs === undefined ? (previous?.boundaryKeys ?? []) : snap.boundaryKeys;
    return {
      ...(this.safePosition === undefined ? {} : { resourceVersion: this.safePosition }),
      ...(highWaterMs === undefined ? {} : { highWaterMs }),
      boundaryKeys,
      writtenAt: new Date(this.o.clock.now()).toISOString(),
    };
  }

  private tick(): void {
    this.timer = undefined;
    this.writing = this.writeNow().finally(() => {
      this.writing = undefined;
      this.start();
    });
  }

  private content(checkpoint: Checkpoint): string {
    const { writtenAt: _writtenAt, ...rest } = checkpoint;
    return JSON.stringify(rest);
  }

  private async writeNow(): Promise<void> {
    if (this.o.canWrite !== undefined && !this.o.canWrite()) return;
    const checkpoint = this.current();
    const content = this.content(checkpoint);
    if (content === this.lastWritten) return;
    try {
      await this.o.store.write(checkpoint);
      this.lastWritten = content;
      if (this.failures > 0)
        this.o.logger?.info({ store: this.o.store.description }, 'Checkpoint written again.');
      this.failures = 0;
    } catch (err) {
      // Logged on the first failure only; a restart meanwhile repeats more, it loses nothing.
      if (this.failures === 0)
        this.o.logger?.warn(
          { err, store: this.o.store.description },
          'Could not write the checkpoint; retrying each interval.',
        );
      this.failures++;
    }
  }
}
