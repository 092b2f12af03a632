import { createHash } from 'node:crypto';
import type { RawEvent } from '../event/event.ts';

// A built-in cluster story so the router can be tried with no cluster: a rollout, a crash-looping
// pod, an OOM kill, an unschedulable pod, a node going NotReady and image pull failures, with the
// reasons, messages, components and repeat counts real clusters produce.

export interface DemoObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    name: string;
    namespace?: string;
    uid: string;
    labels?: Record<string, string>;
    ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller: boolean }[];
  };
}

export interface DemoStep {
  /** Offset from the scenario start. */
  readonly atMs: number;
  readonly event: RawEvent;
}

interface Involved {
  kind: string;
  name: string;
  namespace: string;
  apiVersion: string;
  fieldPath?: string;
}

interface Spec {
  atMs: number;
  involved: Involved;
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
  component: string;
  host?: string;
  /** Repeats of the same Event (count grows), each `everyMs` apart. */
  repeats?: number;
  everyMs?: number;
}

export function demoUid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const NODE = 'ip-10-0-3-17.eu-west-1.compute.internal';
const WEB_RS = 'web-7d9f8c6b5';
const WEB_POD = `${WEB_RS}-x2k9q`;
const PAY_RS = 'payments-api-5c6b7f9d8';
const PAY_POD = `${PAY_RS}-hq4mz`;
const WORKER_POD = 'report-worker-6f8d9b7c4-pl2xd';
const BATCH_POD = 'nightly-export-28930560-7rk2v';

function pod(name: string, namespace: string, fieldPath?: string): Involved {
  return {
    kind: 'Pod',
    name,
    namespace,
    apiVersion: 'v1',
    ...(fieldPath === undefined ? {} : { fieldPath }),
  };
}

const node: Involved = { kind: 'Node', name: NODE, namespace: '', apiVersion: 'v1' };

