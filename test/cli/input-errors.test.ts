import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/cli/args.ts';
import { reportError } from '../../src/cli/report.ts';
import { InputError, readChangesFile, readInputText } from '../../src/event/input-file.ts';
import { cli, EXAMPLE, REAL_EVENTS, tempFile } from './cli-process.ts';

const MISSING = join(mkdtempSync(join(tmpdir(), 'ker-missing-')), 'nope.json');
const STACK_FRAME = /^\s+at /m;

function realList(): string {
  const items = readFileSync(REAL_EVENTS, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
  return JSON.stringify(
    { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } },
    null,
    4,
  );
}

async function inputError(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof InputError, String(err));
    return err.message;
  }
  assert.fail('expected an InputError');
}

describe('input errors', () => {
  it('names the file and the reason for every unreadable input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ker-dir-'));
    const cases: { option: string; path: string; message: string }[] = [
      { option: '--events', path: MISSING, message: `--events file ${MISSING}: no such file or directory` },
      { option: '--objects', path: dir, message: `--objects file ${dir}: is a directory, not a file` },
      { option: 'replay', path: MISSING, message: `replay file ${MISSING}: no such file or directory` },
    ];
    for (const c of cases) assert.equal(await inputError(() => readInputText(c.option, c.path)), c.message);
  });

  it('reports a truncated file once, naming it', async () => {
    const path = tempFile('events.json', realList().slice(0, 400_000));
    assert.match(
      await inputError(() => readChangesFile('--events', path)),
      new RegExp(
        `^--events file ${path}: the JSON document ends early, at line \\d+, column \\d+ with \\d+ brackets still open: it looks truncated$`,
      ),
    );
  });

  // Through the real CLI: one line on stderr, exit 2, never a stack trace.
  const runs: { name: string; args: (file: string) => string[]; content?: string; stderr: RegExp }[] = [
    {
      name: 'route-test with a missing --events file',
      args: () => ['route-test', '-c', EXAMPLE, '--events', MISSING],
      stderr: /^kube-event-router: --events file \S+nope\.json: no such file or directory\n$/,
    },
    {
      name: 'render with a missing --objects file',
      args: () => [
        'render',
        '-c',
        EXAMPLE,
        '--receiver',
        'dump',
        '--events',
        REAL_EVENTS,
        '--objects',
        MISSING,
      ],
      stderr: /^kube-event-router: --objects file \S+nope\.json: no such file or directory\n$/,
    },
    {
      name: 'run with a missing replay file',
      args: () => ['run', '-c', EXAMPLE, '--source', `replay:${MISSING}`, '--metrics-address', ''],
      stderr: /^kube-event-router: replay file \S+nope\.json: no such file or directory\n$/,
    },
    {
      name: 'route-test with a truncated kubectl List',
      args: (file) => ['route-test', '-c', EXAMPLE, '--events', file],
      content: realList().slice(0, -5000),
      stderr:
        /^kube-event-router: --events file \S+events\.json: the JSON document ends early, at line \d+, column \d+ with \d+ brackets still open: it looks truncated\n$/,
    },
  ];
  for (const r of runs) {
    it(`${r.name}: one line, exit 2`, () => {
      const file = r.content === undefined ? '' : tempFile('events.json', r.content);
      const run = cli(r.args(file));
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, r.stderr);
      assert.doesNotMatch(run.stderr, STACK_FRAME);
    });
  }

  // NDJSON cut short: the good lines are routed, the cut one is one line naming the file.
  it('reports NDJSON cut inside its last line as truncated, naming the file', () => {
    const ndjson = readFileSync(REAL_EVENTS, 'utf8');
    const cut = ndjson.lastIndexOf('\n', 50_000) + 200; // 199 characters of the next line
    const lines = ndjson.slice(0, cut).split('\n').length;
    const complete = lines - 1;
    for (const [content, truncated] of [
      [ndjson.slice(0, cut), true],
      [`${ndjson.slice(0, cut)}\n`, false],
    ] as const) {
      const file = tempFile('events.ndjson', content);
      const run = cli(['route-test', '-c', EXAMPLE, '--events', file]);
      assert.equal(run.status, 1, run.stderr);
      assert.equal(run.stdout.split('\n').filter((l) => /^\S.* → /.test(l)).length, complete);
      const reason = truncated
        ? 'the last line ends early, at column 200: it looks truncated'
        : 'invalid JSON: Unterminated string in JSON at position 199';
      assert.equal(run.stderr, `kube-event-router: --events file ${file}: line ${lines}: ${reason}\n`);
    }
  });

  it('warns "no events" for an empty input and exits 0', () => {
    const run = cli(['route-test', '-c', EXAMPLE, '--events', '-'], '[]');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, 'kube-event-router: warning: --events (standard input): no events\n');
  });

  it('prints a stack trace for an unexpected error only with --debug', () => {
    const err = new TypeError('boom');
    for (const debug of [false, true]) {
      let out = '';
      assert.equal(
        reportError(err, debug, (text) => (out += text)),
        1,
      );
      assert.match(out, /^kube-event-router: unexpected error: boom\n/);
      assert.equal(STACK_FRAME.test(out), debug, out);
    }
    let usage = '';
    assert.equal(
      reportError(new UsageError('bad', 'check'), false, (text) => (usage += text)),
      2,
    );
    assert.equal(
      usage,
      'kube-event-router: bad\nUsage: kube-event-router check -c FILE [--strict]\nSee "kube-event-router check --help".\n',
    );
  });
});
