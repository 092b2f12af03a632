// Where the checkpoint is kept: a ConfigMap in the router's namespace (in cluster), or a local
// file. The ConfigMap is updated with its resourceVersion; on a conflict it is read again and
// the write retried (the last writer wins: only the leader writes). The file is replaced
// atomically (temp file, fsync, rename), so a crash leaves the old or the new one, never half.
import { open, readFile, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import type { KubeClient } from './client.ts';
import {
  CheckpointError,
  parseCheckpoint,
  serializeCheckpoint,
  type Checkpoint,
  type CheckpointStore,
} from './checkpoint.ts';

export const CHECKPOINT_KEY = 'checkpoint.json';
export const DEFAULT_CHECKPOINT_CONFIGMAP = 'kube-event-router-checkpoint';

export interface ConfigMapStoreOptions {
  readonly client: Pick<KubeClient, 'request'>;
  readonly namespace: string;
  /** Default `kube-event-router-checkpoint`. */
  readonly name?: string;
  /**
   * Create the ConfigMap when it is missing. Off by default: the shipped Role grants only
   * get/update on it and manifests/checkpoint.yaml creates it.
   */
  readonly create?: boolean;
  /** Conflicts retried per write. Default 5. */
  readonly maxAttempts?: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function apiMessage(status: number, body: unknown): string {
  return isObject(body) && typeof body['message'] === 'string'
    ? `HTTP ${status}: ${body['message']}`
    : `HTTP ${status}`;
}

class ConfigMapStore implements CheckpointStore {
  readonly description: string;
  private readonly url: string;
  private readonly collection: string;
  private readonly name: string;
  /** The ConfigMap as last read or written, so a write usually needs one call. */
  private last: Record<string, unknown> | undefined;

  constructor(private readonly o: ConfigMapStoreOptions) {
    this.name = o.name ?? DEFAULT_CHECKPOINT_CONFIGMAP;
    this.collection = `/api/v1/namespaces/${encodeURIComponent(o.namespace)}/configmaps`;
    this.url = `${this.collection}/${encodeURIComponent(this.name)}`;
    this.description = `configmap ${o.namespace}/${this.name}`;
  }

  private async fetch(): Promise<Record<string, unknown> | undefined> {
    const res = await this.o.client.request(this.url);
    if (res.status === 404) return undefined;
    if (res.status !== 200 || !isObject(res.body))
      throw new CheckpointError(`read ${this.description}: ${apiMessage(res.status, res.body)}`);
    this.last = res.body;
    return res.body;
  }

  /** False when missing; throws CheckpointError when unreadable (e.g. forbidden). */
  async exists(): Promise<boolean> {
    return (await this.fetch()) !== undefined;
  }

  async read(): Promise<Checkpoint | undefined> {
    const cm = await this.fetch();
    const data = cm !== undefined && isObject(cm['data']) ? cm['data'] : {};
    const text = data[CHECKPOINT_KEY];
    if (typeof text !== 'string' || text === '') return undefined;
    return parseCheckpoint(text);
  }

  async write(checkpoint: Checkpoint): Promise<void> {
    const text = serializeCheckpoint(checkpoint);
    const attempts = this.o.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const current = this.last ?? (await this.fetch());
      const status = current === undefined ? await this.create(text) : await this.replace(current, text);
      if (status === 'ok') return;
      this.last = undefined; // conflict: someone wrote in between; read it again
      if (attempt >= attempts)
        throw new CheckpointError(`write ${this.description}: still conflicting after ${attempts} attempts`);
    }
  }

  private async replace(current: Record<string, unknown>, text: string): Promise<'ok' | 'conflict'> {
    const data = isObject(current['data']) ? current['data'] : {};
    const body = { ...current, data: { ...data, [CHECKPOINT_KEY]: text } };
    const res = await this.o.client.request(this.url, { method: 'PUT', body });
    if (res.status === 409) return 'conflict';
    if (res.status === 404) {
      this.last = undefined;
      return this.create(text);
    }
    if (res.status !== 200 || !isObject(res.body))
      throw new CheckpointError(`write ${this.description}: ${apiMessage(res.status, res.body)}`);
    this.last = res.body;
    return 'ok';
  }

  private async create(text: string): Promise<'ok' | 'conflict'> {
    if (this.o.create !== true) {
      throw new CheckpointError(
        `write ${this.description}: it does not exist (manifests/checkpoint.yaml creates it; the router may only get and update it)`,
      );
    }
    const body = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: this.name, namespace: this.o.namespace },
      data: { [CHECKPOINT_KEY]: text },
    };
    const res = await this.o.client.request(this.collection, { method: 'POST', body });
    if (res.status === 409) return 'conflict';
    if ((res.status !== 201 && res.status !== 200) || !isObject(res.body))
      throw new CheckpointError(`create ${this.description}: ${apiMessage(res.status, res.body)}`);
    this.last = res.body;
    return 'ok';
  }
}

export function createConfigMapStore(options: ConfigMapStoreOptions): CheckpointStore {
  return new ConfigMapStore(options);
}

class FileStore implements CheckpointStore {
  readonly description: string;

  constructor(private readonly path: string) {
    this.description = `file ${path}`;
  }

  async read(): Promise<Checkpoint | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new CheckpointError(`read ${this.description}: ${(err as Error).message}`, { cause: err });
    }
    return parseCheckpoint(text);
  }

  async write(checkpoint: Checkpoint): Promise<void> {
    const temp = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const handle = await open(temp, 'w', 0o600);
      try {
        await handle.writeFile(serializeCheckpoint(checkpoint), 'utf8');
        await handle.sync(); // on disk before the rename makes it the checkpoint
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
    } catch (err) {
      await rm(temp, { force: true });
      throw new CheckpointError(`write ${this.description}: ${(err as Error).message}`, { cause: err });
    }
  }
}

export function createFileStore(path: string): CheckpointStore {
  return new FileStore(path);
}
