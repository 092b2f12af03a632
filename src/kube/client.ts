// The router's one way to the API: the resolved kubeconfig, typed client-node APIs and raw
// requests, every call through one token bucket (`kubeQPS`, `kubeBurst`).
import {
  CoreV1Api,
  createConfiguration,
  ServerConfiguration,
  type Configuration,
  type KubeConfig,
} from '@kubernetes/client-node';
import { systemClock, type Clock } from '../util/clock.ts';
import { resolveKubeconfig, type KubeconfigOptions, type KubeconfigOrigin } from './client-config.ts';
import {
  KubeTransportHttp,
  type KubeRequestOptions,
  type KubeResponse,
  type KubeStream,
} from './client-transport.ts';
import { TokenBucket, type RateLimiter } from './rate-limit.ts';

export {
  KubeconfigError,
  resolveKubeconfig,
  type KubeconfigOptions,
  type KubeconfigOrigin,
} from './client-config.ts';
export type { KubeRequestOptions, KubeResponse, KubeStream } from './client-transport.ts';

export interface KubeClientOptions extends KubeconfigOptions {
  /** `kubeQPS` (default 5). */
  readonly qps?: number;
  /** `kubeBurst` (default 10). */
  readonly burst?: number;
  readonly clock?: Clock;
  /** Use this configuration instead of resolving one (tests, embedding). */
  readonly kubeConfig?: KubeConfig;
  /** Share a limiter between clients; default a new TokenBucket from qps/burst. */
  readonly limiter?: RateLimiter;
  /** Called once, when the API first answers a request with success (2xx). */
  readonly onConnected?: () => void;
}

export interface KubeClient {
  readonly kubeConfig: KubeConfig;
  /** Where the configuration came from (`flag`, `KUBECONFIG`, `in-cluster`, `home`, or `given`). */
  readonly origin: KubeconfigOrigin | 'given';
  /** The API server URL. */
  readonly server: string;
  /** The current context's namespace, if it names one. */
  readonly contextNamespace: string | undefined;
  readonly limiter: RateLimiter;
  /** core/v1 through the rate limiter. Note: its models turn timestamps into Date objects. */
  readonly core: CoreV1Api;
  /** Any client-node API class (CoordinationV1Api for leases, ...) through the rate limiter. */
  makeApiClient<T>(apiClass: new (configuration: Configuration) => T): T;
  /** A raw call; `path` may carry a query string. Resolves with any HTTP answer. */
  request(path: string, options?: KubeRequestOptions): Promise<KubeResponse>;
  /** A raw streaming call (watch). */
  stream(path: string, options?: KubeRequestOptions): Promise<KubeStream>;
  /** A GET with an Accept header: the object cache's transport (`KubeTransport` in discovery.ts). */
  get(
    path: string,
    accept: string,
    signal?: AbortSignal,
  ): Promise<{ readonly status: number; readonly body: unknown }>;
  /** Frees pooled connections (open watches end when their signals abort). */
  close(): void;
}

export const DEFAULT_KUBE_QPS = 5;
export const DEFAULT_KUBE_BURST = 10;

/** Resolves the kubeconfig as kubectl does (see client-config.ts) and builds the client. */
export function createKubeClient(options: KubeClientOptions = {}): KubeClient {
  const resolved = options.kubeConfig === undefined ? resolveKubeconfig(options) : undefined;
  const kubeConfig = options.kubeConfig ?? (resolved?.kubeConfig as KubeConfig);
  const limiter =
    options.limiter ??
    new TokenBucket({
      qps: options.qps ?? DEFAULT_KUBE_QPS,
      burst: options.burst ?? DEFAULT_KUBE_BURST,
      clock: options.clock ?? systemClock,
    });
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) throw new Error('kubeconfig has no current cluster');
  const transport = new KubeTransportHttp(kubeConfig, limiter);
  let onConnected = options.onConnected;
  // Reading a kubeconfig proves nothing: only a successful answer says the API is reachable.
  const answered = <T extends { readonly status: number }>(res: T): T => {
    if (onConnected !== undefined && res.status >= 200 && res.status < 300) {
      const connected = onConnected;
      onConnected = undefined;
      connected();
    }
    return res;
  };
  const makeApiClient = <T>(apiClass: new (configuration: Configuration) => T): T =>
    new apiClass(
      createConfiguration({
        baseServer: new ServerConfiguration(cluster.server, {}),
        authMethods: { default: kubeConfig },
        promiseMiddleware: [
          {
            pre: async (context) => {
              await limiter.take();
              return context;
            },
            post: (context) => {
              answered({ status: context.httpStatusCode });
              return Promise.resolve(context);
            },
          },
        ],
      }),
    );
  return {
    kubeConfig,
    origin: resolved?.origin ?? 'given',
    server: cluster.server,
    contextNamespace: kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace,
    limiter,
    core: makeApiClient(CoreV1Api),
    makeApiClient,
    request: async (path, requestOptions) => answered(await transport.request(path, requestOptions)),
    stream: async (path, requestOptions) => answered(await transport.stream(path, requestOptions)),
    get: async (path, accept, signal) => {
      const res = answered(await transport.request(path, { accept, ...(signal ? { signal } : {}) }));
      return { status: res.status, body: res.body };
    },
    close: () => transport.close(),
  };
}
