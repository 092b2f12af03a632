// A Kubernetes API server for tests, speaking the real protocol (no kube-apiserver is packaged for
// Debian or npm, so CI cannot run the real one): discovery, list with paging and selectors, CRUD,
// watch with bookmarks and 410 Expired, metadata-only GETs.
// Checked against kubectl and @kubernetes/client-node in kube-api-server.test.ts.
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ResourceRegistry } from './kube-api-discovery.ts';
import { acceptAs, handleResource, parseResourcePath, type HandlerContext } from './kube-api-handler.ts';
import { ApiStatusError, ObjectStore, type KubeObject, type ResourceType } from './kube-api-store.ts';
import { WatchHub } from './kube-api-watch.ts';

export type { KubeObject, ResourceType } from './kube-api-store.ts';
export { ApiStatusError } from './kube-api-store.ts';

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly accept: string;
  /** When the request arrived (`options.now`, default `Date.now()`). */
  readonly atMs: number;
  readonly watch: boolean;
  /** The kind of the resource addressed, when the path names one. */
  readonly kind: string | undefined;
  /** True when the Accept header asked for PartialObjectMetadata(List). */
  readonly metadataOnly: boolean;
  /** The Authorization header as sent. */
  readonly authorization: string | undefined;
  status: number;
}

export interface KubeApiServerOptions {
  /** Used when a watch gives no `timeoutSeconds` (a real apiserver picks 30–60 min). */
  readonly defaultWatchTimeoutSeconds?: number;
  /** Sends a BOOKMARK to every watch that allows them at this interval; off when undefined. */
  readonly bookmarkIntervalMs?: number;
  /** Replayable history bound; older changes are compacted automatically. */
  readonly maxHistory?: number;
  /** Stamps `RequestRecord.atMs`; a test's ManualClock makes request timing exact. Default Date.now. */
  readonly now?: () => number;
}

type FailMatcher = (record: RequestRecord) => boolean;

export class KubeApiServer {
  readonly store: ObjectStore;
  readonly registry = new ResourceRegistry();
  readonly requests: RequestRecord[] = [];
  private readonly watches: WatchHub;
  private readonly server: Server;
  private readonly forbidden = new Set<string>();
  private failures: { remaining: number; status: number; matches: FailMatcher }[] = [];
  private bookmarkTimer: NodeJS.Timeout | undefined;

  private constructor(private readonly options: KubeApiServerOptions) {
    this.store = new ObjectStore(options.maxHistory);
    this.watches = new WatchHub(this.store, options.defaultWatchTimeoutSeconds ?? 1800);
    this.server = createServer((req, res) => this.onRequest(req, res));
  }

