// Config reload: when the file changes, a valid config is swapped in (new outputs for it, the
// old ones drain what they hold); an invalid one is logged and the running one stays.
import { ConfigError, loadConfigFile } from '../config/load.ts';
import { watchConfigFile } from '../config/watch.ts';
import type { LoadedConfig } from '../config/schema.ts';
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

/** Watches the config file unless `watchConfig` is false; `reload()` reloads at once. */
export function startReloader(core: AppCore, router: Router, outputsFor: OutputsFor): Reloader {
  const { options, clock, logger, metrics } = core;
  const retiring = new Map<RouterOutput, Promise<void>>();
  let loadedHash = core.loaded.hash;
  const reload = async (): Promise<void> => {
    let next: LoadedConfig;
    try {
      next = await loadConfigFile(options.configPath, options.env);
    } catch (err) {
      metrics.configReloaded('failure');
      const problems = err instanceof ConfigError ? err.lines : [(err as Error).message];
      logger.error({ problems }, 'Config reload failed; the running config stays in force.');
      return;
    }
    if (next.hash === loadedHash) return;
    const previous = router.current.outputs;
    const previousSettleMs = settleMs(router.current.config);
    router.swap({ config: next.config, outputs: outputsFor(next.config) });
    loadedHash = next.hash;
    metrics.configReloaded('success');
    metrics.configLoaded(next.hash);
    for (const warning of next.warnings) logger.warn({ warning }, 'Config warning.');
    logger.info({ hash: next.hash, receivers: next.config.receivers.map((r) => r.name) }, 'Config reloaded.');
    // The replaced outputs deliver what they hold, then close: a reload loses nothing.
    for (const output of previous.values()) {
      retiring.set(
        output,
        output.drain(clock.now() + previousSettleMs).finally(() => retiring.delete(output)),
      );
    }
  };
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
