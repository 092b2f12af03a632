// stdout: the "server" is the stream the receiver writes to; it accepts or fails writes (EPIPE).
import { Writable } from 'node:stream';
import { createReceiver } from '../create-receiver.ts';
import { defineEntry } from './harness.ts';
import type { ConformanceServer } from './harness.ts';

type StreamAnswer = 'accept' | 'epipe';

interface StreamServer extends ConformanceServer<StreamAnswer> {
  readonly stream: Writable;
}

function startStream(): Promise<StreamServer> {
  let answer: StreamAnswer = 'accept';
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (answer === 'epipe') {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
        return;
      }
      text += chunk.toString('utf8');
      done();
    },
  });
  return Promise.resolve({
    stream,
    answerWith: (a) => {
      answer = a;
    },
    takeReceived: () => {
      const lines = text.split('\n').filter((l) => l !== '');
      text = '';
      return lines.map((l) => JSON.parse(l) as unknown);
    },
    close: () => Promise.resolve(),
  });
}

export const entry = defineEntry<StreamServer, StreamAnswer>({
  type: 'stdout',
  start: startStream,
  receiver: () => '- name: out\n  stdout: { deDot: true }',
  secrets: [],
  okAnswer: 'accept',
  answers: [
    { scenario: 'the stream takes the lines', serverAnswer: 'accept', expected: 'ok' },
    { scenario: 'the pipe is closed (EPIPE)', serverAnswer: 'epipe', expected: 'retry', reason: 'ioError' },
  ],
  // A fresh Writable per run: after an error a Writable refuses every later write.
  create: (config, ctx, server) => createReceiver(config, { ...ctx, stdout: server.stream }),
});
