// The event as templates see it: the exporter's *kube.EnhancedEvent with its Go field names,
// as StructTypes the compiler resolves field chains against (docs/templates.md, "The event as
// templates see it"). Per-event conversions (timestamps) are cached in WeakMaps.
import {
  enhancedEventJson,
  eventSeriesJson,
  eventSourceJson,
  involvedObjectJson,
  objectReferenceJson,
  ownerReferenceJson,
} from '../event/enhanced-json.ts';
import { goJsonString } from '../go/json.ts';
import { matchPresets } from '../route/presets.ts';
import type {
  EnrichedEvent,
  EventSeries,
  EventSource,
  ObjectReference,
  OwnerReference,
  TopOwner,
} from '../event/event.ts';
import { formatGoTime, kubeTime, unixNanos, type KubeTime } from '../go/time/time.ts';
import {
  cached,
  field,
  int,
  NIL_STRING_MAP,
  str,
  stringMap,
  structField,
  structType,
  type StringMap,
} from './view-support.ts';
import { GoMap, GoStruct, type GoValue, type StructType } from '../go/template/value.ts';

const ev = (s: unknown): EnrichedEvent => s as EnrichedEvent;

const OBJECT_REF_FIELDS = {
  Kind: (r: ObjectReference) => r.kind,
  Namespace: (r: ObjectReference) => r.namespace,
  Name: (r: ObjectReference) => r.name,
  UID: (r: ObjectReference) => r.uid,
  APIVersion: (r: ObjectReference) => r.apiVersion,
  ResourceVersion: (r: ObjectReference) => r.resourceVersion,
  FieldPath: (r: ObjectReference) => r.fieldPath,
} as const;

function refFields<S>(toRef: (source: S) => ObjectReference) {
  return Object.fromEntries(
    Object.entries(OBJECT_REF_FIELDS).map(([name, read]) => [name, field((s) => str(read(toRef(s as S))))]),
  );
}

export const OBJECT_REFERENCE_TYPE: StructType = structType(
  'v1.ObjectReference',
  refFields((r: ObjectReference) => r),
  (s, esc) => objectReferenceJson(s as ObjectReference, esc),
);

export const EVENT_SOURCE_TYPE: StructType = structType(
  'v1.EventSource',
  {
    Component: field((s) => str((s as EventSource).component)),
    Host: field((s) => str((s as EventSource).host)),
  },
  (s, esc) => eventSourceJson(s as EventSource, esc),
);

const seriesTime = cached((s: EventSeries): KubeTime => kubeTime(s.lastObservedTime, 'micro'));

export const EVENT_SERIES_TYPE: StructType = structType(
  'v1.EventSeries',
  {
    Count: field((s) => int((s as EventSeries).count)),
    LastObservedTime: field((s) => seriesTime(s as EventSeries)),
  },
  (s, esc) => eventSeriesJson(s as EventSeries, esc),
);

export const OWNER_REFERENCE_TYPE: StructType = structType(
  'v1.OwnerReference',
  {
    APIVersion: field((s) => str((s as OwnerReference).apiVersion)),
    Kind: field((s) => str((s as OwnerReference).kind)),
    Name: field((s) => str((s as OwnerReference).name)),
    UID: field((s) => str((s as OwnerReference).uid)),
    Controller: field((s) => (s as OwnerReference).controller ?? null),
    BlockOwnerDeletion: field((s) => (s as OwnerReference).blockOwnerDeletion ?? null),
  },
  (s, esc) => ownerReferenceJson(s as OwnerReference, esc),
);

const NO_OWNER: TopOwner = Object.freeze({ kind: '', name: '' });
const NO_SOURCE: EventSource = Object.freeze({});

export const TOP_OWNER_TYPE: StructType = structType(
  'router.TopOwner',
  {
    Kind: field((s) => str((s as TopOwner).kind)),
    Name: field((s) => str((s as TopOwner).name)),
    APIVersion: field((s) => str((s as TopOwner).apiVersion)),
  },
  (s, esc) =>
    '{"kind":' +
    goJsonString(str((s as TopOwner).kind), esc) +
    ',"name":' +
    goJsonString(str((s as TopOwner).name), esc) +
    '}',
);

/** The exporter reads these from the API, where an object without any has a nil map. */
function objectMap(entries: Readonly<Record<string, string>> | undefined): StringMap {
  return entries === undefined || Object.keys(entries).length === 0 ? NIL_STRING_MAP : stringMap(entries);
}

const ownerRefs = cached((e: EnrichedEvent): GoValue => {
  const refs = e.object?.ownerReferences;
  if (refs === undefined || refs.length === 0) return null;
  return refs.map((r) => new GoStruct(OWNER_REFERENCE_TYPE, r));
});

