// Event builders for the route tests.
import type { EnrichedEvent, InvolvedObjectMeta, RawEvent } from '../../src/event/event.ts';
import { normalizeEvent } from '../../src/event/normalize.ts';
import { realEventLines } from '../support/real-events.ts';

export interface EventSpec {
  type?: string;
  reason?: string;
  message?: string;
  namespace?: string;
  kind?: string;
  name?: string;
  objectNamespace?: string;
  apiVersion?: string;
  component?: string;
  host?: string;
  reportingComponent?: string;
  count?: number;
  seriesCount?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** false: the involved object is unknown (event.object undefined). */
  object?: false;
  occurrence?: number;
  clusterName?: string;
}

export function rawEvent(spec: EventSpec): RawEvent {
  const raw: RawEvent = {
    metadata: spec.namespace === undefined ? {} : { namespace: spec.namespace },
    involvedObject: {
      ...(spec.kind === undefined ? {} : { kind: spec.kind }),
      ...(spec.name === undefined ? {} : { name: spec.name }),
      ...(spec.objectNamespace === undefined ? {} : { namespace: spec.objectNamespace }),
      ...(spec.apiVersion === undefined ? {} : { apiVersion: spec.apiVersion }),
    },
  };
  if (spec.type !== undefined) raw.type = spec.type;
  if (spec.reason !== undefined) raw.reason = spec.reason;
  if (spec.message !== undefined) raw.message = spec.message;
  if (spec.component !== undefined || spec.host !== undefined) {
    raw.source = {
      ...(spec.component === undefined ? {} : { component: spec.component }),
      ...(spec.host === undefined ? {} : { host: spec.host }),
    };
  }
  if (spec.reportingComponent !== undefined) raw.reportingComponent = spec.reportingComponent;
  if (spec.count !== undefined) raw.count = spec.count;
  if (spec.seriesCount !== undefined) raw.series = { count: spec.seriesCount };
  return raw;
}

export function event(spec: EventSpec): EnrichedEvent {
  return enrich(rawEvent(spec), spec);
}

export function enrich(raw: RawEvent, spec: EventSpec = {}): EnrichedEvent {
  const object: InvolvedObjectMeta | undefined =
    spec.object === false
      ? undefined
      : {
          labels: spec.labels ?? {},
          annotations: spec.annotations ?? {},
          ownerReferences: [],
          deleted: false,
        };
  return {
    raw,
    object,
    occurrence: spec.occurrence ?? 1,
    clusterName: spec.clusterName ?? 'test',
    environment: {},
  };
}

/** The real events of the fixture, normalised to core/v1 field names. */
export function realEvents(): RawEvent[] {
  return realEventLines().map((line) => normalizeEvent(JSON.parse(line)));
}
