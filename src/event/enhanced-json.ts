// The default payload: the exporter's EnhancedEvent as Go's encoding/json writes it. Field order
// and omitempty follow core/v1 Event (embedded, so its fields come first), then ClusterName, then
// the EnhancedObjectReference that shadows the Event's own involvedObject.
import { kubeTime, timeJson } from '../go/time/time.ts';
import type {
  EnrichedEvent,
  EventSeries,
  EventSource,
  ObjectMeta,
  ObjectReference,
  OwnerReference,
} from './event.ts';
import { goJsonInt, goJsonString, goJsonStringify } from '../go/json.ts';

type Out = string[];

function optString(out: Out, key: string, value: unknown, esc: boolean): void {
  if (typeof value === 'string' && value !== '') out.push('"' + key + '":' + goJsonString(value, esc));
}

function reqString(out: Out, key: string, value: unknown, esc: boolean): void {
  out.push('"' + key + '":' + goJsonString(typeof value === 'string' ? value : '', esc));
}

function optInt(out: Out, key: string, value: unknown): void {
  if (typeof value === 'number' && value !== 0 && Number.isFinite(value))
    out.push('"' + key + '":' + goJsonInt(Math.trunc(value)));
}

function metaTime(value: unknown, kind: 'metav1' | 'micro'): string {
  const t = kubeTime(value, kind);
  const text = timeJson(t, typeof value === 'string' ? value : undefined);
  return text === null ? 'null' : '"' + text + '"';
}

function stringMapJson(map: Readonly<Record<string, unknown>>, esc: boolean): string {
  const keys = Object.keys(map).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const v = map[key];
    out +=
      (i === 0 ? '' : ',') +
      goJsonString(key, esc) +
      ':' +
      (typeof v === 'string' ? goJsonString(v, esc) : goJsonStringify(v, esc));
  }
  return out + '}';
}

function optMap(out: Out, key: string, value: unknown, esc: boolean): void {
  if (typeof value === 'object' && value !== null && Object.keys(value).length > 0) {
    out.push('"' + key + '":' + stringMapJson(value as Record<string, unknown>, esc));
  }
}

function optBool(out: Out, key: string, value: unknown): void {
  if (typeof value === 'boolean') out.push('"' + key + '":' + String(value));
}

export function ownerReferenceJson(ref: OwnerReference, esc: boolean): string {
  const out: Out = [];
  reqString(out, 'apiVersion', ref.apiVersion, esc);
  reqString(out, 'kind', ref.kind, esc);
  reqString(out, 'name', ref.name, esc);
  reqString(out, 'uid', ref.uid, esc);
  optBool(out, 'controller', ref.controller);
  optBool(out, 'blockOwnerDeletion', ref.blockOwnerDeletion);
  return '{' + out.join(',') + '}';
}

function optOwnerReferences(out: Out, value: unknown, esc: boolean): void {
  if (!Array.isArray(value) || value.length === 0) return;
  out.push(
    '"ownerReferences":[' + value.map((r: OwnerReference) => ownerReferenceJson(r, esc)).join(',') + ']',
  );
}

function objectReferenceFields(out: Out, ref: ObjectReference, esc: boolean): void {
  optString(out, 'kind', ref.kind, esc);
  optString(out, 'namespace', ref.namespace, esc);
  optString(out, 'name', ref.name, esc);
  optString(out, 'uid', ref.uid, esc);
  optString(out, 'apiVersion', ref.apiVersion, esc);
  optString(out, 'resourceVersion', ref.resourceVersion, esc);
  optString(out, 'fieldPath', ref.fieldPath, esc);
}

export function objectReferenceJson(ref: ObjectReference, esc: boolean): string {
  const out: Out = [];
  objectReferenceFields(out, ref, esc);
  return '{' + out.join(',') + '}';
}

export function eventSourceJson(source: EventSource | undefined, esc: boolean): string {
  const out: Out = [];
  optString(out, 'component', source?.component, esc);
  optString(out, 'host', source?.host, esc);
  return '{' + out.join(',') + '}';
}

