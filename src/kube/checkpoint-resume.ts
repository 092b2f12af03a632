// Resuming from a checkpoint: which listed (or replayed) occurrences are sent again. Pure, so the
// rule is tested as a table.
import { lastSeenMs } from '../event/dedupe.ts';
import type { RawEvent } from '../event/event.ts';
import type { Checkpoint } from './checkpoint.ts';

export interface ResumeOptions {
  /** How far event clocks may disagree (kubelets, controllers): occurrences this close below the mark are let through unless known done. */
  readonly skewMs: number;
}

/** True when the occurrence should be routed; `key` is its `uid/count` (occurrenceKey). */
export type ResumeFilter = (event: RawEvent, key: string) => boolean;

const ALL: ResumeFilter = () => true;

/**
 * Lets through what may not have been sent: everything after `highWaterMs - skewMs`, except the
 * boundary keys (done). Older occurrences were all delivered or dead-lettered before the restart.
 * No checkpoint, or no mark in it, lets everything through (the maxEventAgeSeconds rule applies).
 */
export function resumeFilter(checkpoint: Checkpoint | undefined, options: ResumeOptions): ResumeFilter {
  const highWaterMs = checkpoint?.highWaterMs;
  if (checkpoint === undefined || highWaterMs === undefined) return ALL;
  const done = new Set(checkpoint.boundaryKeys);
  const floorMs = highWaterMs - options.skewMs;
  return (event, key) => lastSeenMs(event) > floorMs && !done.has(key);
}
