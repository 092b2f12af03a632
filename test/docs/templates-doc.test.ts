// docs/templates.md names every field of the event view and every template function the code
// provides, so a field or function added without its documentation fails here.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { templateFunctionNames } from '../../src/template/index.ts';
import { EVENT_FIELD_NAMES, INVOLVED_OBJECT_TYPE } from '../../src/template/view.ts';
import { readDoc } from './markdown.ts';

const doc = readDoc('docs/templates.md');
const codeSpans = new Set([...doc.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]));

describe('docs/templates.md', () => {
  for (const name of EVENT_FIELD_NAMES) {
    it(`documents the event field .${name}`, () => {
      assert.match(doc, new RegExp(`\`\\.${name}[\\s.\`]`));
    });
  }

  for (const name of INVOLVED_OBJECT_TYPE.fields.keys()) {
    it(`documents .InvolvedObject.${name}`, () => {
      assert.match(doc, new RegExp(`(\`\\.InvolvedObject\\.${name}[\\s.\`])|(\`\\.${name}\`)`));
    });
  }

  for (const name of templateFunctionNames()) {
    it(`documents the function ${name}`, () => {
      assert.ok(codeSpans.has(name), `\`${name}\` is not in docs/templates.md`);
    });
  }
});
