// A size-rotated append-only file with lumberjack's semantics (what the exporter's file sink
// uses): rotate when the next write would pass the size; the old file is renamed to
// `name-2006-01-02T15-04-05.000.ext` (UTC); keep at most `maxBackups` backups and none older
// than `maxAgeDays`. No npm package names backups and prunes them the lumberjack way, so it is
// written here, small.
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Clock } from '../../util/clock.ts';

export interface RotatingFileOptions {
  readonly path: string;
  /** lumberjack's MaxSize in megabytes; 0 = its default of 100. */
  readonly maxSizeMb: number;
  /** 0 keeps every backup. */
  readonly maxBackups: number;
  /** 0 keeps backups whatever their age. */
  readonly maxAgeDays: number;
  readonly clock: Clock;
}

const MB = 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;
const STAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})\.(\d{3})$/;

export class WriteTooLargeError extends Error {
  readonly code = 'E_WRITE_TOO_LARGE';
}

/** lumberjack's backup time format, 2006-01-02T15-04-05.000, in UTC. */
export function backupStamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23).replace(/:/g, '-');
}

/** The time in a backup's name, or undefined when the name is not one of this file's backups. */
export function backupTime(fileName: string, prefix: string, ext: string): number | undefined {
  if (
    !fileName.startsWith(prefix) ||
    !fileName.endsWith(ext) ||
    fileName.length <= prefix.length + ext.length
  )
    return undefined;
  const m = STAMP.exec(fileName.slice(prefix.length, fileName.length - ext.length));
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, ms] = m.map(Number) as number[];
  return Date.UTC(y as number, (mo as number) - 1, d, h, mi, s, ms);
}

export class RotatingFile {
  private handle: FileHandle | undefined;
  private size = 0;
  readonly maxBytes: number;
  private readonly prefix: string;
  private readonly ext: string;

  constructor(private readonly options: RotatingFileOptions) {
    this.maxBytes = (options.maxSizeMb === 0 ? 100 : options.maxSizeMb) * MB;
    const name = basename(options.path);
    this.ext = extname(name);
    this.prefix = `${name.slice(0, name.length - this.ext.length)}-`;
  }

  /** Appends `data` whole to one file, rotating first when it would pass the size. */
  async write(data: Buffer): Promise<void> {
    await this.writeSome([data], 0);
  }

  /**
   * Appends `lines[from]` (rotating first when it would pass the size) and the lines after it
   * that still fit in the same file, in one write, as lumberjack would with one write per line.
   * Returns how many lines were written (at least 1).
   */
  async writeSome(lines: readonly Buffer[], from: number): Promise<number> {
    const first = lines[from] as Buffer;
    if (first.length > this.maxBytes) {
      throw new WriteTooLargeError(`write length ${first.length} exceeds maximum file size ${this.maxBytes}`);
    }
    if (this.handle === undefined) await this.openExistingOrNew(first.length);
    else if (this.size + first.length > this.maxBytes) await this.rotate();
    let end = from + 1;
    let bytes = first.length;
    for (; end < lines.length; end++) {
      const next = (lines[end] as Buffer).length;
      if (this.size + bytes + next > this.maxBytes) break;
      bytes += next;
    }
    const chunk = end === from + 1 ? first : Buffer.concat(lines.slice(from, end), bytes);
    await (this.handle as FileHandle).write(chunk);
    this.size += bytes;
    return end - from;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  private async openExistingOrNew(writeLen: number): Promise<void> {
    await this.prune();
    const info = await stat(this.options.path).catch(() => undefined);
    if (info === undefined) return this.openNew();
    if (info.size + writeLen >= this.maxBytes) return this.rotate();
    this.handle = await open(this.options.path, 'a');
    this.size = info.size;
  }

  private async rotate(): Promise<void> {
    await this.close();
    await this.openNew();
    await this.prune();
  }

  private async openNew(): Promise<void> {
    const { path } = this.options;
    await mkdir(dirname(path), { recursive: true });
    const info = await stat(path).catch(() => undefined);
    if (info !== undefined) await rename(path, await this.freeBackupName());
    this.handle = await open(path, 'w', info?.mode ?? 0o600);
    this.size = 0;
  }

  // lumberjack would overwrite a backup made in the same millisecond; we move on by a millisecond.
  private async freeBackupName(): Promise<string> {
    const dir = dirname(this.options.path);
    for (let ms = this.options.clock.now(); ; ms++) {
      const candidate = join(dir, `${this.prefix}${backupStamp(ms)}${this.ext}`);
      if ((await stat(candidate).catch(() => undefined)) === undefined) return candidate;
    }
  }

  /** lumberjack's mill: newest first, drop beyond maxBackups, then those older than maxAge. */
  private async prune(): Promise<void> {
    const { maxBackups, maxAgeDays, clock } = this.options;
    if (maxBackups === 0 && maxAgeDays === 0) return;
    const backups = await this.backups();
    let remove = maxBackups > 0 ? backups.slice(maxBackups) : [];
    const kept = maxBackups > 0 ? backups.slice(0, maxBackups) : backups;
    if (maxAgeDays > 0) {
      const cutoff = clock.now() - maxAgeDays * DAY_MS;
      remove = [...remove, ...kept.filter((b) => b.time < cutoff)];
    }
    await Promise.all(remove.map((b) => unlink(b.path).catch(() => undefined)));
  }

  private async backups(): Promise<{ path: string; time: number }[]> {
    const dir = dirname(this.options.path);
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const out: { path: string; time: number }[] = [];
    for (const entry of entries) {
      const time = entry.isFile() ? backupTime(entry.name, this.prefix, this.ext) : undefined;
      if (time !== undefined) out.push({ path: join(dir, entry.name), time });
    }
    return out.sort((a, b) => b.time - a.time);
  }
}