  static async start(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
    const server = new KubeApiServer(options);
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.server.listen(0, '127.0.0.1', () => resolve());
    });
    if (options.bookmarkIntervalMs !== undefined) {
      server.bookmarkTimer = setInterval(() => server.bookmark(), options.bookmarkIntervalMs);
    }
    return server;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Open watch connections. */
  get openWatches(): number {
    return this.watches.count;
  }

  /** Serves a custom resource (CRD) or any other kind, with discovery. */
  registerResource(type: ResourceType): void {
    this.registry.register(type);
  }

  /** Creates an object through the store (a watch sees ADDED). `apiVersion` + `kind` pick the resource. */
  create(obj: KubeObject): KubeObject {
    return this.store.create(this.typeOf(obj), namespaceOf(obj), obj);
  }

  /** Replaces an object (MODIFIED); `metadata.resourceVersion` may be left out. */
  update(obj: KubeObject): KubeObject {
    const type = this.typeOf(obj);
    const { resourceVersion: _ignored, ...metadata } = obj.metadata;
    return this.store.update(type, namespaceOf(obj), String(obj.metadata['name']), { ...obj, metadata });
  }

  delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject {
    return this.store.delete(this.typeOf({ apiVersion, kind, metadata: {} }), namespace, name);
  }

  /** Forgets history: watches and continue tokens from before now get 410 Expired. */
  compact(): void {
    this.store.compact();
  }

  /** Cuts every open watch connection abruptly (no clean end of stream). */
  dropWatches(): void {
    this.watches.dropAll();
  }

  /** Ends every open watch cleanly, as `timeoutSeconds` does. */
  endWatches(): void {
    this.watches.endAll();
  }

  /** Ends every open watch with an in-stream ERROR 410 Expired (the watch cache fell behind). */
  expireWatches(): void {
    this.watches.expireAll();
  }

  /** Writes a raw line into every open watch stream. */
  sendRawWatchLine(line: string): void {
    this.watches.rawAll(line);
  }

  /** Sends a BOOKMARK with the current resourceVersion to every watch that allows them. */
  bookmark(): void {
    this.watches.bookmarkAll();
  }

  /** Answers the next `n` requests (those `matches` selects, default all) with `status`. */
  failNext(n: number, status: number, matches: FailMatcher = () => true): void {
    this.failures.push({ remaining: n, status, matches });
  }

  /** Answers 403 Forbidden for every request on `kindOrPlural` (`Pod` or `pods`). */
  forbid(kindOrPlural: string): void {
    for (const type of this.registry.matching(kindOrPlural)) this.forbidden.add(type.kind);
    this.forbidden.add(kindOrPlural);
  }

  /** Requests matching `filter` (all when omitted). */
  requestsWhere(filter: (r: RequestRecord) => boolean = () => true): RequestRecord[] {
    return this.requests.filter(filter);
  }

  async close(): Promise<void> {
    clearInterval(this.bookmarkTimer);
    this.watches.dropAll();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Writes a kubeconfig for this server to `dir/kubeconfig` and returns its path. */
  async writeKubeconfig(dir: string, namespace = 'default'): Promise<string> {
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'kubeconfig');
    await writeFile(path, kubeconfigYaml(this.url, namespace));
    return path;
  }

  private typeOf(obj: Record<string, unknown>): ResourceType {
    const apiVersion = String(obj['apiVersion'] ?? 'v1');
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const type = this.registry
      .matching(String(obj['kind']))
      .find((t) => t.group === group && t.version === version);
    if (type === undefined) throw new Error(`no resource for ${apiVersion} ${String(obj['kind'])}`);
    return type;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      try {
        this.respond(req, res, text);
      } catch (err) {
        const status =
          err instanceof ApiStatusError ? err : new ApiStatusError(500, 'InternalError', String(err));
        send(res, status.status, status.toStatus());
      }
    });
  }

  private respond(req: IncomingMessage, res: ServerResponse, text: string): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const resource = parseResourcePath(path, this.registry);
    const accept = req.headers.accept ?? '';
    const record: RequestRecord = {
      method: req.method ?? 'GET',
      path,
      query: url.searchParams,
      accept,
      atMs: (this.options.now ?? Date.now)(),
      watch: resource !== undefined && (resource.watch || url.searchParams.get('watch') === 'true'),
      kind: resource?.type.kind,
      metadataOnly: acceptAs(accept) !== 'json',
      authorization: req.headers.authorization,
      status: 200,
    };
    this.requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    this.injectedFailure(record, resource?.type);
    const discovery =
      req.method === 'GET' ? this.registry.document(path, `127.0.0.1:${this.port}`) : undefined;
    if (discovery !== undefined) return send(res, 200, discovery);
    if (resource === undefined)
      throw new ApiStatusError(404, 'NotFound', 'the server could not find the requested resource');
    const body = text === '' ? undefined : (JSON.parse(text) as unknown);
    const answer = handleResource(this.context(), req, res, resource, url.searchParams, body);
    if (answer !== undefined) send(res, answer.status, answer.body);
  }

  private injectedFailure(record: RequestRecord, type: ResourceType | undefined): void {
    const failure = this.failures.find((f) => f.remaining > 0 && f.matches(record));
    if (failure !== undefined) {
      failure.remaining -= 1;
      this.failures = this.failures.filter((f) => f.remaining > 0);
      throw new ApiStatusError(
        failure.status,
        failure.status === 429 ? 'TooManyRequests' : 'InternalError',
        `injected failure ${failure.status}`,
      );
    }
    if (type !== undefined && (this.forbidden.has(type.kind) || this.forbidden.has(type.plural))) {
      throw new ApiStatusError(
        403,
        'Forbidden',
        `${type.plural} is forbidden: User "system:serviceaccount:test:router" cannot ${record.method.toLowerCase()} resource "${type.plural}"`,
      );
    }
  }

  private context(): HandlerContext {
    return {
      store: this.store,
      registry: this.registry,
      watches: this.watches,
      serverAddress: () => `127.0.0.1:${this.port}`,
    };
  }
}

function namespaceOf(obj: KubeObject): string | undefined {
  const ns = obj.metadata['namespace'];
  return typeof ns === 'string' ? ns : undefined;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function kubeconfigYaml(server: string, namespace: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: test',
    '  cluster:',
    `    server: ${server}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    '- name: test',
    '  user:',
    '    token: test-token',
    'contexts:',
    '- name: test',
    '  context:',
    '    cluster: test',
    '    user: test',
    `    namespace: ${namespace}`,
    'current-context: test',
    '',
  ].join('\n');
}
