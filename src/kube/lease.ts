// The coordination.k8s.io/v1 Lease as leader election reads and writes it: raw JSON through the
// rate-limited client (client-node's models would turn MicroTime into Dates and drop precision),
// every write guarded by resourceVersion so two candidates can never both win.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { KubeClient } from './client.ts';
import { SERVICE_ACCOUNT_DIR } from './client-config.ts';

/** What client-go calls the LeaderElectionRecord, with times in epoch milliseconds. */
export interface LeaseRecord {
  /** '' when nobody holds the lease (released). */
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  readonly acquireTimeMs: number;
  readonly renewTimeMs: number;
  readonly leaseTransitions: number;
}

export interface ObservedLease {
  readonly record: LeaseRecord;
  readonly resourceVersion: string;
  /** The object as read, so an update keeps labels and annotations someone else set. */
  readonly object: Record<string, unknown>;
}

/** An answer from the API other than success or the expected 404/409. */
export class LeaseApiError extends Error {
  readonly code = 'E_LEASE_API';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'LeaseApiError';
  }
}

export const CONFLICT = 'conflict' as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** MicroTime as the API server writes it: RFC 3339 with six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function timeMs(value: unknown): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

export function recordOf(lease: unknown): LeaseRecord {
  const spec = isObject(lease) && isObject(lease['spec']) ? lease['spec'] : {};
  return {
    holderIdentity: typeof spec['holderIdentity'] === 'string' ? spec['holderIdentity'] : '',
    leaseDurationSeconds: num(spec['leaseDurationSeconds']),
    acquireTimeMs: timeMs(spec['acquireTime']),
    renewTimeMs: timeMs(spec['renewTime']),
    leaseTransitions: num(spec['leaseTransitions']),
  };
}

function specOf(record: LeaseRecord): Record<string, unknown> {
  return {
    holderIdentity: record.holderIdentity,
    leaseDurationSeconds: record.leaseDurationSeconds,
    acquireTime: microTime(record.acquireTimeMs),
    renewTime: microTime(record.renewTimeMs),
    leaseTransitions: record.leaseTransitions,
  };
}

function observed(body: unknown, what: string): ObservedLease {
  const meta = isObject(body) && isObject(body['metadata']) ? body['metadata'] : {};
  const rv = meta['resourceVersion'];
  if (!isObject(body) || typeof rv !== 'string')
    throw new LeaseApiError(0, `${what}: the answer is not a Lease`);
  return { record: recordOf(body), resourceVersion: rv, object: body };
}

function failure(status: number, body: unknown, what: string): LeaseApiError {
  const message = isObject(body) && typeof body['message'] === 'string' ? body['message'] : `HTTP ${status}`;
  return new LeaseApiError(status, `${what}: ${message}`);
}

/** Get / create / update of one Lease. A 409 is an answer (someone else wrote first), not an error. */
export class LeaseClient {
  private readonly path: string;

  constructor(
    private readonly client: Pick<KubeClient, 'request'>,
    private readonly namespace: string,
    private readonly name: string,
  ) {
    this.path = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`;
  }

  get description(): string {
    return `${this.namespace}/${this.name}`;
  }

  /** The Lease, or undefined when it does not exist. */
  async get(signal?: AbortSignal): Promise<ObservedLease | undefined> {
    const res = await this.client.request(
      `${this.path}/${encodeURIComponent(this.name)}`,
      signal ? { signal } : {},
    );
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw failure(res.status, res.body, `get lease ${this.description}`);
    return observed(res.body, `get lease ${this.description}`);
  }

  async create(record: LeaseRecord, signal?: AbortSignal): Promise<ObservedLease | typeof CONFLICT> {
    const body = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.name, namespace: this.namespace },
      spec: specOf(record),
    };
    const res = await this.client.request(this.path, { method: 'POST', body, ...(signal ? { signal } : {}) });
    if (res.status === 409) return CONFLICT;
    if (res.status !== 201 && res.status !== 200)
      throw failure(res.status, res.body, `create lease ${this.description}`);
    return observed(res.body, `create lease ${this.description}`);
  }

  /** Replaces the spec of `previous`, guarded by its resourceVersion. */
  async update(
    previous: ObservedLease,
    record: LeaseRecord,
    signal?: AbortSignal,
  ): Promise<ObservedLease | typeof CONFLICT> {
    const meta = isObject(previous.object['metadata']) ? previous.object['metadata'] : {};
    const body = {
      ...previous.object,
      metadata: { ...meta, resourceVersion: previous.resourceVersion },
      spec: { ...(isObject(previous.object['spec']) ? previous.object['spec'] : {}), ...specOf(record) },
    };
    const url = `${this.path}/${encodeURIComponent(this.name)}`;
    const res = await this.client.request(url, { method: 'PUT', body, ...(signal ? { signal } : {}) });
    if (res.status === 409) return CONFLICT;
    if (res.status !== 200) throw failure(res.status, res.body, `update lease ${this.description}`);
    return observed(res.body, `update lease ${this.description}`);
  }
}

export interface PodIdentitySources {
  readonly env?: NodeJS.ProcessEnv;
  /** The kubeconfig context's namespace (KubeClient.contextNamespace). */
  readonly contextNamespace?: string | undefined;
  /** Default: the in-cluster service account's namespace file. */
  readonly namespaceFile?: string;
}

/** POD_NAMESPACE, else the in-cluster namespace file, else the kubeconfig context's, else `default`. */
export function leaseNamespace(sources: PodIdentitySources = {}): string {
  const env = sources.env ?? process.env;
  if (env['POD_NAMESPACE']) return env['POD_NAMESPACE'];
  try {
    const fromFile = readFileSync(sources.namespaceFile ?? `${SERVICE_ACCOUNT_DIR}/namespace`, 'utf8').trim();
    if (fromFile !== '') return fromFile;
  } catch {
    // Not in a cluster: fall through to the kubeconfig.
  }
  return sources.contextNamespace || 'default';
}

/** POD_NAME, else the host name with a random suffix (two processes on one host must differ). */
export function leaderIdentity(env: NodeJS.ProcessEnv = process.env): string {
  if (env['POD_NAME']) return env['POD_NAME'];
  return `${hostname()}_${randomBytes(4).toString('hex')}`;
}
