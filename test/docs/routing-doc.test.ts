// docs/routing.md says what the code does: its preset table is the one generated from the preset
// definitions, and every rule key the compiler accepts is documented.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PRESET_DEFINITIONS } from '../../src/route/preset-defs.ts';
import { RULE_KEYS } from '../../src/route/rule-fields.ts';
import {
  MissingMarkersError,
  TABLE_BEGIN,
  TABLE_END,
  presetTable,
  withPresetTable,
} from '../../tools/docs-presets.ts';
import { readDoc } from './markdown.ts';

const doc = readDoc('docs/routing.md');

describe('docs/routing.md', () => {
  it('holds the preset table generated from src/route/preset-defs.ts (run npm run docs:presets)', () => {
    assert.equal(withPresetTable(doc), doc);
  });

  it('lists every preset once, in definition order', () => {
    const block = doc.slice(doc.indexOf(TABLE_BEGIN), doc.indexOf(TABLE_END));
    const names = [...block.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual(
      names,
      PRESET_DEFINITIONS.map((d) => d.name),
    );
  });

  for (const key of RULE_KEYS) {
    it(`documents the rule key "${key}" with an example`, () => {
      const documented =
        new RegExp(`^#{2,4} .*\`${key}\``, 'm').test(doc) || new RegExp(`^\\| \`${key}\``, 'm').test(doc);
      assert.ok(documented, `no heading or table row for ${key}`);
      assert.match(doc, new RegExp(`(^\\s*-? ?${key}:)|(\`${key}: )`, 'm'), `no example using ${key}`);
    });
  }
});

describe('the preset table generator', () => {
  it('renders rules as YAML flow maps and escapes table pipes', () => {
    const table = presetTable([
      {
        name: 'x_demo',
        description: 'A | B.',
        source: 'here',
        rules: [{ reason: '^(A|B)$', not: { message: 'm' } }, { kind: '^Pod$' }],
      },
    ]);
    assert.equal(
      table.split('\n')[2],
      '| `x_demo` | A \\| B. | `{ reason: ^(A\\|B)$, not: { message: m } }` or `{ kind: ^Pod$ }` | here |',
    );
  });

  it('refuses a document without the markers', () => {
    assert.throws(() => withPresetTable('# Routing\n', 'x.md'), MissingMarkersError);
  });

  it('replaces only what is between the markers', () => {
    const stale = `before\n${TABLE_BEGIN}\n| old |\n${TABLE_END}\nafter\n`;
    const fresh = withPresetTable(stale);
    assert.ok(fresh.startsWith(`before\n${TABLE_BEGIN}\n| preset |`));
    assert.ok(fresh.endsWith(`${TABLE_END}\nafter\n`));
    assert.ok(!fresh.includes('| old |'));
  });
});
