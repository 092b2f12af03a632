// Occurrence counts by namespace, kind, reason and type for dashboards and alert rules, with
// bounded cardinality: namespaces and reasons come from the cluster, so past `maxLabelSets`
// distinct combinations every new one is counted under namespace=kind=reason=type="other".
import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';

export const DEFAULT_MAX_EVENT_LABEL_SETS = 10_000;
export const OTHER_LABEL = 'other';
/** Longer label values are cut: a malformed event must not create a megabyte series name. */
export const MAX_LABEL_VALUE_LENGTH = 128;

/** The parts of a RawEvent (or anything shaped like one) the counter reads. */
export interface CountableEvent {
  readonly metadata?: { readonly namespace?: string };
  readonly involvedObject?: { readonly kind?: string; readonly namespace?: string };
  readonly reason?: string;
  readonly type?: string;
}

type EventLabel = 'namespace' | 'kind' | 'reason' | 'type';

export function labelValue(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value.length > MAX_LABEL_VALUE_LENGTH ? value.slice(0, MAX_LABEL_VALUE_LENGTH) : value;
}

export class EventCounter {
  private readonly counter: Counter<EventLabel>;
  private readonly overflow: Counter;
  private readonly children = new Map<string, Counter.Internal>();
  private readonly other: Counter.Internal;

  constructor(
    registry: Registry,
    prefix: string,
    private readonly maxLabelSets: number = DEFAULT_MAX_EVENT_LABEL_SETS,
  ) {
    this.counter = new Counter({
      name: `${prefix}events_total`,
      help: `Event occurrences by namespace, involved object kind, reason and type. Past ${maxLabelSets} distinct label sets, new ones count under "${OTHER_LABEL}".`,
      labelNames: ['namespace', 'kind', 'reason', 'type'] as const,
      registers: [registry],
    });
    this.overflow = new Counter({
      name: `${prefix}events_label_overflow_total`,
      help: 'Event occurrences counted under "other" because events_total reached its label-set cap.',
      registers: [registry],
    });
    this.other = this.counter.labels(OTHER_LABEL, OTHER_LABEL, OTHER_LABEL, OTHER_LABEL);
  }

  count(event: CountableEvent, occurrences = 1): void {
    const namespace = labelValue(event.involvedObject?.namespace ?? event.metadata?.namespace);
    const kind = labelValue(event.involvedObject?.kind);
    const reason = labelValue(event.reason);
    const type = labelValue(event.type);
    // NUL cannot occur in Kubernetes names, reasons or types, so the key is unambiguous.
    const key = `${namespace}\0${kind}\0${reason}\0${type}`;
    let child = this.children.get(key);
    if (child === undefined) {
      if (this.children.size >= this.maxLabelSets) {
        this.other.inc(occurrences);
        this.overflow.inc(occurrences);
        return;
      }
      child = this.counter.labels(namespace, kind, reason, type);
      this.children.set(key, child);
    }
    child.inc(occurrences);
  }

  /** Distinct label sets counted so far (the `other` set aside). */
  get labelSets(): number {
    return this.children.size;
  }
}