const SPECS: readonly Spec[] = [
  {
    atMs: 0,
    involved: { kind: 'Deployment', name: 'web', namespace: 'shop', apiVersion: 'apps/v1' },
    reason: 'ScalingReplicaSet',
    message: `Scaled up replica set ${WEB_RS} to 1`,
    type: 'Normal',
    component: 'deployment-controller',
  },
  {
    atMs: 40,
    involved: { kind: 'ReplicaSet', name: WEB_RS, namespace: 'shop', apiVersion: 'apps/v1' },
    reason: 'SuccessfulCreate',
    message: `Created pod: ${WEB_POD}`,
    type: 'Normal',
    component: 'replicaset-controller',
  },
  {
    atMs: 90,
    involved: pod(WEB_POD, 'shop'),
    reason: 'Scheduled',
    message: `Successfully assigned shop/${WEB_POD} to ${NODE}`,
    type: 'Normal',
    component: 'default-scheduler',
  },
  {
    atMs: 900,
    involved: pod(WEB_POD, 'shop', 'spec.containers{web}'),
    reason: 'Pulling',
    message: 'Pulling image "nginx:1.27.2"',
    type: 'Normal',
    component: 'kubelet',
    host: NODE,
  },
  {
    atMs: 3400,
    involved: pod(WEB_POD, 'shop', 'spec.containers{web}'),
    reason: 'Pulled',
    message:
      'Successfully pulled image "nginx:1.27.2" in 2.481s (2.481s including waiting). Image size: 72955450 bytes.',
    type: 'Normal',
    component: 'kubelet',
    host: NODE,
  },
  {
    atMs: 3500,
    involved: pod(WEB_POD, 'shop', 'spec.containers{web}'),
    reason: 'Created',
    message: 'Created container web',
    type: 'Normal',
    component: 'kubelet',
    host: NODE,
  },
  {
    atMs: 3600,
    involved: pod(WEB_POD, 'shop', 'spec.containers{web}'),
    reason: 'Started',
    message: 'Started container web',
    type: 'Normal',
    component: 'kubelet',
    host: NODE,
  },
  {
    atMs: 5000,
    involved: pod(PAY_POD, 'payments', 'spec.containers{api}'),
    reason: 'Started',
    message: 'Started container api',
    type: 'Normal',
    component: 'kubelet',
    host: NODE,
  },
  {
    atMs: 9000,
    involved: pod(PAY_POD, 'payments', 'spec.containers{api}'),
    reason: 'BackOff',
    message: `Back-off restarting failed container api in pod ${PAY_POD}_payments(${demoUid(PAY_POD)})`,
    type: 'Warning',
    component: 'kubelet',
    host: NODE,
    repeats: 6,
    everyMs: 20_000,
  },
  {
    atMs: 12_000,
    involved: pod(PAY_POD, 'payments', 'spec.containers{api}'),
    reason: 'Unhealthy',
    message:
      'Liveness probe failed: Get "http://10.0.3.41:8080/healthz": dial tcp 10.0.3.41:8080: connect: connection refused',
    type: 'Warning',
    component: 'kubelet',
    host: NODE,
    repeats: 3,
    everyMs: 10_000,
  },
  {
    atMs: 15_000,
    involved: node,
    reason: 'OOMKilling',
    message:
      'Memory cgroup out of memory: Killed process 48213 (java) total-vm:8392312kB, anon-rss:4193280kB, file-rss:20212kB, shmem-rss:0kB, UID:1000 pgtables:8740kB oom_score_adj:936',
    type: 'Warning',
    component: 'kernel-monitor',
    host: NODE,
  },
  {
    atMs: 15_050,
    involved: node,
    reason: 'SystemOOM',
    message: 'System OOM encountered, victim process: java, pid: 48213',
    type: 'Warning',
    component: 'kubelet',
    host: NODE,
  },
  {
    atMs: 20_000,
    involved: pod(BATCH_POD, 'batch'),
    reason: 'FailedScheduling',
    message:
      '0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    type: 'Warning',
    component: 'default-scheduler',
    repeats: 4,
    everyMs: 30_000,
  },
  {
    atMs: 25_000,
    involved: node,
    reason: 'NodeNotReady',
    message: `Node ${NODE} status is now: NodeNotReady`,
    type: 'Normal',
    component: 'node-controller',
  },
  {
    atMs: 30_000,
    involved: pod(WORKER_POD, 'reports', 'spec.containers{worker}'),
    reason: 'Pulling',
    message: 'Pulling image "registry.example.com/reports/worker:1.4.2"',
    type: 'Normal',
    component: 'kubelet',
    host: NODE,
    repeats: 3,
    everyMs: 25_000,
  },
  {
    atMs: 31_200,
    involved: pod(WORKER_POD, 'reports', 'spec.containers{worker}'),
    reason: 'Failed',
    message:
      'Failed to pull image "registry.example.com/reports/worker:1.4.2": rpc error: code = NotFound desc = failed to pull and unpack image "registry.example.com/reports/worker:1.4.2": failed to resolve reference "registry.example.com/reports/worker:1.4.2": registry.example.com/reports/worker:1.4.2: not found',
    type: 'Warning',
    component: 'kubelet',
    host: NODE,
    repeats: 3,
    everyMs: 25_000,
  },
  {
    atMs: 31_250,
    involved: pod(WORKER_POD, 'reports', 'spec.containers{worker}'),
    reason: 'Failed',
    message: 'Error: ErrImagePull',
    type: 'Warning',
    component: 'kubelet',
    host: NODE,
    repeats: 3,
    everyMs: 25_000,
  },
  {
    atMs: 32_000,
    involved: pod(WORKER_POD, 'reports', 'spec.containers{worker}'),
    reason: 'BackOff',
    message: 'Back-off pulling image "registry.example.com/reports/worker:1.4.2"',
    type: 'Normal',
    component: 'kubelet',
    host: NODE,
    repeats: 4,
    everyMs: 20_000,
  },
  {
    atMs: 32_050,
    involved: pod(WORKER_POD, 'reports', 'spec.containers{worker}'),
    reason: 'Failed',
    message: 'Error: ImagePullBackOff',
    type: 'Warning',
    component: 'kubelet',
    host: NODE,
    repeats: 4,
    everyMs: 20_000,
  },
  {
    atMs: 60_000,
    involved: node,
    reason: 'NodeReady',
    message: `Node ${NODE} status is now: NodeReady`,
    type: 'Normal',
    component: 'kubelet',
    host: NODE,
  },
];

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function eventFor(spec: Spec, index: number, count: number, startMs: number): RawEvent {
  const seed = `${spec.involved.name}/${spec.reason}/${index}`;
  const first = startMs + spec.atMs;
  const last = first + (count - 1) * (spec.everyMs ?? 0);
  const namespace = spec.involved.namespace === '' ? 'default' : spec.involved.namespace;
  const name = `${spec.involved.name}.${demoUid(seed).replace(/-/g, '').slice(0, 16)}`;
  return {
    kind: 'Event',
    apiVersion: 'v1',
    metadata: {
      name,
      namespace,
      uid: demoUid(seed),
      resourceVersion: String(100_000 + index * 10 + count),
      creationTimestamp: iso(first),
    },
    involvedObject: {
      kind: spec.involved.kind,
      namespace: spec.involved.namespace === '' ? undefined : spec.involved.namespace,
      name: spec.involved.name,
      uid: demoUid(spec.involved.name),
      apiVersion: spec.involved.apiVersion,
      ...(spec.involved.fieldPath === undefined ? {} : { fieldPath: spec.involved.fieldPath }),
    },
    reason: spec.reason,
    message: spec.message,
    source:
      spec.host === undefined
        ? { component: spec.component }
        : { component: spec.component, host: spec.host },
    firstTimestamp: iso(first),
    lastTimestamp: iso(last),
    count,
    type: spec.type,
    eventTime: null,
    reportingComponent: spec.component,
    reportingInstance: spec.host ?? '',
  };
}

