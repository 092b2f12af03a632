// Config reload: when the file changes, a valid config is swapped in (new outputs for it, the
// old ones drain what they hold); an invalid one is logged and the running one stays.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfigError, loadConfigFile } from '../config/load.ts';
import type { LoadedConfig } from '../config/schema.ts';
import { watchConfigFile } from './config-watch.ts';
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
  const { options, clock, logger, metrics } = core;
  const retiring = new Map<RouterOutput, Promise<void>>();
  let loadedHash = core.loaded.hash;
  // The content last tried: a change event for content already tried (written twice, or an
  // event that was not a change) is neither reloaded nor reported again.
  let triedContent: string | undefined;
  const swapIn = async (next: LoadedConfig): Promise<void> => {
    const outputs = await outputsFor(next.config);
    const previous = router.current.outputs;
    const previousSettleMs = settleMs(router.current.config);
    router.swap({ config: next.config, outputs });
    loadedHash = next.hash;
    metrics.configReloaded('success');
    metrics.configLoaded(next.hash);
    for (const warning of next.warnings) logger.warn({ warning }, 'Config warning.');
    logger.info({ hash: next.hash, receivers: next.config.receivers.map((r) => r.name) }, 'Config reloaded.');
    // The replaced outputs deliver what they hold, then close: a reload loses nothing.
    for (const output of previous.values()) {
      const drained = output.drain(clock.now() + previousSettleMs).finally(() => retiring.delete(output));
      retiring.set(output, drained);
    }
  };
  const reloadOnce = async (): Promise<void> => {
    const content = await contentKey(options.configPath);
    if (content === triedContent) {
      logger.debug('Config file event, but its content was already tried; nothing to reload.');
      return;
    }
    triedContent = content;
    let next: LoadedConfig;
    try {
      next = await loadConfigFile(options.configPath, options.env);
    } catch (err) {
      failed(err);
      return;
    }
    if (next.hash !== loadedHash) await swapIn(next);
  };
  const failed = (err: unknown): void => {
    metrics.configReloaded('failure');
    const problems =
      err instanceof ConfigError ? err.lines : [err instanceof Error ? err.message : String(err)];
    logger.error({ problems }, 'Config reload failed; the running config stays in force.');
  };
  // One reload at a time, in the order the changes came: two must not swap out of order.
  let queue = Promise.resolve();
  const reload = (): Promise<void> => (queue = queue.then(reloadOnce).catch(failed));
  const watcher =
    options.watchConfig === false
      ? undefined
      : watchConfigFile(options.configPath, clock, () => void reload());
  return {
    reload,
    close: () => watcher?.close(),
    retired: async (deadlineAtMs) => {
      if (deadlineAtMs !== undefined) for (const output of retiring.keys()) void output.drain(deadlineAtMs);
      await Promise.all(retiring.values());
    },
  };
}
