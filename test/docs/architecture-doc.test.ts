// docs/architecture.md and CONTRIBUTING.md point readers at files: every `src/...` path they name
// must exist, so the docs follow the code when modules move.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, readDoc } from './markdown.ts';

/** Every distinct `src/...` path named in the text (trailing sentence punctuation dropped). */
export function srcPaths(text: string): string[] {
  const found = [...text.matchAll(/(?<![\w./-])src\/[\w./-]*/g)].map((m) => m[0].replace(/[.,:;]+$/, ''));
  return [...new Set(found)];
}

describe('src/ paths named in the docs', () => {
  for (const file of ['docs/architecture.md', 'CONTRIBUTING.md']) {
    const paths = srcPaths(readDoc(file));
    it(`${file} names src/ paths`, () => assert.ok(paths.length > 10, `${paths.length} paths`));
    for (const path of paths) {
      it(`${file}: ${path} exists`, () => assert.ok(existsSync(join(ROOT, path)), `${path} does not exist`));
    }
  }

  it('docs/architecture.md gives every folder of src/ its job', () => {
    const doc = readDoc('docs/architecture.md');
    const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `src/${e.name}/`);
    for (const folder of folders) assert.match(doc, new RegExp(`^\\| \`${folder}\` \\|`, 'm'), folder);
  });

  it('reads paths as a reader would', () => {
    assert.deepEqual(srcPaths('See `src/app/app.ts`, src/route/. And src/go/re2/re2.ts; not xsrc/a.'), [
      'src/app/app.ts',
      'src/route/',
      'src/go/re2/re2.ts',
    ]);
  });
});
