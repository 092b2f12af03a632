// Which cluster to talk to, found as kubectl finds it: `--kubeconfig`, then `KUBECONFIG` (a list of
// files, merged with the first definition of a name winning), then the pod's service account,
// then ~/.kube/config.
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeconfigError } from './errors.ts';

export { KubeconfigError };

export const KUBECONFIG_ORIGINS = ['flag', 'KUBECONFIG', 'in-cluster', 'home'] as const;
export type KubeconfigOrigin = (typeof KUBECONFIG_ORIGINS)[number];

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubeconfigOptions {
  /** `--kubeconfig`: this file only; an error when it cannot be read. */
  readonly kubeconfig?: string;
  /** `--context`: overrides the file's current-context. */
  readonly context?: string;
  /** Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default `os.homedir()`. */
  readonly homeDir?: string;
  /** Prepended to the service account directory; tests point it at a temporary tree. */
  readonly rootPrefix?: string;
}

export interface ResolvedKubeconfig {
  readonly kubeConfig: KubeConfig;
  readonly origin: KubeconfigOrigin;
  /** The files read, in order (empty for in-cluster). */
  readonly files: readonly string[];
}

function loadFile(file: string): KubeConfig {
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(file);
  } catch (err) {
    throw new KubeconfigError(`cannot read kubeconfig ${file}: ${(err as Error).message}`, { cause: err });
  }
  return kc;
}

/** kubectl's merge: clusters, users and contexts by name, the first file that defines one wins. */
function mergeFiles(files: readonly string[]): KubeConfig {
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext = '';
  for (const file of files) {
    const kc = loadFile(file);
    for (const c of kc.clusters) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.users) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.contexts) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (currentContext === '' && kc.currentContext) currentContext = kc.currentContext;
  }
  const merged = new KubeConfig();
  merged.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext,
  });
  return merged;
}

function inCluster(
  env: Readonly<Record<string, string | undefined>>,
  rootPrefix: string,
): KubeConfig | undefined {
  const host = env['KUBERNETES_SERVICE_HOST'];
  const port = env['KUBERNETES_SERVICE_PORT'];
  if (!host || !port || !existsSync(`${rootPrefix}${SERVICE_ACCOUNT_DIR}/token`)) return undefined;
  // client-node reads the host and port from process.env itself.
  const saved = {
    host: process.env['KUBERNETES_SERVICE_HOST'],
    port: process.env['KUBERNETES_SERVICE_PORT'],
  };
  process.env['KUBERNETES_SERVICE_HOST'] = host;
  process.env['KUBERNETES_SERVICE_PORT'] = port;
  try {
    const kc = new KubeConfig();
    kc.loadFromCluster(rootPrefix);
    return kc;
  } finally {
    restoreEnv('KUBERNETES_SERVICE_HOST', saved.host);
    restoreEnv('KUBERNETES_SERVICE_PORT', saved.port);
  }
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) Reflect.deleteProperty(process.env, name);
  else process.env[name] = value;
}

function resolveUnchecked(options: KubeconfigOptions): ResolvedKubeconfig {
  const env = options.env ?? process.env;
  if (options.kubeconfig)
    return { kubeConfig: loadFile(options.kubeconfig), origin: 'flag', files: [options.kubeconfig] };
  const listed = (env['KUBECONFIG'] ?? '').split(delimiter).filter((f) => f !== '');
  if (listed.length > 0) {
    // kubectl skips files of the list that do not exist.
    const files = listed.filter((f) => existsSync(f));
    if (files.length === 0)
      throw new KubeconfigError(`none of the files in KUBECONFIG exists: ${listed.join(delimiter)}`);
    return { kubeConfig: mergeFiles(files), origin: 'KUBECONFIG', files };
  }
  const cluster = inCluster(env, options.rootPrefix ?? '');
  if (cluster !== undefined) return { kubeConfig: cluster, origin: 'in-cluster', files: [] };
  const home = join(options.homeDir ?? homedir(), '.kube', 'config');
  if (existsSync(home)) return { kubeConfig: loadFile(home), origin: 'home', files: [home] };
  throw new KubeconfigError(
    'no Kubernetes configuration found: pass --kubeconfig, set KUBECONFIG, run in a pod with a service account, or create ~/.kube/config',
  );
}

/** Finds and reads the kubeconfig; throws KubeconfigError naming what was tried and why it failed. */
export function resolveKubeconfig(options: KubeconfigOptions = {}): ResolvedKubeconfig {
  const resolved = resolveUnchecked(options);
  const kc = resolved.kubeConfig;
  if (options.context !== undefined) {
    if (kc.getContextObject(options.context) === null)
      throw new KubeconfigError(`context "${options.context}" not found in ${describe(resolved)}`);
    kc.setCurrentContext(options.context);
  }
  if (kc.getCurrentCluster() === null) {
    throw new KubeconfigError(
      `no current cluster in ${describe(resolved)} (current-context "${kc.getCurrentContext()}")`,
    );
  }
  return resolved;
}

function describe(resolved: ResolvedKubeconfig): string {
  return resolved.files.length > 0 ? resolved.files.join(delimiter) : 'the in-cluster configuration';
}
