import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Clock, TimerHandle } from '../util/clock.ts';

export interface ConfigWatcher {
  close(): void;
}

// Editors write in bursts and kubelet swaps the ConfigMap's `..data` symlink in several steps:
// wait for the directory to settle before reading.
const SETTLE_MS = 300;

// Kubernetes mounts a ConfigMap as `config.yaml -> ..data/config.yaml` with `..data` a symlink to a
// timestamped directory; an update writes a new directory, points `..data_tmp` at it and renames
// that over `..data`. The file's own name never changes then: only `..data` does.
const CONFIGMAP_DATA = '..data';

/**
 * Whether a change to `filename` (a name in the config's directory, as fs.watch reports it) may
 * have changed the config: the file itself, or the ConfigMap's `..data` swap. Other files in
 * the directory (a log written next to the config) are not the config.
 */
export function isConfigChange(configPath: string, filename: string | null): boolean {
  // Some platforms do not report the name: then any change may be the config's.
  if (filename === null) return true;
  return filename === basename(configPath) || filename === CONFIGMAP_DATA;
}

/**
 * Calls `onChange` after the config file may have changed. Watches the file's directory, not the
 * file: a ConfigMap update replaces a symlink, which a watch on the old inode would never see;
 * events for the directory's other files are ignored.
 */
export function watchConfigFile(path: string, clock: Clock, onChange: () => void): ConfigWatcher {
  let timer: TimerHandle | undefined;
  let watcher: FSWatcher | undefined = watch(dirname(path), { persistent: false }, (_event, filename) => {
    if (!isConfigChange(path, filename)) return;
    timer?.cancel();
    timer = clock.setTimer(onChange, SETTLE_MS);
  });
  return {
    close(): void {
      timer?.cancel();
      watcher?.close();
      watcher = undefined;
    },
  };
}
