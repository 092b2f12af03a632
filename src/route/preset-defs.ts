// Built-in named rules for `preset:` (and `.Preset` in templates). Each preset is a list of
// rules in the config's own rule syntax; it matches when any of them does. Sources, read (not
// copied) in the upstream repositories:
//   eventarbiter: andyxning/eventarbiter handler/{node,pod,npd}/*.go @8d7681b — each alert is
//     an involved-object kind (compared upper-cased) plus one exact reason; the reason
//     constants are kubelet's (events.NodeNotReady, BackOffStartContainer = "BackOff", ...).
//   kube-eventer: AliyunContainerService/kube-eventer metrics/prometheus/metrics.go
//     (reasonToEventKind, reasonToEventKindFunc) and judge.go @0974bca — its "abnormal event"
//     classes, some refined by message substrings.

export interface PresetDefinition {
  readonly name: string;
  readonly description: string;
  /** Where the definition comes from. */
  readonly source: string;
  /** Raw rules (the `not` rule syntax: no receiver); the preset matches if any matches. */
  readonly rules: readonly Readonly<Record<string, unknown>>[];
}

const EA = 'eventarbiter';
const KE = 'kube-eventer';
const IMAGE_PULL_MESSAGE = 'ImagePullBackOff|ErrImagePull|Failed to pull image';

// One exact reason on one kind: the shape of every eventarbiter alert.
function onKind(kind: string, reason: string): Readonly<Record<string, unknown>>[] {
  return [{ kind: `^${kind}$`, reason: `^${reason}$` }];
}

