// Reading the repository's Markdown for the doc tests: which files are docs, their links outside
// code, and the anchors their headings get (GitHub's rule).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** README.md, CONTRIBUTING.md and every Markdown file under docs/, relative to the root. */
export function docFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return walk(path);
      return entry.name.endsWith('.md') ? [relative(ROOT, path)] : [];
    });
  return ['README.md', 'CONTRIBUTING.md', ...walk(join(ROOT, 'docs')).sort()];
}

export function readDoc(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8');
}

/** The text with fenced code blocks and inline code spans blanked (lines kept), so code is not read as links. */
export function withoutCode(markdown: string): string {
  return markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, (block) => block.replace(/[^\n]/g, ''))
    .replace(/(`+)[^`\n]*?\1/g, (span) => ' '.repeat(span.length));
}

export interface Link {
  readonly target: string;
  readonly line: number;
}

/** Inline links and images `[text](target)` outside code, with their line numbers. */
export function links(markdown: string): Link[] {
  const out: Link[] = [];
  withoutCode(markdown)
    .split('\n')
    .forEach((text, i) => {
      for (const m of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
        out.push({ target: m[1] ?? '', line: i + 1 });
      }
    });
  return out;
}

/** True for links that leave the repository (a scheme such as https: or mailto:). */
export function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target);
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every anchor the file's headings produce (a repeated heading gets `-1`, `-2`, ...). */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of withoutCodeBlocks(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(m[1] ?? '');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** What is wrong with the relative links of `markdown`, the text of `file` (relative to the root). */
export function linkProblems(file: string, markdown: string): string[] {
  const out: string[] = [];
  for (const { target, line } of links(markdown)) {
    if (isExternal(target)) continue;
    const [path = '', anchor] = target.split('#', 2);
    const shown = `${file}:${line}: ${target}`;
    const resolved = path === '' ? join(ROOT, file) : normalize(join(ROOT, dirname(file), decodeURI(path)));
    if (!`${resolved}${sep}`.startsWith(ROOT)) {
      out.push(`${shown} leaves the repository`);
    } else if (path !== '' && !existsSync(resolved)) {
      out.push(`${shown}: ${relative(ROOT, resolved)} does not exist`);
    } else if (anchor !== undefined && resolved.endsWith('.md')) {
      const text = path === '' ? markdown : readFileSync(resolved, 'utf8');
      if (!anchors(text).has(anchor)) out.push(`${shown}: no heading makes #${anchor}`);
    }
  }
  return out;
}
