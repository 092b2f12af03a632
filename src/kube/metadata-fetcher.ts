// Metadata-only GETs of any object (PartialObjectMetadata), the one thing the object cache needs
// from the API. The cache sees only the MetadataFetcher interface, so its unit tests use a fake
// and production uses createMetadataFetcher over a KubeTransport (see kube-transport.ts).
import { systemClock, type Clock } from '../util/clock.ts';
import { createDiscovery, type Discovery, type KubeTransport, type ResourceInfo } from './discovery.ts';

/** Asks for metadata only: the server strips spec and status, which is all enrichment needs. */
export const PARTIAL_OBJECT_METADATA_ACCEPT =
  'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

/** Which object: apiVersion as in involvedObject (empty = core v1), kind, namespace, name. */
export interface ObjectKey {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export const LOOKUP_FAILURES = [
  'timeout',
  'network',
  'serverError',
  'rateLimited',
  'clientError',
  'discovery',
] as const;
export type LookupFailure = (typeof LOOKUP_FAILURES)[number];

export type FetchResult =
  | { readonly status: 'found'; readonly metadata: unknown }
  | { readonly status: 'notFound' }
  | { readonly status: 'forbidden'; readonly message: string }
  /** Discovery does not know this apiVersion and kind (e.g. a CRD not installed). */
  | { readonly status: 'unknownKind' }
  | { readonly status: 'error'; readonly reason: LookupFailure; readonly message: string };

export interface MetadataFetcher {
  /** Never rejects: every failure is a result. `signal` aborts the request (cache timeout). */
  get(key: ObjectKey, signal: AbortSignal): Promise<FetchResult>;
}

/** The request path of one object: `/api/v1/namespaces/ns/pods/name`, `/apis/g/v/nodes/name`. */
export function objectPath(info: ResourceInfo, namespace: string, name: string): string {
  const base = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  const scope = info.namespaced ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${scope}/${info.resource}/${encodeURIComponent(name)}`;
}

function statusMessage(body: unknown, status: number): string {
  if (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { message?: unknown }).message === 'string'
  ) {
    return (body as { message: string }).message;
  }
  return `HTTP ${status}`;
}

/** Classifies an HTTP answer to a metadata GET. */
export function classify(status: number, body: unknown): FetchResult {
  if (status >= 200 && status < 300) {
    const metadata =
      typeof body === 'object' && body !== null ? (body as { metadata?: unknown }).metadata : undefined;
    return { status: 'found', metadata };
  }
  if (status === 404 || status === 410) return { status: 'notFound' };
  if (status === 403) return { status: 'forbidden', message: statusMessage(body, status) };
  const message = statusMessage(body, status);
  if (status === 429) return { status: 'error', reason: 'rateLimited', message };
  if (status >= 500 || status === 408)
    return { status: 'error', reason: status === 408 ? 'timeout' : 'serverError', message };
  return { status: 'error', reason: 'clientError', message };
}

export function failure(err: unknown, signal: AbortSignal, fallback: LookupFailure = 'network'): FetchResult {
  const message = err instanceof Error ? err.message : String(err);
  return { status: 'error', reason: signal.aborted ? 'timeout' : fallback, message };
}

export interface MetadataFetcherOptions {
  /** A KubeClient (src/kube/client.ts) is one. */
  readonly transport: KubeTransport;
  /** Default: a new discovery cache over the same transport. */
  readonly discovery?: Discovery;
  /** For the default discovery's refresh interval. */
  readonly clock?: Clock;
}

export function createMetadataFetcher(options: MetadataFetcherOptions): MetadataFetcher {
  const { transport } = options;
  const discovery = options.discovery ?? createDiscovery({ transport, clock: options.clock ?? systemClock });
  return {
    async get(key, signal) {
      let info: ResourceInfo | undefined;
      try {
        info = await discovery.resolve(key.apiVersion, key.kind, signal);
      } catch (err) {
        return failure(err, signal, 'discovery');
      }
      if (info === undefined) return { status: 'unknownKind' };
      if (info.namespaced && key.namespace === '') return { status: 'notFound' };
      try {
        const answer = await transport.get(
          objectPath(info, key.namespace, key.name),
          PARTIAL_OBJECT_METADATA_ACCEPT,
          signal,
        );
        return classify(answer.status, answer.body);
      } catch (err) {
        return failure(err, signal);
      }
    },
  };
}
