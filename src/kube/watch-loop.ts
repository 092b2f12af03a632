// One list + watch of Events in one scope (a namespace, or all), kept alive until the signal
// aborts: resume from the last resourceVersion when a watch ends, re-list on 410 Gone, back off
// on anything else. Lines are read only after the sink has taken the previous change.
import type { Logger } from 'pino';
import { MalformedEventError } from '../event/errors.ts';
import { normalizeEvent } from '../event/normalize.ts';
import type { ChangeType, EventSink, SourceObserver } from '../sources/types.ts';
import type { Clock } from '../util/clock.ts';
import type { Backoff } from './backoff.ts';
import type { KubeClient } from './client.ts';

export interface ListWatchOptions {
  readonly client: Pick<KubeClient, 'request' | 'stream'>;
  /** The collection path: `/api/v1/events`, `/api/v1/namespaces/x/events`, ... */
  readonly path: string;
  readonly sink: EventSink;
  readonly signal: AbortSignal;
  readonly observer: SourceObserver;
  readonly clock: Clock;
  readonly logger: Logger | undefined;
  readonly backoff: Backoff;
  readonly watchTimeoutSeconds: number;
  readonly pageSize: number;
  /** Called with the item count after each complete list. */
  readonly onListed: (count: number) => void;
  /**
   * Watch from here instead of listing first (a restart resuming from its checkpoint); if the
   * API server no longer has it (410 Gone), the loop lists as usual.
   */
  readonly initialResourceVersion?: string;
}

/** An answer from the API other than success. */
export class KubeApiError extends Error {
  readonly code = 'E_KUBE_API';
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }

  get gone(): boolean {
    return this.status === 410;
  }
}

/** Wraps a failure of the sink, which is not the API's and must not be retried as one. */
class SinkFailure extends Error {}

type WatchEnd = 'gone' | 'timeout' | 'closed';

/** A watch that delivered nothing and lasted less than this is a failure worth backing off for. */
const MIN_HEALTHY_WATCH_MS = 1000;
/** Time past `timeoutSeconds` after which a silent watch is presumed dead and cut. */
const WATCH_GRACE_MS = 30_000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function statusError(status: number, body: unknown, what: string): KubeApiError {
  const reason = isObject(body) && typeof body['reason'] === 'string' ? body['reason'] : '';
  const message = isObject(body) && typeof body['message'] === 'string' ? body['message'] : `HTTP ${status}`;
  return new KubeApiError(status, reason, `${what}: ${message}`);
}

function resourceVersionOf(obj: unknown): string | undefined {
  const meta = isObject(obj) ? obj['metadata'] : undefined;
  const rv = isObject(meta) ? meta['resourceVersion'] : undefined;
  return typeof rv === 'string' && rv !== '' ? rv : undefined;
}

export class ListWatch {
  private resourceVersion: string | undefined;
  private received = false;
  private malformedLogged = false;

  constructor(private readonly o: ListWatchOptions) {
    this.resourceVersion = o.initialResourceVersion;
  }

  /** The resourceVersion after the last change handed to the sink (a resume point). */
  get position(): string | undefined {
    return this.resourceVersion;
  }

