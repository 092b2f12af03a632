import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock, TimerHandle } from '../util/clock.ts';

export interface ConfigWatcher {
  close(): void;
}

// Editors write in bursts and kubelet swaps the ConfigMap's `..data` symlink in several steps:
// wait for the directory to settle before reading.
const SETTLE_MS = 300;

/**
 * Calls `onChange` after the config file may have changed. Watches the file's directory, not the
 * file: a ConfigMap update replaces a symlink, which a watch on the old inode would never see.
 */
export function watchConfigFile(path: string, clock: Clock, onChange: () => void): ConfigWatcher {
  let timer: TimerHandle | undefined;
  let watcher: FSWatcher | undefined = watch(dirname(path), { persistent: false }, () => {
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
