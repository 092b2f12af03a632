// Every registered receiver description names a doc page that exists (a file under docs/, and
// its heading when the link has an anchor), and lists its defaults within its own limits.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { RECEIVER_SPECS } from '../../src/receivers/registry.ts';

const root = new URL('../../', import.meta.url);

/** GitHub's anchor of a markdown heading: lower case, punctuation dropped, spaces to dashes. */
function anchorOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

describe('receiver descriptions', () => {
  for (const spec of RECEIVER_SPECS) {
    it(`${spec.type}: its doc page ${spec.docs} exists`, () => {
      const [file = '', anchor] = spec.docs.split('#');
      assert.match(file, /^docs\/.+\.md$/);
      const path = new URL(file, root);
      assert.ok(existsSync(path), `${file} is missing`);
      if (anchor === undefined) return;
      const headings = readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('#'))
        .map((line) => anchorOf(line.replace(/^#+\s*/, '')));
      assert.ok(headings.includes(anchor), `${file} has no heading #${anchor}`);
    });

    it(`${spec.type}: its batch defaults are within its limits`, () => {
      for (const key of ['maxEvents', 'maxBytes', 'flushIntervalMs'] as const) {
        const limit = spec.limits?.[key];
        if (limit !== undefined) assert.ok(spec.batchDefaults[key] <= limit, `${key} above the limit`);
      }
    });
  }
});
