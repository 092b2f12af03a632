// The 934 real Kubernetes Events every data-driven test and the bench read (see
// test/fixtures/events/PROVENANCE.md). One place knows where the file lives, so moving it or
// changing its encoding is one edit.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REAL_EVENTS_PATH = fileURLToPath(
  new URL('../fixtures/events/real-events.ndjson', import.meta.url),
);

let cached: readonly string[] | undefined;

/** The fixture's events as NDJSON lines, in file order, without blank lines. */
export function realEventLines(): string[] {
  cached ??= readFileSync(REAL_EVENTS_PATH, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  return [...cached];
}

/** The fixture's events parsed as plain JSON objects, in file order. */
export function realEventObjects<T = Record<string, unknown>>(): T[] {
  return realEventLines().map((line) => JSON.parse(line) as T);
}

/** The first `count` events (all by default) as an NDJSON document, for replay and `--events` files. */
export function realEventsNdjson(count?: number): string {
  const lines = realEventLines();
  return `${lines.slice(0, count ?? lines.length).join('\n')}\n`;
}
