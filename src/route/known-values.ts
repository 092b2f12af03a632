// Well-known values of the fields users filter on, used only to warn when an unanchored
// pattern (`kind: Pod`) also matches other values (`PodDisruptionBudget`). Not exhaustive:
// a value missing here only means a missed warning.

export const KNOWN_TYPES: readonly string[] = ['Normal', 'Warning'];

export const KNOWN_KINDS: readonly string[] = [
  'APIService', 'CSIDriver', 'CSINode', 'CertificateSigningRequest', 'ClusterRole',
  'ClusterRoleBinding', 'ConfigMap', 'ControllerRevision', 'CronJob', 'CustomResourceDefinition',
  'DaemonSet', 'Deployment', 'Endpoints', 'EndpointSlice', 'Event', 'HorizontalPodAutoscaler',
  'Ingress', 'IngressClass', 'Job', 'Lease', 'LimitRange', 'MutatingWebhookConfiguration',
  'Namespace', 'NetworkPolicy', 'Node', 'PersistentVolume', 'PersistentVolumeClaim', 'Pod',
  'PodDisruptionBudget', 'PodTemplate', 'PriorityClass', 'ReplicaSet', 'ReplicationController',
  'ResourceQuota', 'Role', 'RoleBinding', 'RuntimeClass', 'Secret', 'Service', 'ServiceAccount',
  'StatefulSet', 'StorageClass', 'ValidatingWebhookConfiguration', 'VerticalPodAutoscaler',
  'VolumeAttachment',
];

// Reasons emitted by the kubelet, the scheduler, controllers and node-problem-detector.
export const KNOWN_REASONS: readonly string[] = [
  'BackOff', 'BackoffLimitExceeded', 'Completed', 'ContainerGCFailed', 'Created',
  'DeadlineExceeded', 'DeletingLoadBalancer', 'DeletedLoadBalancer', 'EnsuredLoadBalancer',
  'EnsuringLoadBalancer', 'ErrImageNeverPull', 'Evicted', 'EvictionThresholdMet',
  'ExceededGracePeriod', 'ExternalProvisioning', 'Failed', 'FailedAttachVolume', 'FailedBinding',
  'FailedCreate', 'FailedCreatePodContainer', 'FailedCreatePodSandBox', 'FailedDelete',
  'FailedGetScale', 'FailedKillPod', 'FailedMount', 'FailedPostStartHook', 'FailedPreStopHook',
  'FailedRescale', 'FailedScheduling', 'FailedSync', 'FailedToUpdateEndpoint', 'FailedValidation',
  'FreeDiskSpaceFailed', 'ImageGCFailed', 'InspectFailed', 'InvalidDiskCapacity', 'Killing',
  'LeaderElection', 'NetworkNotReady', 'NodeAllocatableEnforced', 'NodeHasDiskPressure',
  'NodeHasInsufficientMemory', 'NodeHasInsufficientPID', 'NodeHasNoDiskPressure',
  'NodeHasSufficientMemory', 'NodeHasSufficientPID', 'NodeNotReady', 'NodeNotSchedulable',
  'NodeReady', 'NodeSchedulable', 'OOMKilling', 'Preempted', 'Preempting', 'Provisioning',
  'ProvisioningFailed', 'ProvisioningSucceeded', 'Pulled', 'Pulling', 'Rebooted', 'RegisteredNode',
  'RemovingNode', 'SawCompletedJob', 'ScalingReplicaSet', 'Scheduled', 'Started', 'Starting',
  'SuccessfulAttachVolume', 'SuccessfulCreate', 'SuccessfulDelete', 'SuccessfulMountVolume',
  'SuccessfulRescale', 'SyncLoadBalancerFailed', 'SystemOOM', 'TaintManagerEviction', 'TaskHung',
  'Unhealthy', 'UpdatedLoadBalancer', 'WaitForFirstConsumer',
];

/** Known values per rule key that gets the unanchored-pattern warning. */
export const KNOWN_VALUES: Readonly<Record<'kind' | 'type' | 'reason', readonly string[]>> = {
  kind: KNOWN_KINDS,
  type: KNOWN_TYPES,
  reason: KNOWN_REASONS,
};
