// pipe: the "server" is a named pipe (mkfifo) and this process as its reader, reading what the
// kernel holds once a send has returned; without a reader the receiver cannot open the pipe
// (ENXIO, an I/O error worth retrying).
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineEntry } from './harness.ts';
import type { ConformanceServer } from './harness.ts';

type PipeAnswer = 'reading' | 'noReader';

interface FifoServer extends ConformanceServer<PipeAnswer> {
  readonly path: string;
}

function startFifo(): Promise<FifoServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ker-conf-pipe-'));
  const path = join(dir, 'events.fifo');
  execFileSync('mkfifo', [path]);
  // Read-write and non-blocking: open() returns at once, and reads return what is there.
  let fd: number | undefined = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
  let pending = '';
  const drain = (): string => {
    if (fd === undefined) return '';
    const buf = Buffer.alloc(1 << 16);
    let text = '';
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') break;
        throw err;
      }
      if (n === 0) break;
      text += buf.toString('utf8', 0, n);
    }
    return text;
  };
  const stopReading = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  return Promise.resolve({
    path,
    answerWith: (answer) => {
      if (answer === 'noReader') stopReading();
    },
    takeReceived: () => {
      pending += drain();
      const complete = pending.slice(0, pending.lastIndexOf('\n') + 1);
      pending = pending.slice(complete.length);
      return complete
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as unknown);
    },
    close: () => {
      stopReading();
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
}

export const entry = defineEntry<FifoServer, PipeAnswer>({
  type: 'pipe',
  start: startFifo,
  receiver: (server) =>
    [
      '- name: my_pipe',
      '  pipe:',
      `    path: ${server.path}`,
      '    deDot: true',
      '    layout:',
      '      object: "{{ .InvolvedObject.Kind }}/{{ .InvolvedObject.Namespace }}/{{ .InvolvedObject.Name }}"',
      '      reason: "{{ .Reason }}"',
      '      message: "{{ .Message }}"',
    ].join('\n'),
  secrets: [],
  okAnswer: 'reading',
  answers: [
    { scenario: 'a reader', serverAnswer: 'reading', expected: 'ok' },
    { scenario: 'no reader (ENXIO)', serverAnswer: 'noReader', expected: 'retry', reason: 'ioError' },
  ],
});
