// The event shapes every stage shares. Field names are core/v1's; events.k8s.io/v1 input is
// mapped onto them by normalize.ts before anything else sees it.

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string | null;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  [key: string]: unknown;
}

export interface EventSource {
  component?: string;
  host?: string;
}

export interface EventSeries {
  count?: number;
  lastObservedTime?: string;
}

/** A core/v1 Event as read from the API, a file or a watch line (timestamps are RFC 3339 strings). */
export interface RawEvent {
  kind?: string;
  apiVersion?: string;
  metadata: ObjectMeta;
  involvedObject: ObjectReference;
  reason?: string;
  message?: string;
  source?: EventSource;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  count?: number;
  type?: string;
  eventTime?: string | null;
  series?: EventSeries;
  action?: string;
  related?: ObjectReference;
  reportingComponent?: string;
  reportingInstance?: string;
}

/** The top controller of the involved object (Pod → ReplicaSet → Deployment, Job → CronJob). */
export interface TopOwner {
  kind: string;
  name: string;
  apiVersion?: string;
}

/** What the object cache knows of the involved object. */
export interface InvolvedObjectMeta {
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  ownerReferences: readonly OwnerReference[];
  owner?: TopOwner;
  deleted: boolean;
}

/** An event ready for routing and rendering. */
export interface EnrichedEvent {
  readonly raw: RawEvent;
  /** Undefined when the involved object was not looked up or the lookup failed. */
  readonly object: InvolvedObjectMeta | undefined;
  /** 1 for the first occurrence of this Event, n for the n-th. */
  readonly occurrence: number;
  readonly clusterName: string;
  /** The config's static `environment` map. */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * Set by a receiver's `throttle` on the event that passes after others with its key were
   * held back: how many were suppressed since the last one that passed (template `.Suppressed`).
   */
  readonly suppressed?: number;
}
