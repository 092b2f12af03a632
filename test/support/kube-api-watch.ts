// The watch half of the protocol: headers flushed at once, one JSON object per line, replay from a
// resourceVersion, bookmarks, 410 Expired for compacted history, `timeoutSeconds` ending the stream.
import type { ServerResponse } from 'node:http';
import type { Selector } from './kube-api-selectors.ts';
import {
  apiVersionOf,
  ApiStatusError,
  metaString,
  type Change,
  type ObjectStore,
  type ResourceType,
} from './kube-api-store.ts';

export interface WatchRequest {
  readonly type: ResourceType;
  readonly namespace: string | undefined;
  readonly resourceVersion: string | null;
  readonly bookmarks: boolean;
  readonly timeoutSeconds: number | undefined;
  readonly selector: Selector;
}

export interface OpenWatch {
  readonly request: WatchRequest;
  bookmark(): void;
  /** Cuts the connection without a clean end, as a broken network or a restarted apiserver does. */
  drop(): void;
  /** Ends the stream cleanly, as `timeoutSeconds` does. */
  end(): void;
  /** Sends an ERROR 410 Expired line and ends, as a watch cache that fell behind does. */
  expire(): void;
  /** Writes `line` as is (a test of garbage in the stream). */
  raw(line: string): void;
}

export class WatchHub {
  private readonly open = new Set<OpenWatch>();

  constructor(
    private readonly store: ObjectStore,
    private readonly defaultTimeoutSeconds: number,
  ) {}

  get count(): number {
    return this.open.size;
  }

  bookmarkAll(): void {
    for (const w of this.open) w.bookmark();
  }

  dropAll(): void {
    for (const w of [...this.open]) w.drop();
  }

  endAll(): void {
    for (const w of [...this.open]) w.end();
  }

  expireAll(): void {
    for (const w of [...this.open]) w.expire();
  }

  rawAll(line: string): void {
    for (const w of this.open) w.raw(line);
  }

  serve(req: WatchRequest, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    const write = (type: string, object: unknown): void => {
      if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify({ type, object })}\n`);
    };
    const initial = this.initialChanges(req);
    if (initial === 'expired') {
      write('ERROR', expired(req.resourceVersion ?? '', this.store.compactedResourceVersion).toStatus());
      res.end();
      return;
    }
    const inScope = (change: Change): boolean =>
      (req.namespace === undefined || metaString(change.object, 'namespace') === req.namespace) &&
      req.selector(change.object);
    const key = `${req.type.group}/${req.type.plural}`;
    // Replay and subscribe in one tick, so no change falls between them.
    for (const change of initial) if (inScope(change)) write(change.type, change.object);
    const unsubscribe = this.store.subscribe((change) => {
      if (change.resource === key && inScope(change)) write(change.type, change.object);
    });
    const timeoutSeconds = req.timeoutSeconds ?? this.defaultTimeoutSeconds;
    const timer = setTimeout(() => watch.end(), timeoutSeconds * 1000);
    const watch: OpenWatch = {
      request: req,
      bookmark: () => {
        if (!req.bookmarks) return;
        write('BOOKMARK', {
          kind: req.type.kind,
          apiVersion: apiVersionOf(req.type),
          metadata: { resourceVersion: String(this.store.resourceVersion) },
        });
      },
      drop: () => {
        cleanup();
        res.socket?.destroy();
        res.destroy();
      },
      end: () => {
        cleanup();
        res.end();
      },
      expire: () => {
        write('ERROR', expired(req.resourceVersion ?? '', this.store.resourceVersion).toStatus());
        watch.end();
      },
      raw: (line) => {
        if (!res.writableEnded && !res.destroyed) res.write(`${line}\n`);
      },
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      unsubscribe();
      this.open.delete(watch);
    };
    res.on('close', cleanup);
    this.open.add(watch);
  }

  private initialChanges(req: WatchRequest): readonly Change[] | 'expired' {
    const rv = req.resourceVersion;
    if (rv === null || rv === '' || rv === '0') {
      // No resourceVersion: the current state as synthetic ADDED events, then changes.
      return this.store.list(req.type, req.namespace).map((object) => ({
        rv: Number(object.metadata['resourceVersion']),
        resource: '',
        type: 'ADDED' as const,
        object,
      }));
    }
    const n = Number(rv);
    if (!Number.isInteger(n)) throw new ApiStatusError(400, 'BadRequest', `invalid resource version: ${rv}`);
    return this.store.changesSince(req.type, n) ?? 'expired';
  }
}

export function expired(rv: string, compactedRv: number): ApiStatusError {
  return new ApiStatusError(410, 'Expired', `too old resource version: ${rv} (${compactedRv})`);
}
