import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { readChanges } from '../event/read-events.ts';
import type { EventSink, EventSource, SourceObserver } from './types.ts';

/**
 * Replays a file as route-test reads it (an Event, a List, NDJSON of Events or watch lines,
 * YAML), in file order, then ends: `run --source replay:PATH` doubles as a batch import.
 */
export function createReplaySource(path: string): EventSource {
  return {
    kind: 'replay',
    async run(sink: EventSink, signal: AbortSignal, observer?: SourceObserver): Promise<void> {
      const input = path === '-' ? await text(process.stdin) : await readFile(path, 'utf8');
      const { changes, errors } = readChanges(input);
      for (const error of errors) observer?.malformed?.(error.message);
      observer?.listed?.(changes.length);
      for (const change of changes) {
        if (signal.aborted) return;
        observer?.activity?.();
        await sink(change);
      }
    },
  };
}
