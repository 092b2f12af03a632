// The repository stands alone: no file refers to a sibling checkout that a user who clones the
// project does not have.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './markdown.ts';

// Spelt in pieces so this file does not match itself.
const SIBLING = ['..', 'shared'].join('/');
const SKIPPED = new Set(['.git', 'node_modules']);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name)) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : entry.isFile() ? [path] : [];
  });
}

describe('a repository that stands alone', () => {
  it(`no file mentions ${SIBLING}`, () => {
    const all = files(ROOT);
    assert.ok(all.length > 100, `${all.length} files read`);
    const offending = all
      .filter((path) => readFileSync(path).includes(SIBLING))
      .map((p) => relative(ROOT, p));
    assert.deepEqual(offending, []);
  });
});
