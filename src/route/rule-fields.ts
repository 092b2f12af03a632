// The rule keys and how each reads its value from an event.
import type { EnrichedEvent, RawEvent } from '../event/event.ts';

type Accessor = (event: EnrichedEvent) => string | undefined;

// events.k8s.io/v1 calls the field reportingController; normalize maps it onto
// reportingComponent, but an un-normalised event may still carry the original name.
function reportingController(raw: RawEvent): string | undefined {
  return raw.reportingComponent || (raw as { reportingController?: string }).reportingController;
}

/** String keys compared (unanchored regex) with one event field; missing fields read as "". */
export const STRING_FIELDS = {
  message: (e) => e.raw.message,
  apiVersion: (e) => e.raw.involvedObject?.apiVersion,
  kind: (e) => e.raw.involvedObject?.kind,
  namespace: (e) => e.raw.metadata?.namespace,
  reason: (e) => e.raw.reason,
  type: (e) => e.raw.type,
  component: (e) => e.raw.source?.component,
  host: (e) => e.raw.source?.host,
  name: (e) => e.raw.involvedObject?.name,
  objectNamespace: (e) => e.raw.involvedObject?.namespace,
  reportingController: (e) => reportingController(e.raw),
  clusterName: (e) => e.clusterName,
} as const satisfies Record<string, Accessor>;

export type StringField = keyof typeof STRING_FIELDS;
export const MAP_FIELDS = ['labels', 'annotations'] as const;
export type MapField = (typeof MAP_FIELDS)[number];

/** Every key a rule may have, in the order the spec lists them. */
export const RULE_KEYS: readonly string[] = [
  'message',
  'apiVersion',
  'kind',
  'namespace',
  'reason',
  'type',
  'component',
  'host',
  'labels',
  'annotations',
  'minCount',
  'receiver',
  'name',
  'objectNamespace',
  'reportingController',
  'clusterName',
  'not',
  'preset',
];

export function isStringField(key: string): key is StringField {
  return Object.hasOwn(STRING_FIELDS, key);
}

/** The Event's current count: `count`, or `series.count` when that is further along. */
export function eventCount(raw: RawEvent): number {
  const count = raw.count ?? 0;
  const series = raw.series?.count ?? 0;
  return series > count ? series : count;
}
