// sprig's regex functions over Go regexp semantics: RE2 syntax (translated by the route
// engine's compileRe2), Go's rules for successive and empty matches, and Go's `$name` /
// `${name}` replacement expansion.
import { compileRe2, RegexSyntaxError } from '../re2/re2.ts';
import { argInt, argString, fn, GoPanicError, strings } from './support.ts';
import type { GoParamType, TemplateFunction } from '../template/value.ts';

interface Compiled {
  readonly re: RegExp;
  /** Capture group names by group number (index 0 is the whole match). */
  readonly names: readonly string[];
}

const compiledCache = new Map<string, Compiled>();

/** Capture-group names in source order, read from the ECMAScript source. */
function groupNames(source: string): string[] {
  const names = [''];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') {
      if (source[i + 1] !== '?') names.push('');
      else {
        const m = /^\(\?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(source.slice(i));
        if (m !== null) names.push(m[1] as string);
      }
    }
  }
  return names;
}

function compile(pattern: string): Compiled {
  let compiled = compiledCache.get(pattern);
  if (compiled === undefined) {
    const re = compileRe2(pattern);
    const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
    compiled = { re: global, names: groupNames(re.source) };
    if (compiledCache.size < 1000) compiledCache.set(pattern, compiled);
  }
  return compiled;
}

/** regexp.MustCompile: a panic Go's template reports as the function's error. */
function mustCompile(pattern: string): Compiled {
  try {
    return compile(pattern);
  } catch (err) {
    if (err instanceof RegexSyntaxError) {
      throw new GoPanicError(
        `regexp: Compile(\`${pattern}\`): error parsing regexp: ${err.reason}: \`${pattern}\``,
      );
    }
    throw err;
  }
}

function execAt(c: Compiled, s: string, pos: number): RegExpExecArray | null {
  c.re.lastIndex = pos;
  return c.re.exec(s);
}

function runeWidth(s: string, pos: number): number {
  const code = s.charCodeAt(pos);
  return code >= 0xd800 && code <= 0xdbff && pos + 1 < s.length ? 2 : 1;
}

/** Go's allMatches: successive matches, an empty match abutting the previous one ignored. */
function allMatches(c: Compiled, s: string, n: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  const limit = n < 0 ? s.length + 1 : n;
  for (let pos = 0, prevEnd = -1; out.length < limit && pos <= s.length;) {
    const m = execAt(c, s, pos);
    if (m === null) break;
    const end = m.index + m[0].length;
    let accept = true;
    if (end === pos) {
      if (m.index === prevEnd) accept = false;
      pos += pos < s.length ? runeWidth(s, pos) : 1;
    } else pos = end;
    prevEnd = end;
    if (accept) out.push(m);
  }
  return out;
}

function extractName(template: string): { name: string; num: number; rest: string } | undefined {
  const m = /^(\{)?([\p{L}\p{Nd}_]+)/u.exec(template);
  if (m === null) return undefined;
  const name = m[2] as string;
  let used = m[0].length;
  if (m[1] !== undefined) {
    if (template[used] !== '}') return undefined;
    used++;
  }
  let num = /^\d+$/.test(name) && name.length <= 8 ? Number(name) : -1;
  if (name.length > 1 && name.startsWith('0')) num = -1;
  return { name, num, rest: template.slice(used) };
}

/** Regexp.Expand's template language. */
function expand(template: string, m: RegExpExecArray, names: readonly string[]): string {
  let out = '';
  let rest = template;
  for (let at = rest.indexOf('$'); at >= 0; at = rest.indexOf('$')) {
    out += rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (rest[0] === '$') {
      out += '$';
      rest = rest.slice(1);
      continue;
    }
    const ref = extractName(rest);
    if (ref === undefined) {
      out += '$';
      continue;
    }
    rest = ref.rest;
    const index = ref.num >= 0 ? ref.num : names.indexOf(ref.name);
    if (index >= 0) out += m[index] ?? '';
  }
  return out + rest;
}

function replaceAll(c: Compiled, s: string, repl: (m: RegExpExecArray) => string): string {
  let out = '';
  let lastEnd = 0;
  for (let pos = 0; pos <= s.length;) {
    const m = execAt(c, s, pos);
    if (m === null) break;
    const end = m.index + m[0].length;
    out += s.slice(lastEnd, m.index);
    if (end > lastEnd || m.index === 0) out += repl(m);
    lastEnd = end;
    const width = pos < s.length ? runeWidth(s, pos) : 0;
    if (pos + width > end) pos += width;
    else if (pos + 1 > end) pos++;
    else pos = end;
  }
  return out + s.slice(lastEnd);
}

function split(c: Compiled, s: string, n: number, emptyPattern: boolean): string[] {
  if (n === 0) return [];
  if (!emptyPattern && s === '') return [''];
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of allMatches(c, s, n)) {
    if (n > 0 && out.length === n - 1) break;
    end = m.index;
    if (m.index + m[0].length !== 0) out.push(s.slice(beg, end));
    beg = m.index + m[0].length;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

const s2 = (f: (re: string, s: string) => ReturnType<TemplateFunction['call']>): TemplateFunction =>
  strings(2, f);
const s3 = (f: (re: string, s: string, r: string) => string): TemplateFunction => strings(3, f);
const SSI: readonly GoParamType[] = ['string', 'string', 'int'];

function tryCompile(pattern: string): Compiled | Error {
  try {
    return compile(pattern);
  } catch (err) {
    if (err instanceof RegexSyntaxError)
      return new Error(`error parsing regexp: ${err.reason}: \`${pattern}\``);
    throw err;
  }
}

function must(pattern: string): Compiled {
  const c = tryCompile(pattern);
  if (c instanceof Error) throw c;
  return c;
}

export const REGEX_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  regexMatch: s2((re, s) => {
    const c = tryCompile(re);
    return c instanceof Error ? false : execAt(c, s, 0) !== null;
  }),
  mustRegexMatch: s2((re, s) => execAt(must(re), s, 0) !== null),
  regexFind: s2((re, s) => execAt(mustCompile(re), s, 0)?.[0] ?? ''),
  mustRegexFind: s2((re, s) => execAt(must(re), s, 0)?.[0] ?? ''),
  regexFindAll: fn(
    3,
    (re, s, n) => allMatches(mustCompile(argString(re)), argString(s), argInt(n)).map((m) => m[0]),
    false,
    SSI,
  ),
  mustRegexFindAll: fn(
    3,
    (re, s, n) => allMatches(must(argString(re)), argString(s), argInt(n)).map((m) => m[0]),
    false,
    SSI,
  ),
  regexReplaceAll: s3((re, s, r) => {
    const c = mustCompile(re);
    return replaceAll(c, s, (m) => expand(r, m, c.names));
  }),
  mustRegexReplaceAll: s3((re, s, r) => {
    const c = must(re);
    return replaceAll(c, s, (m) => expand(r, m, c.names));
  }),
  regexReplaceAllLiteral: s3((re, s, r) => replaceAll(mustCompile(re), s, () => r)),
  mustRegexReplaceAllLiteral: s3((re, s, r) => replaceAll(must(re), s, () => r)),
  regexSplit: fn(
    3,
    (re, s, n) => split(mustCompile(argString(re)), argString(s), argInt(n), argString(re) === ''),
    false,
    SSI,
  ),
  mustRegexSplit: fn(
    3,
    (re, s, n) => split(must(argString(re)), argString(s), argInt(n), argString(re) === ''),
    false,
    SSI,
  ),
  regexQuoteMeta: strings(1, (s) => s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')),
};
