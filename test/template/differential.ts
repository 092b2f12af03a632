// Differential runner: every case renders through our engine and must equal what Go's
// text/template produced for it (goldens written by test/template/go/render.go).
// Regenerate goldens (needs Go and sprig in GOPATH): tools/gen-template-golden.sh
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compileGoTemplate } from '../../src/go/template/compile.ts';
import type { FunctionTable } from '../../src/go/template/value.ts';
import { toGoValue } from './data.ts';

export interface DifferentialCase {
  readonly name: string;
  readonly template: string;
  readonly data?: unknown;
  /**
   * How errors compare: 'exact' (default) needs Go's full message; 'detail' the text after
   * Go's `executing "t" at <...>: ` (or after `template: t:N: ` for parse errors);
   * 'presence' only that both fail.
   */
  readonly errorMatch?: 'exact' | 'detail' | 'presence';
}

export interface GoldenResult {
  readonly name: string;
  readonly output?: string;
  readonly error?: string;
}

export interface CaseResult {
  readonly output?: string;
  readonly error?: string;
}

/** Renders one case under the template name Go's harness uses ("t"). */
export function renderCase(c: DifferentialCase, functions: FunctionTable): CaseResult {
  try {
    const program = compileGoTemplate(c.template, { name: 't', functions });
    return { output: program.execute(toGoValue(c.data ?? null)) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

function detailOf(message: string): string {
  const exec = /^template: [^:]*:\d+:\d+: executing "[^"]*" at <.*?>: ([\s\S]*)$/.exec(message);
  if (exec) return exec[1] as string;
  const parse = /^template: [^:]*:\d+(?::\d+)?: ([\s\S]*)$/.exec(message);
  return parse ? (parse[1] as string) : message;
}

export function compareCase(c: DifferentialCase, ours: CaseResult, golden: GoldenResult): void {
  if (golden.error === undefined) {
    assert.equal(ours.error, undefined, `Go rendered ${JSON.stringify(golden.output)} but we failed`);
    assert.equal(ours.output, golden.output);
    return;
  }
  assert.notEqual(
    ours.error,
    undefined,
    `Go failed with ${JSON.stringify(golden.error)} but we rendered ${JSON.stringify(ours.output)}`,
  );
  const mode = c.errorMatch ?? 'exact';
  if (mode === 'exact') assert.equal(ours.error, golden.error);
  else if (mode === 'detail') assert.equal(detailOf(ours.error as string), detailOf(golden.error));
}

/** Registers one node:test test per case of casesFile, checked against goldenFile. */
export function runDifferentialCases(casesFile: string, goldenFile: string, functions: FunctionTable): void {
  const cases = JSON.parse(readFileSync(casesFile, 'utf8')) as DifferentialCase[];
  const goldens = new Map(
    (JSON.parse(readFileSync(goldenFile, 'utf8')) as GoldenResult[]).map((g) => [g.name, g]),
  );
  for (const c of cases) {
    test(`go differential: ${c.name}`, () => {
      const golden = goldens.get(c.name);
      assert.ok(golden !== undefined, `no golden for ${c.name}: run tools/gen-template-golden.sh`);
      compareCase(c, renderCase(c, functions), golden);
    });
  }
}
