// "Did you mean" hints for misspelled keys.
import { editDistance } from '../util/edit-distance.ts';

/**
 * The candidate closest to `word`, when close enough to be a plausible typo: case-only
 * differences always count, otherwise at most a third of the word's length may differ.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance =
      candidate.toLowerCase() === word.toLowerCase()
        ? 0.5
        : editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.floor(word.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

export function unknownKeyMessage(key: string, candidates: Iterable<string>): string {
  const hint = nearest(key, candidates);
  return hint === undefined ? `unknown key "${key}"` : `unknown key "${key}" (did you mean "${hint}"?)`;
}

/** What the exporter does with an unknown key, said once for every such warning. */
export const EXPORTER_IGNORES = 'ignored, as kubernetes-event-exporter ignores it';

/**
 * An unknown key that the exporter's decoder (non-strict) skips: a warning saying so, with
 * the fix (the key it resembles, else removing it).
 */
export function ignoredKeyMessage(key: string, candidates: Iterable<string>): string {
  const hint = nearest(key, candidates);
  const fix = hint === undefined ? 'remove it' : `did you mean "${hint}"?`;
  return `unknown key "${key}", ${EXPORTER_IGNORES}; ${fix}`;
}
