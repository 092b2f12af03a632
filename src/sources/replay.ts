import { inputName, readChangesFile } from '../event/input-file.ts';
import type { EventSink, EventSource, SourceObserver } from './types.ts';

/**
 * Replays a file as route-test reads it (an Event, a List, NDJSON of Events or watch lines,
 * YAML), in file order, then ends: `run --source replay:PATH` doubles as a batch import.
 */
export function createReplaySource(path: string): EventSource {
  return {
    kind: 'replay',
    async run(sink: EventSink, signal: AbortSignal, observer?: SourceObserver): Promise<void> {
      // A missing or unreadable file rejects with an InputError naming it: `run` exits 2.
      const { changes, errors } = await readChangesFile('replay', path);
      if (changes.length === 0 && errors.length === 0) observer?.empty?.(inputName('replay', path));
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
