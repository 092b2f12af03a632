// The suite cannot hang: every test file has a time bound (package.json's `test` script), waits
// poll their condition, and a test whose real server is missing fails at once naming it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { Rsyslog } from '../receivers/rsyslog.ts';
import { pollUntil, PollTimeoutError } from './poll.ts';
import { requireExecutable, ServerMissingError } from './require-server.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const scripts = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

/** Whether `promise` has already settled with a rejection, without waiting on any timer. */
async function rejectedAtOnce(promise: Promise<unknown>): Promise<unknown> {
  const pending = Symbol('pending');
  const outcome = await Promise.race([
    promise.then(
      () => 'resolved',
      (err: unknown) => err,
    ),
    Promise.resolve().then(() => pending),
  ]);
  assert.notEqual(outcome, pending, 'still pending');
  return outcome;
}

describe('tests that cannot hang', () => {
  for (const name of ['test', 'test:unit']) {
    it(`bounds every test file's time in the "${name}" script, and a hanging test fails with it`, () => {
      const match = /node (?:--import tsx )?--test (?:.* )?--test-timeout=(\d+) /.exec(scripts[name] ?? '');
      assert.ok(match, `${name}: ${scripts[name] ?? ''}`);
      const timeoutMs = Number(match[1]);
      assert.ok(timeoutMs > 0 && timeoutMs <= 600_000, `${timeoutMs} ms`);
      // The same runner and flag, with a bound short enough for this test, on a test that never ends.
      const dir = mkdtempSync(join(tmpdir(), 'ker-hang-'));
      writeFileSync(
        join(dir, 'hangs.test.mjs'),
        // A timer keeps the event loop alive, as a server that never answers does; a bare pending
        // promise would be cancelled by the runner as soon as the loop empties, not timed out.
        "import { it } from 'node:test';\nit('never ends', () => new Promise(() => { setInterval(() => {}, 1_000); }));\n",
      );
      const run = spawnSync(process.execPath, ['--test', '--test-timeout=300', join(dir, 'hangs.test.mjs')], {
        encoding: 'utf8',
        timeout: 60_000,
        // Not as a child of this runner (which would take its report over): as `npm test` runs it.
        env: Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'NODE_TEST_CONTEXT')),
      });
      assert.equal(run.signal, null, 'ended by itself');
      assert.equal(run.status, 1);
      assert.match(run.stdout, /timed out after 300ms/);
    });
  }

  it('polls a condition that changes without any request to watch', async () => {
    let clockMs = 0;
    let checks = 0;
    let delivered = 0;
    await pollUntil(() => (++checks, delivered >= 3), {
      what: 'three deliveries',
      timeoutMs: 1_000,
      nowMs: () => clockMs,
      // Stands for time passing while another party (the new sink) receives events.
      pause: async () => {
        clockMs += 5;
        delivered++;
      },
    });
    assert.equal(checks, 4);
  });

  it('fails a poll after its bound, naming what it waited for and the state', async () => {
    let clockMs = 0;
    await assert.rejects(
      pollUntil(() => false, {
        what: 'every event',
        timeoutMs: 100,
        state: () => 'old=300 new=0',
        nowMs: () => clockMs,
        pause: async () => void (clockMs += 10),
      }),
      (err: unknown) =>
        err instanceof PollTimeoutError &&
        err.message === 'Timed out after 100 ms waiting for every event (old=300 new=0)',
    );
  });

  it('fails at once, naming rsyslogd and how to install it, when it is missing', async () => {
    const err = await rejectedAtOnce(Rsyslog.start('/nonexistent/sbin/rsyslogd'));
    assert.ok(err instanceof ServerMissingError, String(err));
    assert.match(err.message, /^\/nonexistent\/sbin\/rsyslogd is not installed .*apt-get install rsyslog/);
  });

  it('finds a tool on PATH and names a missing one', () => {
    const nodeDir = dirname(process.execPath);
    assert.equal(requireExecutable('node', '', nodeDir), join(nodeDir, 'node'));
    assert.throws(() => requireExecutable('kubectl-not-here', 'apt-get install kubectl', nodeDir), {
      name: 'ServerMissingError',
      message: 'kubectl-not-here is not installed (the tests run the real one): apt-get install kubectl',
    });
  });
});
