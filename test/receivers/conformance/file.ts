// file: the "server" is a directory; the receiver appends JSON lines to a file in it, or fails
// when that path is a directory (EISDIR, an I/O error worth retrying).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineEntry } from './harness.ts';
import type { ConformanceServer } from './harness.ts';

type DiskAnswer = 'writable' | 'pathIsADirectory';

interface DirServer extends ConformanceServer<DiskAnswer> {
  readonly path: string;
}

function startDir(): Promise<DirServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ker-conf-file-'));
  const path = join(dir, 'events.log');
  let offset = 0;
  return Promise.resolve({
    path,
    answerWith: (answer) => {
      rmSync(path, { recursive: true, force: true });
      offset = 0;
      if (answer === 'pathIsADirectory') mkdirSync(path);
    },
    takeReceived: () => {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        return [];
      }
      const fresh = text.slice(offset);
      offset = text.length;
      return fresh
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as unknown);
    },
    close: () => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
}

export const entry = defineEntry<DirServer, DiskAnswer>({
  type: 'file',
  start: startDir,
  receiver: (server) =>
    [
      '- name: archive',
      '  file:',
      `    path: ${server.path}`,
      '    layout:',
      '      namespace: "{{ .InvolvedObject.Namespace }}"',
      '      object: "{{ .InvolvedObject.Kind }}/{{ .InvolvedObject.Name }}"',
      '      reason: "{{ .Reason }}"',
      '      message: "{{ .Message }}"',
      '      count: "{{ .Count }}"',
    ].join('\n'),
  secrets: [],
  okAnswer: 'writable',
  answers: [
    { scenario: 'the file is writable', serverAnswer: 'writable', expected: 'ok' },
    {
      scenario: 'the path is a directory (EISDIR)',
      serverAnswer: 'pathIsADirectory',
      expected: 'retry',
      reason: 'ioError',
    },
  ],
});
