// The one edit distance behind every "did you mean" (config keys, route names, template fields).

/**
 * Optimal string alignment distance: insertions, deletions, substitutions and transposed
 * neighbours (`nmae` → `name`) each count as one edit. Case-sensitive: callers lower-case
 * both sides when case should not count.
 */
export function editDistance(a: string, b: string): number {
  // Three rows suffice: the transposition looks two rows back.
  let twoBack: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (twoBack[j - 2] ?? 0) + 1);
      }
      current[j] = d;
    }
    twoBack = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}
