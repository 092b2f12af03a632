// A directory laid out as kubelet mounts a ConfigMap: `config.yaml -> ..data/config.yaml`,
// `..data -> ..<timestamped dir>`; an update writes a new directory and renames a `..data_tmp`
// symlink over `..data` (atomic), then removes the old directory.
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class ConfigMapDir {
  readonly dir: string;
  readonly configPath: string;
  private version = 0;
  private current: string | undefined;

  constructor(text: string) {
    this.dir = mkdtempSync(join(tmpdir(), 'ker-configmap-'));
    this.configPath = join(this.dir, 'config.yaml');
    this.update(text);
    symlinkSync(join('..data', 'config.yaml'), this.configPath);
  }

  /** Publishes `text` as kubelet does, through the `..data` swap. */
  update(text: string): void {
    const name = `..2026_01_01_00_00_00.${++this.version}`;
    mkdirSync(join(this.dir, name));
    writeFileSync(join(this.dir, name, 'config.yaml'), text);
    symlinkSync(name, join(this.dir, '..data_tmp'));
    renameSync(join(this.dir, '..data_tmp'), join(this.dir, '..data'));
    if (this.current !== undefined) rmSync(join(this.dir, this.current), { recursive: true });
    this.current = name;
  }
}