  /** Runs until the signal aborts; rejects only when the sink fails. */
  async run(): Promise<void> {
    const { signal } = this.o;
    // Resuming from a stored position: ready without a list of our own.
    if (this.resourceVersion !== undefined) this.o.onListed(0);
    while (!signal.aborted) {
      try {
        this.resourceVersion ??= await this.list();
        const end = await this.watch(this.resourceVersion);
        this.o.observer.watchRestarted?.(end.reason);
        if (end.reason === 'gone') this.relist();
        else if (end.healthy) this.o.backoff.reset();
        else await this.pause(`Watch ended at once (${end.reason}); resuming.`, undefined);
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof SinkFailure) throw err.cause;
        if (err instanceof KubeApiError && err.gone) {
          this.o.observer.watchRestarted?.('gone');
          this.relist();
          continue;
        }
        this.o.observer.watchRestarted?.('error');
        await this.pause('Watch failed; retrying.', err);
      }
    }
  }

  private relist(): void {
    this.o.logger?.info(
      { path: this.o.path, resourceVersion: this.resourceVersion },
      'Resource version expired (410 Gone); re-listing.',
    );
    this.resourceVersion = undefined;
  }

  private async pause(message: string, err: unknown): Promise<void> {
    const delayMs = this.o.backoff.next();
    this.o.logger?.warn({ path: this.o.path, err, delayMs, resourceVersion: this.resourceVersion }, message);
    try {
      await this.o.clock.sleep(delayMs, this.o.signal);
    } catch {
      // Aborted: the loop condition ends the run.
    }
  }

  /** Lists every page, emitting LISTED as each page arrives; returns the list's resourceVersion. */
  private async list(): Promise<string> {
    let continueToken: string | undefined;
    let listRv: string | undefined;
    let count = 0;
    do {
      const query = new URLSearchParams({ limit: String(this.o.pageSize) });
      if (continueToken !== undefined) query.set('continue', continueToken);
      const res = await this.o.client.request(`${this.o.path}?${query.toString()}`, {
        signal: this.o.signal,
      });
      if (res.status !== 200) throw statusError(res.status, res.body, `list ${this.o.path}`);
      this.o.observer.activity?.();
      const meta = isObject(res.body) && isObject(res.body['metadata']) ? res.body['metadata'] : {};
      const items =
        isObject(res.body) && Array.isArray(res.body['items']) ? (res.body['items'] as unknown[]) : [];
      listRv ??= typeof meta['resourceVersion'] === 'string' ? meta['resourceVersion'] : undefined;
      for (const item of items) if (await this.emit('LISTED', item)) count++;
      continueToken =
        typeof meta['continue'] === 'string' && meta['continue'] !== '' ? meta['continue'] : undefined;
    } while (continueToken !== undefined);
    if (listRv === undefined)
      throw new KubeApiError(0, '', `list ${this.o.path}: no metadata.resourceVersion in the answer`);
    this.o.onListed(count);
    return listRv;
  }

  private async watch(fromRv: string): Promise<{ reason: WatchEnd; healthy: boolean }> {
    const { path, signal, clock } = this.o;
    const query = new URLSearchParams({
      watch: 'true',
      resourceVersion: fromRv,
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(this.o.watchTimeoutSeconds),
    });
    const startedAt = clock.now();
    const stream = await this.o.client.stream(`${path}?${query.toString()}`, { signal });
    if (stream.status !== 200) throw statusError(stream.status, stream.body, `watch ${path}`);
    this.received = false;
    const watchdog = clock.setTimer(() => stream.close(), this.o.watchTimeoutSeconds * 1000 + WATCH_GRACE_MS);
    let reason: WatchEnd;
    try {
      reason = (await this.readLines(stream.lines)) ?? 'closed';
    } catch (err) {
      if (signal.aborted || err instanceof SinkFailure || err instanceof KubeApiError) throw err;
      reason = 'closed'; // cut mid-stream (network, apiserver restart): resume from the last resourceVersion
    } finally {
      watchdog.cancel();
      stream.close();
    }
    const elapsedMs = clock.now() - startedAt;
    if (reason === 'closed' && elapsedMs >= this.o.watchTimeoutSeconds * 1000) reason = 'timeout';
    return { reason, healthy: this.received || elapsedMs >= MIN_HEALTHY_WATCH_MS };
  }

  /** Returns 'gone' on a 410 ERROR line, undefined when the stream ended. */
  private async readLines(lines: AsyncIterable<string>): Promise<WatchEnd | undefined> {
    for await (const line of lines) {
      this.received = true;
      this.o.observer.activity?.();
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        this.malformed('invalid JSON in the watch stream');
        continue;
      }
      if ((await this.onWatchEvent(parsed)) === 'gone') return 'gone';
    }
    return undefined;
  }

  private async onWatchEvent(parsed: unknown): Promise<'gone' | undefined> {
    const type = isObject(parsed) ? parsed['type'] : undefined;
    const object = isObject(parsed) ? parsed['object'] : undefined;
    if (type === 'ERROR') {
      const err = statusError(
        isObject(object) && typeof object['code'] === 'number' ? object['code'] : 500,
        object,
        `watch ${this.o.path}`,
      );
      if (err.gone) return 'gone';
      throw err;
    }
    if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED' && type !== 'BOOKMARK') {
      // Not a watch event: its resourceVersion (if any) is no resume point.
      this.malformed(`unknown watch event type ${JSON.stringify(type)}`);
      return undefined;
    }
    // The server sent this change even if its object is malformed: resume after it.
    this.resourceVersion = resourceVersionOf(object) ?? this.resourceVersion;
    if (type !== 'BOOKMARK') await this.emit(type, object);
    return undefined;
  }

  /** Normalises and hands one item to the sink; false when it was malformed and skipped. */
  private async emit(type: ChangeType, item: unknown): Promise<boolean> {
    let event;
    try {
      event = normalizeEvent(item);
    } catch (err) {
      if (!(err instanceof MalformedEventError)) throw err;
      this.malformed(err.message);
      return false;
    }
    try {
      await this.o.sink({ type, event });
    } catch (err) {
      throw new SinkFailure('sink failed', { cause: err });
    }
    return true;
  }

  private malformed(reason: string): void {
    this.o.observer.malformed?.(reason);
    const level = this.malformedLogged ? 'debug' : 'warn';
    this.malformedLogged = true;
    this.o.logger?.[level]({ path: this.o.path, reason }, 'Skipped an item that is not a readable Event.');
  }
}
