// The `kubernetes` event source: list + watch of Events in every namespace, or one list + watch
// per configured namespace, never stopping until the signal aborts (see watch-loop.ts).
import type { Logger } from 'pino';
import type { EventChange, EventSink, EventSource, SourceObserver } from '../sources/types.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import { Backoff, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts';
import type { KubeClient } from './client.ts';
import { ListWatch } from './watch-loop.ts';

export { KubeApiError } from './watch-loop.ts';

export const EVENT_APIS = ['core/v1', 'events.k8s.io/v1'] as const;
export type EventApi = (typeof EVENT_APIS)[number];

export interface KubernetesSourceOptions {
  readonly client: Pick<KubeClient, 'request' | 'stream'>;
  /** Empty = all namespaces (one cluster-wide list + watch). */
  readonly namespaces: readonly string[];
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Asked of the server for each watch; it ends the watch cleanly and we resume. Default 300. */
  readonly watchTimeoutSeconds?: number;
  /** Default 1 s → 30 s, full jitter. */
  readonly backoff?: BackoffPolicy;
  /** Items per list page. Default 500. */
  readonly pageSize?: number;
  /** Which Events API to read; default core/v1 (events.k8s.io/v1 is mapped onto core/v1 fields). */
  readonly api?: EventApi;
  /** Jitter source, [0, 1); tests inject it. */
  readonly random?: () => number;
  /**
   * Where to resume (read when `run` starts): a checkpoint's resourceVersion. Used only when
   * watching all namespaces (one watch, one position).
   */
  readonly initialResourceVersion?: () => string | undefined;
}

/** The Kubernetes source also reports its position, for the checkpoint. */
export interface KubernetesEventSource extends EventSource {
  /** The resourceVersion after the last change handled; undefined with several namespaces. */
  position(): string | undefined;
}

export const DEFAULT_WATCH_TIMEOUT_SECONDS = 300;
export const DEFAULT_PAGE_SIZE = 500;

export function eventsPath(api: EventApi, namespace: string | undefined): string {
  const prefix = api === 'core/v1' ? '/api/v1' : '/apis/events.k8s.io/v1';
  return namespace === undefined
    ? `${prefix}/events`
    : `${prefix}/namespaces/${encodeURIComponent(namespace)}/events`;
}

/** Changes from concurrent watches reach the sink one at a time, in arrival order. */
function serialize(sink: EventSink): EventSink {
  let tail: Promise<void> = Promise.resolve();
  return (change: EventChange) => {
    const next = tail.then(() => sink(change));
    tail = next.catch(() => undefined);
    return next;
  };
}

/** The first `listed` waits for every scope's first list, so readiness means all are listed. */
function listedReporter(
  scopes: number,
  observer: SourceObserver,
): (scope: number) => (count: number) => void {
  const pending = new Set(Array.from({ length: scopes }, (_, i) => i));
  let firstTotal = 0;
  return (scope) => (count) => {
    if (!pending.has(scope)) {
      observer.listed?.(count);
      return;
    }
    pending.delete(scope);
    firstTotal += count;
    if (pending.size === 0) observer.listed?.(firstTotal);
  };
}

export function createKubernetesSource(options: KubernetesSourceOptions): KubernetesEventSource {
  const clock = options.clock ?? systemClock;
  const api = options.api ?? 'core/v1';
  const namespaces = [...new Set(options.namespaces.filter((n) => n !== ''))];
  const scopes: (string | undefined)[] = namespaces.length === 0 ? [undefined] : namespaces;
  let single: ListWatch | undefined;
  return {
    kind: 'kubernetes',
    position: () => single?.position,
    async run(sink, signal, observer = {}) {
      const stop = new AbortController();
      const onAbort = (): void => stop.abort(signal.reason);
      if (signal.aborted) return;
      signal.addEventListener('abort', onAbort, { once: true });
      const serialSink = serialize(sink);
      const listed = listedReporter(scopes.length, observer);
      const resumeAt = scopes.length === 1 ? options.initialResourceVersion?.() : undefined;
      const loops = scopes.map((namespace, index) => {
        const loop = new ListWatch({
          client: options.client,
          path: eventsPath(api, namespace),
          sink: serialSink,
          signal: stop.signal,
          observer,
          clock,
          logger: options.logger?.child({ namespace: namespace ?? '*' }),
          backoff: new Backoff(options.backoff ?? DEFAULT_BACKOFF, options.random),
          watchTimeoutSeconds: options.watchTimeoutSeconds ?? DEFAULT_WATCH_TIMEOUT_SECONDS,
          pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
          onListed: listed(index),
          ...(resumeAt === undefined ? {} : { initialResourceVersion: resumeAt }),
        });
        if (scopes.length === 1) single = loop;
        return loop.run().catch((err: unknown) => {
          // A failing sink stops every scope, then surfaces.
          stop.abort(err);
          throw err;
        });
      });
      try {
        await Promise.all(loops);
      } finally {
        await Promise.allSettled(loops);
        signal.removeEventListener('abort', onAbort);
      }
    },
  };
}
