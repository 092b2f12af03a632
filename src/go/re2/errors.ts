// The error of an invalid or untranslatable pattern, and the hint for the common glob mistake.

export class RegexSyntaxError extends Error {
  readonly code = 'E_REGEX';
  readonly pattern: string;
  /** What is wrong, without the pattern: `missing closing )`. */
  readonly reason: string;
  constructor(pattern: string, reason: string) {
    super(regexErrorMessage(pattern, reason));
    this.name = 'RegexSyntaxError';
    this.pattern = pattern;
    this.reason = reason;
  }
}

/** `invalid regular expression "(": missing closing )`, or the glob hint when it looks like one. */
export function regexErrorMessage(pattern: string, reason: string): string {
  if (looksLikeGlob(pattern)) {
    return `invalid regular expression "${pattern}" (looks like a glob; did you mean "${globToRegex(pattern)}"?)`;
  }
  return `invalid regular expression "${pattern}": ${reason}`;
}

/** True for shell-glob-looking text (`*test*`, `kube-*`, `app?`) with no other regex syntax. */
export function looksLikeGlob(pattern: string): boolean {
  if (!/[*?]/.test(pattern)) return false;
  return !/[\\()[\]{}|+^$]/.test(pattern) && !pattern.includes('.*') && !pattern.includes('.?');
}

/** The unanchored regex a glob means: `*test*` → `.*test.*`. */
export function globToRegex(glob: string): string {
  let out = '';
  for (const ch of glob) {
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else out += /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
  }
  return out;
}
