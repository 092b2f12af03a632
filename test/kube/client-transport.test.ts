import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitLines } from '../../src/kube/client-transport.ts';

async function collect(chunks: (string | Buffer)[]): Promise<string[]> {
  async function* source(): AsyncGenerator<string | Buffer> {
    yield* chunks;
  }
  const out: string[] = [];
  for await (const line of splitLines(source())) out.push(line);
  return out;
}

describe('splitLines', () => {
  const euro = Buffer.from('{"m":"€"}\n');
  const cases: { name: string; chunks: (string | Buffer)[]; expected: string[] }[] = [
    { name: 'one line per chunk', chunks: ['{"a":1}\n', '{"b":2}\n'], expected: ['{"a":1}', '{"b":2}'] },
    {
      name: 'many lines in one chunk',
      chunks: ['{"a":1}\n{"b":2}\n{"c":3}\n'],
      expected: ['{"a":1}', '{"b":2}', '{"c":3}'],
    },
    {
      name: 'a line split across chunks',
      chunks: ['{"a":', '1}\n{"b"', ':2}\n'],
      expected: ['{"a":1}', '{"b":2}'],
    },
    {
      name: 'a multi-byte character split across chunks',
      chunks: [euro.subarray(0, 7), euro.subarray(7)],
      expected: ['{"m":"€"}'],
    },
    {
      name: 'CRLF and blank lines',
      chunks: ['{"a":1}\r\n\r\n{"b":2}\r\n'],
      expected: ['{"a":1}', '{"b":2}'],
    },
    { name: 'a last line without newline', chunks: ['{"a":1}\n{"b":2}'], expected: ['{"a":1}', '{"b":2}'] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      assert.deepEqual(await collect(c.chunks), c.expected);
    });
  }
});
