// Config reload: when the file changes, a valid config is swapped in (new outputs for it, the
// old ones drain what they hold); an invalid one is logged and the running one stays.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfigError, loadConfigFile } from '../config/load.ts';
import type { LoadedConfig } from '../config/schema.ts';
import { watchConfigFile, type ConfigWatcher } from './config-watch.ts';
import type { OutputsFor } from './outputs.ts';
import type { Router, RouterOutput } from './pipeline.ts';
import { settleMs } from './shutdown.ts';
import type { AppCore } from './types.ts';

export interface Reloader {
  reload(): Promise<void>;
  /** Stops watching the file. */
  close(): void;
  /** Resolves when every output replaced so far has drained; `deadlineAtMs` hurries them (SIGTERM). */
  retired(deadlineAtMs?: number): Promise<void>;
}

/** What the file holds now, as a hash (or why it cannot be read): the same content is tried once. */
async function contentKey(path: string): Promise<string> {
  try {
    return createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  } catch (err) {
    return `unreadable: ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
  }
}

/** Watches the config file unless `watchConfig` is false; `reload()` reloads at once. */
export function startReloader(core: AppCore, router: Router, outputsFor: OutputsFor): Reloader {
  return new ConfigReloader(core, router, outputsFor);
}

class ConfigReloader implements Reloader {
  private readonly retiring = new Map<RouterOutput, Promise<void>>();
  private loadedHash: string;
  // The content last tried: a change event for content already tried (written twice, or an
  // event that was not a change) is neither reloaded nor reported again.
  private triedContent: string | undefined;
  // One reload at a time, in the order the changes came: two must not swap out of order.
  private queue = Promise.resolve();
  private readonly watcher: ConfigWatcher | undefined;

  constructor(
    private readonly core: AppCore,
    private readonly router: Router,
    private readonly outputsFor: OutputsFor,
  ) {
    const { options, clock } = core;
    this.loadedHash = core.loaded.hash;
    this.watcher =
      options.watchConfig === false
        ? undefined
        : watchConfigFile(options.configPath, clock, () => void this.reload());
  }

  reload(): Promise<void> {
    this.queue = this.queue.then(() => this.reloadOnce()).catch((err: unknown) => this.failed(err));
    return this.queue;
  }

  close(): void {
    this.watcher?.close();
  }

  async retired(deadlineAtMs?: number): Promise<void> {
    if (deadlineAtMs !== undefined)
      for (const output of this.retiring.keys()) void output.drain(deadlineAtMs);
    await Promise.all(this.retiring.values());
  }

  private async reloadOnce(): Promise<void> {
    const { options, logger } = this.core;
    const content = await contentKey(options.configPath);
    if (content === this.triedContent) {
      logger.debug('Config file event, but its content was already tried; nothing to reload.');
      return;
    }
    this.triedContent = content;
    let next: LoadedConfig;
    try {
      next = await loadConfigFile(options.configPath, options.env);
    } catch (err) {
      this.failed(err);
      return;
    }
    if (next.hash !== this.loadedHash) await this.swapIn(next);
  }

  private failed(err: unknown): void {
    this.core.metrics.configReloaded('failure');
    const problems =
      err instanceof ConfigError ? err.lines : [err instanceof Error ? err.message : String(err)];
    this.core.logger.error({ problems }, 'Config reload failed; the running config stays in force.');
  }

  private async swapIn(next: LoadedConfig): Promise<void> {
    const { clock, logger, metrics } = this.core;
    const outputs = await this.outputsFor(next.config);
    const previous = this.router.current.outputs;
    const previousSettleMs = settleMs(this.router.current.config);
    this.router.swap({ config: next.config, outputs });
    this.loadedHash = next.hash;
    metrics.configReloaded('success');
    metrics.configLoaded(next.hash);
    for (const warning of next.warnings) logger.warn({ warning }, 'Config warning.');
    logger.info({ hash: next.hash, receivers: next.config.receivers.map((r) => r.name) }, 'Config reloaded.');
    // The replaced outputs deliver what they hold, then close: a reload loses nothing.
    for (const output of previous.values()) {
      const drained = output
        .drain(clock.now() + previousSettleMs)
        .finally(() => this.retiring.delete(output));
      this.retiring.set(output, drained);
    }
  }
}
