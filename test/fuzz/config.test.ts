// Config fuzz (issue 7, item 5): a seeded corpus of broken YAML and schema violations derived
// from config.example.yaml and the good fixtures. loadConfigText must only ever throw
// ConfigError, place every problem (`file:line:column path: message`), and finish each case.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMap, parseDocument } from 'yaml';
import { ConfigError, loadConfigText } from '../../src/config/load.ts';
import { configCorpus, type ConfigCase } from './config-corpus.ts';
import { FUZZ_SEED } from './rng.ts';

const FILE = 'fuzz.yaml';
const ENV = { API_KEY: 'k-fuzz' };
/** A guard against hangs and blow-ups, not a benchmark: each case takes milliseconds. */
const PER_CASE_GUARD_MS = 5_000;
const PLACED = /^fuzz\.yaml:(\d+):(\d+) (.+)$/;

const corpus = configCorpus(FUZZ_SEED, { yaml: 40, schema: 45 });

/** A document whose top is not a map has problems about the whole document (path ''). */
function topIsMap(text: string): boolean {
  const doc = parseDocument(text);
  return isMap(doc.contents);
}

interface Outcome {
  readonly loaded: boolean;
  readonly problems: readonly string[];
}

function load(c: ConfigCase): Outcome {
  const startedAtMs = performance.now();
  try {
    // Strict: the exporter-compatible warnings (unknown keys, …) must be placed as well as errors.
    loadConfigText(c.text, { fileName: FILE, env: ENV, strict: true });
    return { loaded: true, problems: [] };
  } catch (err) {
    assert.ok(
      err instanceof ConfigError,
      `${c.name}: threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
    );
    assert.ok(err.problems.length > 0, `${c.name}: a ConfigError with no problem`);
    const lineCount = c.text.split('\n').length;
    const wholeDocumentAllowed = !topIsMap(c.text);
    for (const p of err.problems) {
      const m = PLACED.exec(p.text);
      assert.ok(m, `${c.name}: not placed: ${p.text}`);
      assert.ok(
        p.line >= 1 && p.line <= lineCount + 1,
        `${c.name}: line ${p.line} outside the file: ${p.text}`,
      );
      assert.ok(p.column >= 1, `${c.name}: column ${p.column}: ${p.text}`);
      const syntax = p.message.startsWith('invalid YAML');
      // A problem inside a parsed document names where: a path before the message.
      if (c.kind === 'schema' || !syntax) {
        assert.ok(p.path.length > 0 || wholeDocumentAllowed, `${c.name}: no path in "${p.text}"`);
      }
    }
    return { loaded: false, problems: err.problems.map((p) => p.text) };
  } finally {
    const elapsedMs = performance.now() - startedAtMs;
    assert.ok(elapsedMs < PER_CASE_GUARD_MS, `${c.name}: took ${Math.round(elapsedMs)} ms`);
  }
}

describe(`config fuzz (seed ${FUZZ_SEED}, ${corpus.length} cases)`, () => {
  it('only ConfigError, every problem placed with a path, nothing hangs', { timeout: 60_000 }, () => {
    const outcomes = corpus.map((c) => ({ c, outcome: load(c) }));
    const rejected = outcomes.filter((o) => !o.outcome.loaded).length;
    console.log(
      `# config fuzz: ${corpus.length} cases, ${rejected} rejected, ${corpus.length - rejected} still valid`,
    );
    // The corpus is meant to be broken: most cases must be rejected, or it tests nothing.
    assert.ok(rejected > corpus.length * 0.6, `only ${rejected}/${corpus.length} rejected`);
  });

  it('bounds alias expansion (billion laughs) with a placed problem', () => {
    for (const name of [
      'billion laughs (top level)',
      'billion laughs (inside a receiver)',
      'merge-key bomb',
    ]) {
      const c = corpus.find((x) => x.name === name);
      assert.ok(c);
      const outcome = load(c);
      assert.equal(outcome.loaded, false, name);
      assert.ok(
        outcome.problems.some((p) => /alias/i.test(p)),
        `${name}: ${outcome.problems.join('\n')}`,
      );
    }
  });

  it('names the path of a value of the wrong type deep in a receiver', () => {
    const text =
      'route: {}\nreceivers:\n  - name: a\n    webhook:\n      endpoint: http://x\n      headers: [1, 2]\n';
    assert.throws(
      () => loadConfigText(text, { fileName: FILE, env: ENV }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.lines.some((l) => l.startsWith('fuzz.yaml:6:') && l.includes('receivers[0].webhook.headers')),
    );
  });
});