/** Every occurrence of the scenario in time order: an Event's later occurrences carry a grown count. */
export function demoScenario(startMs: number): DemoStep[] {
  const steps: DemoStep[] = [];
  SPECS.forEach((spec, index) => {
    for (let count = 1; count <= (spec.repeats ?? 1); count++) {
      steps.push({
        atMs: spec.atMs + (count - 1) * (spec.everyMs ?? 0),
        event: eventFor(spec, index, count, startMs),
      });
    }
  });
  return steps.sort((a, b) => a.atMs - b.atMs);
}

function owned(
  kind: string,
  name: string,
  namespace: string,
  labels: Record<string, string>,
  owner?: [string, string, string],
): DemoObject {
  const metadata: DemoObject['metadata'] = { name, namespace, uid: demoUid(name), labels };
  if (owner !== undefined) {
    const [apiVersion, ownerKind, ownerName] = owner;
    metadata.ownerReferences = [
      { apiVersion, kind: ownerKind, name: ownerName, uid: demoUid(ownerName), controller: true },
    ];
  }
  return { apiVersion: kind === 'Pod' ? 'v1' : 'apps/v1', kind, metadata };
}

/** The objects the scenario's events are about, with the labels and owners a cluster would hold. */
export function demoObjects(): DemoObject[] {
  const web = { app: 'web', team: 'storefront', tier: 'frontend' };
  const pay = { app: 'payments-api', team: 'payments', tier: 'backend' };
  const worker = { app: 'report-worker', team: 'data' };
  return [
    owned('Deployment', 'web', 'shop', web),
    owned('ReplicaSet', WEB_RS, 'shop', web, ['apps/v1', 'Deployment', 'web']),
    owned('Pod', WEB_POD, 'shop', web, ['apps/v1', 'ReplicaSet', WEB_RS]),
    owned('Deployment', 'payments-api', 'payments', pay),
    owned('ReplicaSet', PAY_RS, 'payments', pay, ['apps/v1', 'Deployment', 'payments-api']),
    owned('Pod', PAY_POD, 'payments', pay, ['apps/v1', 'ReplicaSet', PAY_RS]),
    owned('Pod', WORKER_POD, 'reports', worker, ['apps/v1', 'ReplicaSet', 'report-worker-6f8d9b7c4']),
    owned('Pod', BATCH_POD, 'batch', { app: 'nightly-export', team: 'data' }, [
      'batch/v1',
      'Job',
      'nightly-export-28930560',
    ]),
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: NODE,
        uid: demoUid(NODE),
        labels: {
          'node.kubernetes.io/instance-type': 'm6i.xlarge',
          'topology.kubernetes.io/zone': 'eu-west-1a',
        },
      },
    },
  ];
}
