import { MalformedEventError } from './errors.ts';
import type { EventSeries, EventSource, ObjectMeta, ObjectReference, RawEvent } from './event.ts';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Some exporters write the literal string "null" for unset times (seen in real support bundles).
function time(value: unknown, field: string): string | null | undefined {
  if (value === undefined || value === null || value === 'null' || value === '')
    return value === undefined ? undefined : null;
  if (typeof value !== 'string')
    throw new MalformedEventError(`${field}: expected a timestamp string, got ${typeof value}`);
  return value;
}

function str(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new MalformedEventError(`${field}: expected a string, got ${typeof value}`);
  return value;
}

function int(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new MalformedEventError(`${field}: expected an integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function objectRef(value: unknown, field: string): ObjectReference | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new MalformedEventError(`${field}: expected an object`);
  const ref: ObjectReference = {};
  for (const key of [
    'kind',
    'namespace',
    'name',
    'uid',
    'apiVersion',
    'resourceVersion',
    'fieldPath',
  ] as const) {
    const v = str(value[key], `${field}.${key}`);
    if (v !== undefined) ref[key] = v;
  }
  return ref;
}

function source(value: unknown, field: string): EventSource | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new MalformedEventError(`${field}: expected an object`);
  const out: EventSource = {};
  const component = str(value['component'], `${field}.component`);
  const host = str(value['host'], `${field}.host`);
  if (component !== undefined) out.component = component;
  if (host !== undefined) out.host = host;
  return out;
}

function series(value: unknown): EventSeries | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new MalformedEventError('series: expected an object');
  const out: EventSeries = {};
  const count = int(value['count'], 'series.count');
  const last = time(value['lastObservedTime'], 'series.lastObservedTime');
  if (count !== undefined) out.count = count;
  if (typeof last === 'string') out.lastObservedTime = last;
  return out;
}

function metadata(value: unknown): ObjectMeta {
  if (!isObject(value)) throw new MalformedEventError('metadata: expected an object');
  for (const key of ['name', 'namespace', 'uid', 'resourceVersion', 'generateName'] as const)
    str(value[key], `metadata.${key}`);
  const meta: ObjectMeta = { ...value };
  delete meta['managedFields'];
  const created = time(value['creationTimestamp'], 'metadata.creationTimestamp');
  meta.creationTimestamp = created ?? null;
  return meta;
}

function isEventsV1(obj: Json): boolean {
  if (typeof obj['apiVersion'] === 'string') return obj['apiVersion'].startsWith('events.k8s.io/');
  return 'regarding' in obj || 'note' in obj;
}

/** Sets only the fields that are present, so the object stays as small as the input. */
function assign<K extends keyof RawEvent>(event: RawEvent, key: K, value: RawEvent[K] | undefined): void {
  if (value !== undefined) event[key] = value;
}

function fromCoreV1(obj: Json): RawEvent {
  const event: RawEvent = {
    metadata: metadata(obj['metadata']),
    involvedObject: objectRef(obj['involvedObject'], 'involvedObject') ?? {},
  };
  assign(event, 'kind', str(obj['kind'], 'kind'));
  assign(event, 'apiVersion', str(obj['apiVersion'], 'apiVersion'));
  assign(event, 'reason', str(obj['reason'], 'reason'));
  assign(event, 'message', str(obj['message'], 'message'));
  assign(event, 'source', source(obj['source'], 'source'));
  assign(event, 'firstTimestamp', time(obj['firstTimestamp'], 'firstTimestamp'));
  assign(event, 'lastTimestamp', time(obj['lastTimestamp'], 'lastTimestamp'));
  assign(event, 'count', int(obj['count'], 'count'));
  assign(event, 'type', str(obj['type'], 'type'));
  assign(event, 'eventTime', time(obj['eventTime'], 'eventTime'));
  assign(event, 'series', series(obj['series']));
  assign(event, 'action', str(obj['action'], 'action'));
  assign(event, 'related', objectRef(obj['related'], 'related'));
  assign(
    event,
    'reportingComponent',
    str(obj['reportingComponent'] ?? obj['reportingController'], 'reportingComponent'),
  );
  assign(event, 'reportingInstance', str(obj['reportingInstance'], 'reportingInstance'));
  return event;
}

// events.k8s.io/v1 renames and deprecates core/v1 fields; map them back so every stage sees one shape.
function fromEventsV1(obj: Json): RawEvent {
  return fromCoreV1({
    kind: obj['kind'],
    apiVersion: obj['apiVersion'],
    metadata: obj['metadata'],
    involvedObject: obj['regarding'],
    reason: obj['reason'],
    message: obj['note'],
    source: obj['deprecatedSource'],
    firstTimestamp: obj['deprecatedFirstTimestamp'],
    lastTimestamp: obj['deprecatedLastTimestamp'],
    count: obj['deprecatedCount'],
    type: obj['type'],
    eventTime: obj['eventTime'],
    series: obj['series'],
    action: obj['action'],
    related: obj['related'],
    reportingComponent: obj['reportingController'],
    reportingInstance: obj['reportingInstance'],
  });
}

/** Reads a decoded JSON value as an Event (core/v1 or events.k8s.io/v1), or throws MalformedEventError. */
export function normalizeEvent(value: unknown): RawEvent {
  if (!isObject(value)) throw new MalformedEventError('expected an Event object');
  if (value['kind'] !== undefined && value['kind'] !== 'Event') {
    throw new MalformedEventError(`expected kind Event, got ${JSON.stringify(value['kind'])}`);
  }
  return isEventsV1(value) ? fromEventsV1(value) : fromCoreV1(value);
}

/** A stable identity for an event: its uid, else namespace/name. */
export function eventId(event: RawEvent): string {
  return event.metadata.uid ?? `${event.metadata.namespace ?? ''}/${event.metadata.name ?? ''}`;
}
