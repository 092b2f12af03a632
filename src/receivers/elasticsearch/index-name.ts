// Index names: `index` as is, or `indexFormat` with Go time layouts in braces
// (`kube-events-{2006-01-02}`), formatted in UTC at the time `indexTimeSource` picks; and the
// event's own time, carried to the receiver as a templated option (payloads hold no event).
import { formatGoTime } from '../../go/time/time.ts';
import { GoTime } from '../../go/template/value.ts';

export type IndexPart = { readonly literal: string } | { readonly layout: string };

export interface ParsedIndexFormat {
  readonly parts: readonly IndexPart[];
  readonly problem?: string;
}

// Elasticsearch refuses these in index names (and upper case letters).
const FORBIDDEN = /[\\/*?"<>| ,#:]/;
const SAMPLE_MS = Date.UTC(2025, 11, 31, 23, 59, 58, 999);

/**
 * Splits `indexFormat` into literals and layouts. Unlike the exporter's greedy `{(.*)}`, every
 * `{...}` pair is its own layout, so `events-{2006}.{01}` works; with one pair both agree.
 */
export function parseIndexFormat(format: string): ParsedIndexFormat {
  const parts: IndexPart[] = [];
  let rest = format;
  while (rest !== '') {
    const open = rest.indexOf('{');
    const close = rest.indexOf('}');
    if (open === -1 && close === -1) {
      parts.push({ literal: rest });
      break;
    }
    if (close === -1) return { parts, problem: 'has a "{" without its "}"' };
    if (open === -1 || close < open) return { parts, problem: 'has a "}" without its "{"' };
    if (open > 0) parts.push({ literal: rest.slice(0, open) });
    const layout = rest.slice(open + 1, close);
    if (layout === '')
      return { parts, problem: 'has an empty "{}" (put a Go time layout inside, e.g. {2006-01-02})' };
    if (layout.includes('{')) return { parts, problem: 'has a "{" inside a "{...}" layout' };
    parts.push({ layout });
    rest = rest.slice(close + 1);
  }
  const sample = formatIndexName(parts, SAMPLE_MS);
  if (sample !== sample.toLowerCase()) {
    return { parts, problem: `gives upper-case index names (e.g. "${sample}"), which Elasticsearch refuses` };
  }
  if (FORBIDDEN.test(sample))
    return { parts, problem: `gives index names with forbidden characters (e.g. "${sample}")` };
  return { parts };
}

/** The index name for an instant (UTC, as the exporter's time.Now() in a UTC container). */
export function formatIndexName(parts: readonly IndexPart[], epochMs: number): string {
  let out = '';
  let time: GoTime | undefined;
  for (const part of parts) {
    if ('literal' in part) out += part.literal;
    else out += formatGoTime((time ??= new GoTime(epochMs)), part.layout);
  }
  return out;
}

/** Names for one `index` / `indexFormat`, cached per second (a batch mostly shares one). */
export class IndexNamer {
  private readonly parts: readonly IndexPart[] | undefined;
  private lastSecond = Number.NaN;
  private lastName = '';

  constructor(
    private readonly index: string,
    indexFormat: string | undefined,
  ) {
    this.parts =
      indexFormat === undefined || indexFormat === '' ? undefined : parseIndexFormat(indexFormat).parts;
  }

  get isStatic(): boolean {
    return this.parts === undefined;
  }

  nameAt(epochMs: number): string {
    if (this.parts === undefined) return this.index;
    const second = Math.floor(epochMs / 1000);
    // Layouts with fractions would need the milliseconds; nobody names indexes by them.
    if (second !== this.lastSecond) {
      this.lastSecond = second;
      this.lastName = formatIndexName(this.parts, epochMs);
    }
    return this.lastName;
  }
}

/** The templated option that carries the event's time: the view prints Go's Time.String. */
export const EVENT_TIME_KEY = '@eventTime';
export const EVENT_TIME_TEMPLATES = {
  go: '{{ with .Series }}{{ .LastObservedTime }}{{ end }}|{{ .LastTimestamp }}|{{ .EventTime }}|{{ .FirstTimestamp }}|{{ .CreationTimestamp }}',
  handlebars:
    '{{#with Series}}{{LastObservedTime}}{{/with}}|{{LastTimestamp}}|{{EventTime}}|{{FirstTimestamp}}|{{CreationTimestamp}}',
} as const;

const GO_TIME_STRING = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(\.\d+)? ([+-]\d\d)(\d\d)/;

/**
 * When this occurrence happened: series.lastObservedTime, lastTimestamp, eventTime,
 * firstTimestamp, creationTimestamp, the first that is set; undefined when none is.
 */
export function eventTimeMs(rendered: string | undefined): number | undefined {
  if (rendered === undefined) return undefined;
  for (const text of rendered.split('|')) {
    const m = GO_TIME_STRING.exec(text);
    if (m === null || m[1] === '0001-01-01') continue;
    const frac = (m[3] ?? '.0').slice(0, 4);
    const ms = Date.parse(`${m[1]}T${m[2]}${frac}${m[4]}:${m[5]}`);
    if (!Number.isNaN(ms)) return ms;
  }
  return undefined;
}
