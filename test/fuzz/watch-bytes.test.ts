// The watch reader below the HTTP layer: byte chunks as a socket delivers them (invalid UTF-8,
// multi-byte characters and lines split across chunks, a last line without a newline, 1 MB
// lines) through the transport's line splitter into the kubernetes source.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawEvent } from '../../src/event/event.ts';
import { splitLines } from '../../src/kube/client-transport.ts';
import { createKubernetesSource } from '../../src/kube/event-source.ts';
import type { KubeResponse, KubeStream } from '../../src/kube/client.ts';
import { malformedReasonLabel } from '../../src/telemetry/metrics.ts';
import { ManualClock } from '../../src/util/clock.ts';

function event(uid: string, message: string): string {
  return JSON.stringify({
    type: 'ADDED',
    object: {
      kind: 'Event',
      apiVersion: 'v1',
      metadata: { uid, name: uid, namespace: 'ns', resourceVersion: '2' },
      involvedObject: { kind: 'Pod', name: 'p' },
      reason: 'R',
      message,
    },
  });
}

const b = (text: string): Buffer => Buffer.from(text, 'utf8');

/** Runs the source over one watch made of `chunks`; returns what reached the sink and the malformed reasons. */
async function run(chunks: readonly Buffer[]): Promise<{ events: RawEvent[]; malformed: string[] }> {
  const events: RawEvent[] = [];
  const malformed: string[] = [];
  const stop = new AbortController();
  let watches = 0;
  const client = {
    request: (): Promise<KubeResponse> =>
      Promise.resolve({ status: 200, headers: {}, body: { metadata: { resourceVersion: '1' }, items: [] } }),
    stream: (_path: string, options?: { signal?: AbortSignal }): Promise<KubeStream> => {
      watches++;
      if (watches > 1) {
        // The first watch ended: everything was read.
        stop.abort();
        return Promise.reject(options?.signal?.reason ?? new Error('stopped'));
      }
      async function* source(): AsyncGenerator<Buffer> {
        for (const chunk of chunks) yield chunk;
      }
      return Promise.resolve({
        status: 200,
        body: undefined,
        lines: splitLines(source()),
        close: () => undefined,
      });
    },
  };
  const clock = new ManualClock();
  const source = createKubernetesSource({ client, namespaces: [], clock, random: () => 0 });
  await source.run((change) => void events.push(change.event), stop.signal, {
    malformed: (reason) => void malformed.push(reason),
  });
  return { events, malformed };
}

describe('watch reader: bytes off the socket', () => {
  it('replaces invalid UTF-8 inside strings, counts lines it breaks, keeps the rest', async () => {
    const invalid = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]);
    const euro = b('€'); // 3 bytes, split across chunks below
    const { events, malformed } = await run([
      b(event('a', 'first') + '\n'),
      Buffer.concat([b(event('b', 'bad bytes: ').slice(0, -3)), invalid, b('"}}\n')]),
      Buffer.concat([invalid, b('\n')]),
      b(event('c', 'split €').slice(0, 40)),
      b(event('c', 'split €').slice(40, -4)),
      Buffer.concat([euro.subarray(0, 1)]),
      Buffer.concat([euro.subarray(1), b('"}}\n')]),
      b('{"type":"ADDED","object":{"metadata":'),
      b('[]}}\n'),
      b(`${event('big', 'm'.repeat(1 << 20))}\n`),
      b(`{"type":"ADDED","object":{"message":"${'n'.repeat(1 << 20)}\n`),
      b(event('last', 'no newline at the end')),
    ]);
    assert.deepEqual(
      events.map((e) => e.metadata.uid),
      ['a', 'b', 'c', 'big', 'last'],
    );
    assert.match(
      events[1]?.message ?? '',
      /^bad bytes: \ufffd/,
      'invalid bytes decode to U+FFFD inside the string',
    );
    assert.equal(events[2]?.message, 'split €', 'a character split across chunks is whole again');
    assert.equal(events[3]?.message?.length, 1 << 20);
    assert.equal(malformed.length, 3, malformed.join(' | '));
  });

  it('labels malformed reasons by field or problem kind, never by value', () => {
    const table: readonly [string, string][] = [
      ['count: expected an integer, got "5"', 'count'],
      ['involvedObject.name: expected a string, got number', 'involvedObject.name'],
      [`unknown watch event type "${'x'.repeat(500)}"`, 'unknown watch event type'],
      ['unknown watch event type 42', 'unknown watch event type'],
      ['unknown watch event type null', 'unknown watch event type'],
      ['expected kind Event, got "Pod"', 'expected kind Event'],
      ['invalid JSON in the watch stream', 'invalid JSON in the watch stream'],
      ['invalid JSON: Unexpected token } in JSON at position 3', 'invalid JSON'],
      ['noInvolvedObject', 'noInvolvedObject'],
    ];
    for (const [reason, label] of table)
      assert.equal(malformedReasonLabel(reason), label, reason.slice(0, 60));
  });
});
