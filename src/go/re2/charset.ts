// Character-set helpers for the RE2 → ECMAScript translator: POSIX classes, Unicode property
// names, case orbits (for a `(?i)` that is not at the start and so cannot become a flag) and
// the escaping of single code points in the emitted pattern.

/** A translation failure; compileRe2 wraps it into a RegexSyntaxError naming the pattern. */
export class TranslateError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.name = 'TranslateError';
    this.reason = reason;
  }
}

export type Range = readonly [lo: number, hi: number];

const MAX_CODE_POINT = 0x10ffff;

// Go's POSIX classes are ASCII-only (regexp/syntax perl_groups.go).
const POSIX_CLASSES: Readonly<Record<string, readonly Range[]>> = {
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  ascii: [[0x00, 0x7f]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  upper: [[0x41, 0x5a]],
  word: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ],
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
};

export const POSIX_CLASS_NAMES: readonly string[] = Object.keys(POSIX_CLASSES);

/** Ranges of `[:name:]` (or `[:^name:]` when negated); undefined for an unknown name. */
export function posixClass(name: string, negated: boolean): readonly Range[] | undefined {
  const ranges = Object.hasOwn(POSIX_CLASSES, name) ? POSIX_CLASSES[name] : undefined;
  if (ranges === undefined) return undefined;
  return negated ? complement(ranges) : ranges;
}

/** The complement of sorted, non-overlapping ranges within [0, U+10FFFF]. */
export function complement(ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

// Go accepts general categories and script names; ECMAScript needs `Script=` for the latter.
const GENERAL_CATEGORIES: ReadonlySet<string> = new Set(
  (
    'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps ' +
    'S Sc Sk Sm So Z Zl Zp Zs'
  ).split(' '),
);
// Under case folding Go widens these to the other cases; every other class is closed under it.
const CASE_SENSITIVE_CATEGORIES: ReadonlySet<string> = new Set(['Lu', 'Ll', 'Lt']);
const scriptValidity = new Map<string, boolean>();

function isScript(name: string): boolean {
  let known = scriptValidity.get(name);
  if (known === undefined) {
    known = /^[A-Za-z_]+$/.test(name) && compiles(`\\p{Script=${name}}`);
    scriptValidity.set(name, known);
  }
  return known;
}

function compiles(source: string): boolean {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    return false;
  }
}

export interface ClassText {
  readonly text: string;
  /** False when adding case variants would change what the class matches. */
  readonly caseClosed: boolean;
}

/** `\p{name}` / `\P{name}` in ECMAScript `u` syntax, or a TranslateError for an unknown name. */
export function unicodeClass(name: string, negated: boolean): ClassText {
  const letter = negated ? 'P' : 'p';
  if (name === 'Any') return { text: `\\${letter}{Any}`, caseClosed: true };
  if (GENERAL_CATEGORIES.has(name)) {
    return { text: `\\${letter}{${name}}`, caseClosed: !CASE_SENSITIVE_CATEGORIES.has(name) };
  }
  if (isScript(name)) return { text: `\\${letter}{Script=${name}}`, caseClosed: true };
  throw new TranslateError(`invalid character class range: \\${letter}{${name}}`);
}

// Characters that must be escaped to stand for themselves (outside / inside a class, `u` mode).
const SYNTAX = new Set('^$\\.*+?()[]{}|/');
const GRAPHIC = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const LINE_TERMINATORS = new Set([0x0a, 0x0d, 0x2028, 0x2029]);

/** One code point as pattern text that matches exactly it. */
export function formatCodePoint(cp: number, inClass: boolean): string {
  const ch = String.fromCodePoint(cp);
  if (SYNTAX.has(ch) || (inClass && ch === '-')) return `\\${ch}`;
  if (cp < 0x20 || LINE_TERMINATORS.has(cp) || (cp > 0x7e && !GRAPHIC.test(ch))) {
    return `\\u{${cp.toString(16)}}`;
  }
  return ch;
}

let orbits: Map<number, readonly number[]> | undefined;
let casedSorted: readonly number[] = [];

// Case orbits (k, K, U+212A KELVIN SIGN ...) built once from the engine's own case mappings,
// so the expansion agrees with what the `i` flag does where the flag can be used.
function caseOrbits(): Map<number, readonly number[]> {
  if (orbits !== undefined) return orbits;
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let root = x;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root) ?? root;
    return root;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (!parent.has(ra)) parent.set(ra, ra);
    if (ra !== rb) parent.set(rb, ra);
  };
  for (let cp = 0; cp <= 0x1ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    for (const mapped of [ch.toLowerCase(), ch.toUpperCase()]) {
      const other = mapped.codePointAt(0);
      if (other !== undefined && other !== cp && mapped.length === String.fromCodePoint(other).length) {
        union(cp, other);
      }
    }
  }
  return buildOrbits(parent, find);
}

function buildOrbits(
  parent: Map<number, number>,
  find: (x: number) => number,
): Map<number, readonly number[]> {
  const groups = new Map<number, number[]>();
  for (const cp of parent.keys()) {
    const root = find(cp);
    const group = groups.get(root) ?? [];
    group.push(cp);
    groups.set(root, group);
  }
  const result = new Map<number, readonly number[]>();
  for (const group of groups.values()) for (const cp of group) result.set(cp, group);
  orbits = result;
  casedSorted = [...result.keys()].sort((a, b) => a - b);
  return result;
}

/** Code points that case folding adds to the given ranges (those not already inside them). */
export function caseExtras(ranges: readonly Range[]): number[] {
  const map = caseOrbits();
  const inside = (cp: number): boolean => ranges.some(([lo, hi]) => cp >= lo && cp <= hi);
  const extras = new Set<number>();
  for (const cp of casedSorted) {
    if (!inside(cp)) continue;
    for (const other of map.get(cp) ?? []) if (!inside(other)) extras.add(other);
  }
  return [...extras].sort((a, b) => a - b);
}

/** The case orbit of one code point (itself alone when it has no other case). */
export function caseVariants(cp: number): readonly number[] {
  return caseOrbits().get(cp) ?? [cp];
}
