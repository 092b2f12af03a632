// stdout through an output: JSON lines, deDot as the exporter does it.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import type { EnrichedEvent } from '../../src/event/event.ts';
import { createDeadLetterWriter } from '../../src/output/dead-letter.ts';
import { createOutput } from '../../src/output/output.ts';
import { createReceiver } from './create-receiver.ts';
import { enhancedEventJson } from '../../src/template/index.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { memoryLogger, receiverFromYaml, someEvents } from '../output/helpers.ts';

function collector(): { stream: Writable; text: () => string; writes: () => number } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, text: () => chunks.join(''), writes: () => chunks.length };
}

/** Real events whose involved objects carry dotted label and annotation keys. */
function labelled(events: EnrichedEvent[]): EnrichedEvent[] {
  return events.map((e, i) => ({
    ...e,
    object: {
      labels: { 'app.kubernetes.io/name': `app-${i}`, 'pod-template-hash': 'abc' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' },
      ownerReferences: [],
      deleted: false,
    },
  }));
}

async function run(block: string, events: EnrichedEvent[]) {
  const clock = new ManualClock();
  const { logger } = memoryLogger();
  const out = collector();
  const config = receiverFromYaml(`- name: out\n  ${block}`);
  const receiver = createReceiver(config, { clock, logger, stdout: out.stream });
  const output = createOutput(config, {
    receiver,
    deadLetter: createDeadLetterWriter({ clock, logger }),
    clock,
    logger,
  });
  for (const e of events) await output.push(e);
  await output.drain(clock.now() + 1000);
  return out;
}

describe('stdout receiver', () => {
  it('writes the enhanced event JSON, one line per event', async () => {
    const events = someEvents(50);
    const out = await run('stdout: {}', events);
    assert.equal(out.text(), events.map((e) => `${enhancedEventJson(e)}\n`).join(''));
    assert.ok(out.writes() < events.length, 'a burst is written in few writes');
  });

  const cases: { block: string; labels: string[]; annotations: string[] }[] = [
    {
      block: 'stdout: { deDot: true }',
      labels: ['app_kubernetes_io/name', 'pod-template-hash'],
      annotations: ['kubectl_kubernetes_io/restartedAt'],
    },
    {
      block: 'stdout: { deDot: false }',
      labels: ['app.kubernetes.io/name', 'pod-template-hash'],
      annotations: ['kubectl.kubernetes.io/restartedAt'],
    },
  ];
  for (const c of cases) {
    it(c.block, async () => {
      const events = labelled(someEvents(10));
      const lines = (await run(c.block, events)).text().trim().split('\n');
      assert.equal(lines.length, events.length);
      lines.forEach((line, i) => {
        const doc = JSON.parse(line) as {
          involvedObject: { labels: Record<string, string>; annotations: Record<string, string> };
        };
        assert.deepEqual(Object.keys(doc.involvedObject.labels), c.labels);
        assert.deepEqual(Object.keys(doc.involvedObject.annotations), c.annotations);
        assert.equal(Object.values(doc.involvedObject.labels)[0], `app-${i}`, 'values are kept');
      });
    });
  }

  it('writes the layout when one is set', async () => {
    const events = someEvents(5);
    const out = await run(
      `stdout:\n      layout: { reason: '{{ .Reason }}', ns: '{{ .Namespace }}' }`,
      events,
    );
    assert.deepEqual(
      out
        .text()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
      events.map((e) => ({ ns: e.raw.metadata.namespace, reason: e.raw.reason })),
    );
  });
});