export function eventSeriesJson(series: EventSeries, _esc: boolean): string {
  const out: Out = [];
  optInt(out, 'count', series.count);
  out.push('"lastObservedTime":' + metaTime(series.lastObservedTime, 'micro'));
  return '{' + out.join(',') + '}';
}

/** metav1.ObjectMeta without managedFields (the exporter clears them). */
export function objectMetaJson(meta: ObjectMeta, esc: boolean): string {
  const out: Out = [];
  optString(out, 'name', meta.name, esc);
  optString(out, 'generateName', meta.generateName, esc);
  optString(out, 'namespace', meta.namespace, esc);
  optString(out, 'selfLink', meta['selfLink'], esc);
  optString(out, 'uid', meta.uid, esc);
  optString(out, 'resourceVersion', meta.resourceVersion, esc);
  optInt(out, 'generation', meta['generation']);
  out.push('"creationTimestamp":' + metaTime(meta.creationTimestamp, 'metav1'));
  const deletion = meta['deletionTimestamp'];
  if (typeof deletion === 'string' && deletion !== '')
    out.push('"deletionTimestamp":' + metaTime(deletion, 'metav1'));
  const grace = meta['deletionGracePeriodSeconds'];
  if (typeof grace === 'number') out.push('"deletionGracePeriodSeconds":' + goJsonInt(Math.trunc(grace)));
  optMap(out, 'labels', meta.labels, esc);
  optMap(out, 'annotations', meta.annotations, esc);
  optOwnerReferences(out, meta.ownerReferences, esc);
  const finalizers = meta['finalizers'];
  if (Array.isArray(finalizers) && finalizers.length > 0)
    out.push('"finalizers":' + goJsonStringify(finalizers, esc));
  return '{' + out.join(',') + '}';
}

/** kube.EnhancedObjectReference: the event's involvedObject plus what the enricher found. */
export function involvedObjectJson(event: EnrichedEvent, esc: boolean): string {
  const out: Out = [];
  objectReferenceFields(out, event.raw.involvedObject ?? {}, esc);
  const object = event.object;
  if (object !== undefined) {
    optMap(out, 'labels', object.labels, esc);
    optMap(out, 'annotations', object.annotations, esc);
    optOwnerReferences(out, object.ownerReferences, esc);
  }
  out.push('"deleted":' + String(object?.deleted === true));
  return '{' + out.join(',') + '}';
}

function writeEvent(event: EnrichedEvent, esc: boolean): string {
  const raw = event.raw;
  const out: Out = ['"metadata":' + objectMetaJson(raw.metadata ?? {}, esc)];
  optString(out, 'reason', raw.reason, esc);
  optString(out, 'message', raw.message, esc);
  out.push('"source":' + eventSourceJson(raw.source, esc));
  out.push('"firstTimestamp":' + metaTime(raw.firstTimestamp, 'metav1'));
  out.push('"lastTimestamp":' + metaTime(raw.lastTimestamp, 'metav1'));
  optInt(out, 'count', raw.count);
  optString(out, 'type', raw.type, esc);
  out.push('"eventTime":' + metaTime(raw.eventTime, 'micro'));
  if (raw.series !== undefined && raw.series !== null)
    out.push('"series":' + eventSeriesJson(raw.series, esc));
  optString(out, 'action', raw.action, esc);
  if (raw.related !== undefined && raw.related !== null)
    out.push('"related":' + objectReferenceJson(raw.related, esc));
  reqString(out, 'reportingComponent', raw.reportingComponent, esc);
  reqString(out, 'reportingInstance', raw.reportingInstance, esc);
  reqString(out, 'clusterName', event.clusterName, esc);
  out.push('"involvedObject":' + involvedObjectJson(event, esc));
  return '{' + out.join(',') + '}';
}

const escapedCache = new WeakMap<EnrichedEvent, string>();
const rawCache = new WeakMap<EnrichedEvent, string>();

/** The enhanced event JSON; `escapeHtml` false for toRawJson. Cached per event. */
export function enhancedEventJson(event: EnrichedEvent, escapeHtml = true): string {
  const cache = escapeHtml ? escapedCache : rawCache;
  let json = cache.get(event);
  if (json === undefined) {
    json = writeEvent(event, escapeHtml);
    cache.set(event, json);
  }
  return json;
}
