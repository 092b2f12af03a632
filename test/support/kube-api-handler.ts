// Request routing for the test API server: REST paths → discovery, list, get, create, update,
// patch, delete and watch, with metadata-only answers when the Accept header asks for them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceRegistry } from './kube-api-discovery.ts';
import { parseFieldSelector, parseLabelSelector, type Selector } from './kube-api-selectors.ts';
import { ApiStatusError, type KubeObject, type ObjectStore, type ResourceType } from './kube-api-store.ts';
import { expired, type WatchHub } from './kube-api-watch.ts';

export interface ResourcePath {
  readonly type: ResourceType;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly watch: boolean;
}

export type AcceptAs = 'json' | 'PartialObjectMetadata' | 'PartialObjectMetadataList';

export interface HandlerContext {
  readonly store: ObjectStore;
  readonly registry: ResourceRegistry;
  readonly watches: WatchHub;
  readonly serverAddress: () => string;
}

/** Parses `/api/v1/...` and `/apis/<group>/<version>/...` into a resource and its scope. */
export function parseResourcePath(path: string, registry: ResourceRegistry): ResourcePath | undefined {
  const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/(.+)$/.exec(path);
  if (m === null) return undefined;
  const group = m[2] ?? '';
  const version = m[1] ?? m[3] ?? '';
  let segs = (m[4] ?? '').split('/').filter((s) => s !== '');
  const watch = segs[0] === 'watch';
  if (watch) segs = segs.slice(1);
  let namespace: string | undefined;
  if (segs[0] === 'namespaces' && segs.length >= 3) {
    namespace = decodeURIComponent(segs[1] ?? '');
    segs = segs.slice(2);
  }
  const type = registry.find(group, version, segs[0] ?? '');
  if (type === undefined || segs.length > 2) return undefined;
  const name = segs[1] === undefined ? undefined : decodeURIComponent(segs[1]);
  return { type, namespace: type.namespaced ? namespace : undefined, name, watch };
}

/** The first representation in the Accept header that this server can produce. */
export function acceptAs(header: string | undefined): AcceptAs {
  for (const option of (header ?? '').split(',')) {
    const params = option.split(';').map((p) => p.trim());
    const as = params.find((p) => p.startsWith('as='))?.slice(3);
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return as;
    if (as === undefined && /json|\*\/\*/.test(params[0] ?? '')) return 'json';
  }
  return 'json';
}

function partial(obj: KubeObject): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

interface Page {
  readonly items: KubeObject[];
  readonly resourceVersion: string;
  readonly continueToken: string | undefined;
}

function listPage(ctx: HandlerContext, path: ResourcePath, query: URLSearchParams, selector: Selector): Page {
  let all = ctx.store.list(path.type, path.namespace).filter(selector);
  let rv = String(ctx.store.resourceVersion);
  const token = query.get('continue');
  if (token !== null && token !== '') {
    const { rv: tokenRv, after } = JSON.parse(Buffer.from(token, 'base64url').toString()) as {
      rv: string;
      after: string;
    };
    if (ctx.store.isExpired(Number(tokenRv))) throw expired(tokenRv, ctx.store.compactedResourceVersion);
    rv = tokenRv;
    all = all.slice(firstAfter(all, after));
  }
  const limit = Number(query.get('limit') ?? '0');
  if (!(limit > 0) || all.length <= limit)
    return { items: all, resourceVersion: rv, continueToken: undefined };
  const items = all.slice(0, limit);
  const after = sortKey(items[items.length - 1] as KubeObject);
  return {
    items,
    resourceVersion: rv,
    continueToken: Buffer.from(JSON.stringify({ rv, after })).toString('base64url'),
  };
}