export const INVOLVED_OBJECT_TYPE: StructType = structType(
  'kube.EnhancedObjectReference',
  {
    ...refFields((e: EnrichedEvent) => e.raw.involvedObject ?? {}),
    Labels: field((s) => objectMap(ev(s).object?.labels)),
    Annotations: field((s) => objectMap(ev(s).object?.annotations)),
    OwnerReferences: field((s) => ownerRefs(ev(s))),
    Deleted: field((s) => ev(s).object?.deleted === true),
    Owner: structField(TOP_OWNER_TYPE, (s) => ev(s).object?.owner ?? NO_OWNER),
  },
  (s, esc) => involvedObjectJson(ev(s), esc),
);

interface EventTimes {
  readonly creation: KubeTime;
  readonly first: KubeTime;
  readonly last: KubeTime;
  readonly event: KubeTime;
}

export const eventTimes = cached((e: EnrichedEvent): EventTimes => ({
  creation: kubeTime(e.raw.metadata?.creationTimestamp, 'metav1'),
  first: kubeTime(e.raw.firstTimestamp, 'metav1'),
  last: kubeTime(e.raw.lastTimestamp, 'metav1'),
  event: kubeTime(e.raw.eventTime, 'micro'),
}));

/** firstTimestamp, else eventTime (the exporter's GetTimestampMs / GetTimestampISO8601). */
function eventInstant(e: EnrichedEvent): KubeTime {
  const times = eventTimes(e);
  return times.first.isZero ? times.event : times.first;
}

export const timestampMs = cached((e: EnrichedEvent): number =>
  Number(unixNanos(eventInstant(e)) / 1000000n),
);

const MIN_ISO_MS = -62135596800000; // 0001-01-01, the zero time: toISOString agrees with Go from here on
const MAX_ISO_MS = 253402300799999; // 9999-12-31

/** Go's Format("2006-01-02T15:04:05.000Z") of a UTC instant; toISOString writes the same bytes. */
const timestampIso = cached((e: EnrichedEvent): string => {
  const t = eventInstant(e);
  if (t.offsetSeconds === 0 && t.epochMs >= MIN_ISO_MS && t.epochMs <= MAX_ISO_MS)
    return new Date(t.epochMs).toISOString();
  return formatGoTime(t, '2006-01-02T15:04:05.000Z');
});

const presets = cached((e: EnrichedEvent): GoValue => [...matchPresets(e)]);
const environment = cached((e: EnrichedEvent): GoMap => new GoMap(e.environment ?? {}, ''));

const meta = (s: unknown) => ev(s).raw.metadata ?? {};

/** *kube.EnhancedEvent: the root (`.`) of every template. Its source is the EnrichedEvent. */
export const EVENT_TYPE: StructType = structType(
  '*kube.EnhancedEvent',
  {
    Name: field((s) => str(meta(s).name)),
    Namespace: field((s) => str(meta(s).namespace)),
    UID: field((s) => str(meta(s).uid)),
    ResourceVersion: field((s) => str(meta(s).resourceVersion)),
    GenerateName: field((s) => str(meta(s).generateName)),
    CreationTimestamp: field((s) => eventTimes(ev(s)).creation),
    Labels: field((s) => stringMap(meta(s).labels)),
    Annotations: field((s) => stringMap(meta(s).annotations)),
    Reason: field((s) => str(ev(s).raw.reason)),
    Message: field((s) => str(ev(s).raw.message)),
    Type: field((s) => str(ev(s).raw.type)),
    Count: field((s) => int(ev(s).raw.count)),
    Action: field((s) => str(ev(s).raw.action)),
    FirstTimestamp: field((s) => eventTimes(ev(s)).first),
    LastTimestamp: field((s) => eventTimes(ev(s)).last),
    EventTime: field((s) => eventTimes(ev(s)).event),
    Source: structField(EVENT_SOURCE_TYPE, (s) => ev(s).raw.source ?? NO_SOURCE),
    ReportingController: field((s) => str(ev(s).raw.reportingComponent)),
    ReportingInstance: field((s) => str(ev(s).raw.reportingInstance)),
    Series: structField(EVENT_SERIES_TYPE, (s) => ev(s).raw.series ?? null),
    Related: structField(OBJECT_REFERENCE_TYPE, (s) => ev(s).raw.related ?? null),
    InvolvedObject: structField(INVOLVED_OBJECT_TYPE, (s) => s),
    ClusterName: field((s) => str(ev(s).clusterName)),
    GetTimestampMs: field((s) => timestampMs(ev(s))),
    GetTimestampISO8601: field((s) => timestampIso(ev(s))),
    Occurrence: field((s) => int(ev(s).occurrence)),
    Preset: field((s) => presets(ev(s))),
    Environment: field((s) => environment(ev(s))),
    // Ours: events a receiver's throttle held back for this key since the last one it passed.
    Suppressed: field((s) => int(ev(s).suppressed ?? 0)),
  },
  (s, esc) => enhancedEventJson(ev(s), esc),
);

/** The names `.X` may use at the root, for hints and docs. */
export const EVENT_FIELD_NAMES: readonly string[] = [...EVENT_TYPE.fields.keys()];

/** The root value of every template execution for an event. */
export const eventView = cached((e: EnrichedEvent): GoStruct => new GoStruct(EVENT_TYPE, e));
