// Every relative link in README.md, CONTRIBUTING.md and docs/ leads to a file that exists, and
// every #anchor to a heading of the file it names.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import {
  ROOT,
  anchors,
  docFiles,
  isExternal,
  linkProblems,
  links,
  readDoc,
  slug,
  withoutCode,
} from './markdown.ts';

describe('doc links', () => {
  const files = docFiles();

  it('finds the docs to check', () => {
    for (const file of [
      'README.md',
      'CONTRIBUTING.md',
      'docs/routing.md',
      'docs/templates.md',
      'docs/architecture.md',
    ])
      assert.ok(files.includes(file), file);
  });

  for (const file of files) {
    it(`${file}: every relative link resolves`, () => {
      assert.deepEqual(linkProblems(file, readDoc(file)), []);
    });
  }
});

describe('the link checker', () => {
  it('reads links outside code only, with their lines', () => {
    const text =
      'See [a](a.md) and `[b](b.md)`.\n```\n[c](c.md)\n```\n![d](img/d.png "D") [e](https://x.test/e)';
    assert.deepEqual(links(text), [
      { target: 'a.md', line: 1 },
      { target: 'img/d.png', line: 5 },
      { target: 'https://x.test/e', line: 5 },
    ]);
    assert.equal(withoutCode('x `y` z'), 'x     z');
  });

  const slugs: [heading: string, anchor: string][] = [
    ['Trying a route tree: `route-test`', 'trying-a-route-tree-route-test'],
    ['`not` *(ours)*', 'not-ours'],
    ['The default payload: enhanced event JSON', 'the-default-payload-enhanced-event-json'],
    ['Building, publishing and deploying the image', 'building-publishing-and-deploying-the-image'],
  ];
  for (const [heading, anchor] of slugs) {
    it(`"${heading}" → #${anchor}`, () => assert.equal(slug(heading), anchor));
  }

  it('numbers repeated headings as GitHub does and ignores # lines in code', () => {
    assert.deepEqual([...anchors('# A\n## A\n```sh\n# not a heading\n```\n### A\n')], ['a', 'a-1', 'a-2']);
  });

  it('reports a missing file, a missing anchor and a way out of the repository; skips external links', () => {
    const text = [
      '# Here',
      '[ok](routing.md#presets) [self](#here) [dir](receivers/) [web](https://example.test/x#y)',
      '[gone](no-such-page.md) [bad](routing.md#no-such-heading) [self-bad](#there) [out](../../x.md)',
    ].join('\n');
    assert.deepEqual(linkProblems('docs/page.md', text), [
      'docs/page.md:3: no-such-page.md: docs/no-such-page.md does not exist',
      'docs/page.md:3: routing.md#no-such-heading: no heading makes #no-such-heading',
      'docs/page.md:3: #there: no heading makes #there',
      'docs/page.md:3: ../../x.md leaves the repository',
    ]);
    assert.equal(isExternal('mailto:x@y.test'), true);
    assert.equal(isExternal('../CONTRIBUTING.md#conventions'), false);
  });
});

describe('doc reachability', () => {
  it('every page under docs/ can be reached from README.md by following links', () => {
    const seen = new Set<string>(['README.md']);
    const queue = ['README.md'];
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      for (const { target } of links(readDoc(file))) {
        if (isExternal(target)) continue;
        const path = target.split('#')[0] ?? '';
        if (!path.endsWith('.md')) continue;
        const next = posix.normalize(posix.join(posix.dirname(file), path));
        if (!seen.has(next) && existsSync(join(ROOT, next))) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    const orphans = docFiles().filter((f) => !seen.has(f));
    assert.deepEqual(orphans, [], 'pages no link leads to');
  });
});