/** Index of the first object whose key sorts after `after` (objects are in key order). */
function firstAfter(objects: readonly KubeObject[], after: string): number {
  let lo = 0;
  let hi = objects.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sortKey(objects[mid] as KubeObject) <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sortKey(obj: KubeObject): string {
  return `${String(obj.metadata['namespace'] ?? '')}/${String(obj.metadata['name'] ?? '')}`;
}

function list(
  ctx: HandlerContext,
  path: ResourcePath,
  query: URLSearchParams,
  as: AcceptAs,
): Record<string, unknown> {
  const selector = selectorOf(query);
  const page = listPage(ctx, path, query, selector);
  const metadata = {
    resourceVersion: page.resourceVersion,
    ...(page.continueToken ? { continue: page.continueToken } : {}),
  };
  if (as !== 'json')
    return {
      kind: 'PartialObjectMetadataList',
      apiVersion: 'meta.k8s.io/v1',
      metadata,
      items: page.items.map(partial),
    };
  const apiVersion = path.type.group === '' ? 'v1' : `${path.type.group}/${path.type.version}`;
  return { kind: `${path.type.kind}List`, apiVersion, metadata, items: page.items };
}

function selectorOf(query: URLSearchParams): Selector {
  const fields = parseFieldSelector(query.get('fieldSelector'));
  const labels = parseLabelSelector(query.get('labelSelector'));
  return (obj) => fields(obj) && labels(obj);
}

/** A JSON merge patch (RFC 7386); strategic merge patches are treated the same on these fields. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out = new Map<string, unknown>(
    typeof target === 'object' && target !== null && !Array.isArray(target) ? Object.entries(target) : [],
  );
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) out.delete(key);
    else out.set(key, mergePatch(out.get(key), value));
  }
  return Object.fromEntries(out);
}

function asObject(body: unknown): KubeObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiStatusError(400, 'BadRequest', 'body must be an object');
  const obj = body as Record<string, unknown>;
  const metadata =
    typeof obj['metadata'] === 'object' && obj['metadata'] !== null
      ? (obj['metadata'] as Record<string, unknown>)
      : {};
  return { ...obj, metadata };
}

/** Serves one resource request; returns the status code and body to send (watch answers itself). */
export function handleResource(
  ctx: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: ResourcePath,
  query: URLSearchParams,
  body: unknown,
): { status: number; body: unknown } | undefined {
  const { store } = ctx;
  const as = acceptAs(req.headers.accept);
  const method = req.method ?? 'GET';
  if (method === 'GET' && (path.watch || query.get('watch') === 'true' || query.get('watch') === '1')) {
    const timeout = query.get('timeoutSeconds');
    const selector = selectorOf(query);
    const byName =
      path.name === undefined
        ? selector
        : (o: KubeObject): boolean => o.metadata['name'] === path.name && selector(o);
    ctx.watches.serve(
      {
        type: path.type,
        namespace: path.namespace,
        resourceVersion: query.get('resourceVersion'),
        bookmarks: query.get('allowWatchBookmarks') === 'true',
        timeoutSeconds: timeout === null ? undefined : Number(timeout),
        selector: byName,
      },
      res,
    );
    return undefined;
  }
  const one = (obj: KubeObject): unknown => (as === 'json' ? obj : partial(obj));
  if (path.name === undefined) {
    if (method === 'GET') return { status: 200, body: list(ctx, path, query, as) };
    if (method === 'POST')
      return { status: 201, body: one(store.create(path.type, path.namespace, asObject(body))) };
  } else {
    if (method === 'GET') return { status: 200, body: one(store.get(path.type, path.namespace, path.name)) };
    if (method === 'PUT')
      return { status: 200, body: one(store.update(path.type, path.namespace, path.name, asObject(body))) };
    if (method === 'PATCH') {
      const current = store.get(path.type, path.namespace, path.name);
      const merged = asObject(mergePatch(current, body));
      merged.metadata['resourceVersion'] = current.metadata['resourceVersion'];
      return { status: 200, body: one(store.update(path.type, path.namespace, path.name, merged)) };
    }
    if (method === 'DELETE')
      return { status: 200, body: one(store.delete(path.type, path.namespace, path.name)) };
  }
  throw new ApiStatusError(405, 'MethodNotAllowed', `method ${method} not allowed`);
}