export const PRESET_DEFINITIONS: readonly PresetDefinition[] = [
  // eventarbiter's alert set, names unchanged.
  {
    name: 'node_notready',
    description: 'A node became NotReady.',
    source: `${EA} handler/node/notready.go`,
    rules: onKind('Node', 'NodeNotReady'),
  },
  {
    name: 'node_notschedulable',
    description: 'A node was cordoned (SchedulingDisabled).',
    source: `${EA} handler/node/notschedulable.go`,
    rules: onKind('Node', 'NodeNotSchedulable'),
  },
  {
    name: 'node_systemoom',
    description: 'The kernel OOM killer ran on a node (kubelet SystemOOM).',
    source: `${EA} handler/node/oom.go`,
    rules: onKind('Node', 'SystemOOM'),
  },
  {
    name: 'node_rebooted',
    description: 'A node was rebooted.',
    source: `${EA} handler/node/rebooted.go`,
    rules: onKind('Node', 'Rebooted'),
  },
  {
    name: 'pod_backoff',
    description: 'A container is in back-off (restarting after crashes or re-pulling an image).',
    source: `${EA} handler/pod/backoff.go`,
    rules: onKind('Pod', 'BackOff'),
  },
  {
    name: 'pod_failed',
    description: 'A container failed to start or its image failed to pull (reason Failed).',
    source: `${EA} handler/pod/failed.go`,
    rules: onKind('Pod', 'Failed'),
  },
  {
    name: 'pod_failedsync',
    description: 'The kubelet failed to sync a pod (older kubelets).',
    source: `${EA} handler/pod/failedsync.go`,
    rules: onKind('Pod', 'FailedSync'),
  },
  {
    name: 'pod_failedscheduling',
    description: 'The scheduler could not place a pod.',
    source: `${EA} handler/pod/failedscheduling.go`,
    rules: onKind('Pod', 'FailedScheduling'),
  },
  {
    name: 'pod_unhealthy',
    description: 'A liveness, readiness or startup probe failed.',
    source: `${EA} handler/pod/unhealthy.go`,
    rules: onKind('Pod', 'Unhealthy'),
  },
  {
    name: 'npd_oomkilling',
    description: 'node-problem-detector saw the OOM killer kill a process on a node.',
    source: `${EA} handler/npd/oom.go`,
    rules: onKind('Node', 'OOMKilling'),
  },
  {
    name: 'npd_taskhung',
    description: 'node-problem-detector saw a hung task on a node.',
    source: `${EA} handler/npd/taskhung.go`,
    rules: onKind('Node', 'TaskHung'),
  },

  // kube-eventer's abnormal-event classes (metrics.go), under the names the spec uses.
  {
    name: 'pod_oomkilled',
    description: 'A container was OOM-killed.',
    source: `${KE} PodOOM (reasons OOMKilling, PodOOMKilling; OOMKilled added)`,
    rules: [{ reason: '^(OOMKilling|PodOOMKilling|OOMKilled)$' }],
  },
  {
    name: 'pod_crashloop',
    description: 'A container keeps crashing (CrashLoopBackOff).',
    source: `${KE} PodCrash (judge.go isPodCrash; FailedSync CrashLoopBackOff added)`,
    rules: [
      { reason: '^BackOff$', message: 'Back-off restarting failed container' },
      { reason: '^FailedSync$', message: 'CrashLoopBackOff' },
    ],
  },
  {
    name: 'pod_unschedulable',
    description: 'A pod cannot be scheduled, for any reason.',
    source: `${KE} PodFailScheduling`,
    rules: [{ reason: '^FailedScheduling$' }],
  },
  {
    name: 'pod_insufficientresources',
    description: 'A pod cannot be scheduled for lack of CPU, memory or another resource.',
    source: `${KE} ResourceInsufficient (judge.go isResourceInsufficient)`,
    rules: [{ reason: '^FailedScheduling$', message: 'Insufficient' }],
  },
  {
    name: 'pod_imagepullbackoff',
    description: 'An image cannot be pulled (ErrImagePull, ImagePullBackOff).',
    source: `${KE} PodImagePullBackOff (judge.go isPodImagePullBackOff; "Failed to pull image" added)`,
    rules: [
      { reason: '^Failed$', message: IMAGE_PULL_MESSAGE },
      { reason: '^BackOff$', message: 'Back-off pulling image' },
    ],
  },
  {
    name: 'pod_failstart',
    description: 'A container failed to start for a reason other than its image.',
    source: `${KE} PodFailStart (judge.go isPodFailStart)`,
    rules: [{ kind: '^Pod$', reason: '^Failed$', not: { message: IMAGE_PULL_MESSAGE } }],
  },
  {
    name: 'pod_evicted',
    description: 'A pod was evicted from its node.',
    source: `${KE} PodEvict`,
    rules: [{ reason: '^Evicted$' }],
  },
  {
    name: 'pod_exceededquota',
    description: 'A controller could not create a pod because a ResourceQuota is exceeded.',
    source: `${KE} FailCreatePodExceedQuota (judge.go)`,
    rules: [{ reason: '^FailedCreate$', message: 'exceeded quota' }],
  },
  {
    name: 'volume_failedmount',
    description: 'A volume failed to attach or mount.',
    source: `${KE} VolumeFailMount (FailedMount, FailedAttachVolume)`,
    rules: [{ reason: '^(FailedMount|FailedAttachVolume)$' }],
  },
  {
    name: 'volume_provisionfailed',
    description: 'Dynamic provisioning of a volume failed.',
    source: `${KE} DiskProvisionFail, DiskProvisionFailSize`,
    rules: [{ reason: '^ProvisioningFailed$' }],
  },
  {
    name: 'pvc_nostorageclass',
    description: 'A claim cannot bind because no storage class is set.',
    source: `${KE} FailedBindingNoStorageClass (judge.go)`,
    rules: [{ reason: '^FailedBinding$', message: 'no storage class is set' }],
  },
  {
    name: 'node_plegunhealthy',
    description: 'A node went NotReady because the kubelet PLEG is not healthy.',
    source: `${KE} NodePLEGUnhealthy (judge.go isNodePLEGUnhealthy)`,
    rules: [{ kind: '^Node$', reason: '^NodeNotReady$', message: 'PLEG is not healthy' }],
  },
  {
    name: 'node_diskpressure',
    description: 'A node is under disk pressure.',
    source: `${KE} NodeDiskPressure`,
    rules: [{ reason: '^NodeHasDiskPressure$' }],
  },
  {
    name: 'node_fdpressure',
    description: 'A node is running out of file descriptors or PIDs.',
    source: `${KE} NodeFDPressure (NodeHasFDPressure, PIDPressure, NodeHasPIDPressure)`,
    rules: [{ reason: '^(NodeHasFDPressure|PIDPressure|NodeHasPIDPressure)$' }],
  },
  {
    name: 'node_dockerhung',
    description: 'node-problem-detector found the container runtime hung.',
    source: `${KE} NodeDockerHung`,
    rules: [{ reason: '^DockerHung$' }],
  },
  {
    name: 'node_pshung',
    description: 'node-problem-detector found `ps` hung on a node.',
    source: `${KE} NodePSHung`,
    rules: [{ reason: '^PSProcessIsHung$' }],
  },
  {
    name: 'node_gpuxiderror',
    description: 'An NVIDIA GPU reported an Xid error.',
    source: `${KE} NodeGPUXIPError`,
    rules: [{ reason: '^NodeHasNvidiaXidError$' }],
  },
  {
    name: 'node_ntpdown',
    description: 'NTP is down on a node.',
    source: `${KE} NodeNPTDown`,
    rules: [{ reason: '^NTPIsDown$' }],
  },
  {
    name: 'node_conntrackfull',
    description: 'The conntrack table of a node is full.',
    source: `${KE} ConnTrackFull`,
    rules: [{ reason: '^ConntrackFull$' }],
  },
  {
    name: 'service_loadbalancerfailed',
    description: 'The cloud controller failed to sync or delete a Service load balancer.',
    source: `${KE} CcmSLBSyncFail, CcmSLBDeleteFail`,
    rules: [{ reason: '^(SyncLoadBalancerFailed|DeleteLoadBalancerFailed)$' }],
  },
];
