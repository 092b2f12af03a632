// Rendering an event for one receiver: its layout (or the exporter's enhanced event JSON), with
// dots in label and annotation keys replaced when the receiver has `deDot`, plus its templated
// options (webhook headers). Done once, at push, so a template error never reaches a receiver.
import type { ReceiverConfig } from '../config/schema.ts';
import type { EnrichedEvent } from '../event/event.ts';
import { goJsonStringify } from '../go/json.ts';
import { occurrenceCount } from '../event/dedupe.ts';
import { eventId } from '../event/normalize.ts';
import type { Payload } from '../receivers/common/types.ts';
import { enhancedEventJson } from '../template/index.ts';

/** A template failed for this event (missing key with `missingkey=error`, a function error...). */
export class RenderError extends Error {
  readonly code = 'E_RENDER';
  constructor(
    message: string,
    /** Where: `layout` or the templated option's key (`headers.X-Token`). */
    readonly template: string,
  ) {
    super(message);
  }
}

function dedotMap(map: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  if (map === undefined) return undefined;
  const keys = Object.keys(map);
  if (!keys.some((k) => k.includes('.'))) return map;
  const out: Record<string, string> = {};
  for (const key of keys) out[key.replaceAll('.', '_')] = map[key] as string;
  return out;
}

/** The exporter's EnhancedEvent.DeDot: the event's and the involved object's labels and annotations. */
export function deDotEvent(event: EnrichedEvent): EnrichedEvent {
  const meta = event.raw.metadata;
  const labels = dedotMap(meta.labels);
  const annotations = dedotMap(meta.annotations);
  const raw =
    labels === meta.labels && annotations === meta.annotations
      ? event.raw
      : { ...event.raw, metadata: { ...meta, labels, annotations } };
  const object =
    event.object === undefined
      ? undefined
      : {
          ...event.object,
          labels: dedotMap(event.object.labels) ?? {},
          annotations: dedotMap(event.object.annotations) ?? {},
        };
  return { ...event, raw, object };
}

/**
 * The stable id of one occurrence (docs/architecture.md): `<event uid>-<count>`, from the API's count (or
 * series.count), not from this process's tally, so a restart or a second replica that sends the
 * same occurrence again uses the same id and the receiver absorbs it.
 */
export function occurrenceId(event: EnrichedEvent): string {
  return `${eventId(event.raw)}-${occurrenceCount(event.raw)}`;
}

/** The body bytes a receiver sends for one event. Throws what the template throws. */
export function renderBody(receiver: ReceiverConfig, event: EnrichedEvent): string {
  const e = receiver.deDot === true ? deDotEvent(event) : event;
  return receiver.layout === undefined ? enhancedEventJson(e) : goJsonStringify(receiver.layout.render(e));
}

export type Renderer = (event: EnrichedEvent) => Payload;

/** A renderer for one receiver; it throws RenderError naming the failing template. */
export function createRenderer(receiver: ReceiverConfig): Renderer {
  const deDot = receiver.deDot === true;
  const layout = receiver.layout;
  const templates = Object.entries(receiver.templates);
  return (original) => {
    const event = deDot ? deDotEvent(original) : original;
    let where = 'layout';
    try {
      const body = layout === undefined ? enhancedEventJson(event) : goJsonStringify(layout.render(event));
      const templated: Record<string, string> = {};
      for (const [key, template] of templates) {
        where = key;
        templated[key] = template.execute(event);
      }
      return { id: occurrenceId(original), body, bytes: Buffer.byteLength(body, 'utf8'), templated };
    } catch (err) {
      throw new RenderError(err instanceof Error ? err.message : String(err), where);
    }
  };
}
