import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The CLI is exercised as users run it: the checked-in bin script, in a child process.
export const ROOT = new URL('../..', import.meta.url).pathname;
export const BIN = join(ROOT, 'bin/kube-event-router');
export const EXAMPLE = join(ROOT, 'config.example.yaml');
export { REAL_EVENTS_PATH as REAL_EVENTS } from '../support/real-events.ts';

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: readonly string[], input?: string): Run {
  const result = spawnSync(BIN, args, {
    cwd: ROOT,
    encoding: 'utf8',
    input,
    maxBuffer: 64 * 1024 * 1024,
    // Node's own warnings (an SDK's support notice) are not the CLI's output.
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function tempFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ker-cli-')), name);
  writeFileSync(path, content);
  return path;
}
