// kafka compressionCodec: the real kafkajs producer (codecs registered by the receiver) sends the
// 934 real events to a broker double on the wire (kafka-broker.ts), which decompresses each record
// batch with the codec named in its attributes, as a broker does, and reads the records back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOutput } from '../../src/output/output.ts';
import { createRenderer } from '../../src/output/payload.ts';
import { createKafkaReceiver } from '../../src/receivers/kafka/send.ts';
import type { KafkaOptions } from '../../src/receivers/kafka/options.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { MemoryDeadLetter, memoryLogger, realEvents, receiverFromYaml } from '../output/helpers.ts';
import { KafkaBrokerDouble } from './kafka-broker.ts';

const signal = new AbortController().signal;

/** The first bytes of each codec's output (snappy raw blocks have none). */
const MAGIC: Readonly<Record<string, string | undefined>> = {
  gzip: '1f8b',
  lz4: '04224d18',
  zstd: '28b52ffd',
};

describe('kafka compressionCodec on the wire', () => {
  let broker: KafkaBrokerDouble;
  before(async () => {
    broker = await KafkaBrokerDouble.start();
  });
  after(() => broker.close());

  for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const) {
    it(`${codec}: every real event arrives once, in record batches compressed with ${codec}`, async () => {
      broker.batches.length = 0;
      const config = receiverFromYaml(
        [
          '- name: k',
          '  kafka:',
          `    topic: 'events-${codec}-{{ .Type | lower }}'`,
          `    brokers: ["127.0.0.1:${broker.port}"]`,
          `    compressionCodec: ${codec}`,
        ].join('\n'),
      );
      const logs = memoryLogger();
      const clock = new ManualClock(Date.UTC(2026, 0, 1));
      const receiver = createKafkaReceiver('k', config.options as KafkaOptions, {
        clock,
        logger: logs.logger,
        batch: config.batch,
      });
      const render = createRenderer(config);
      const payloads = realEvents().map(render);
      for (let i = 0; i < payloads.length; i += 250) {
        assert.deepEqual(await receiver.send(payloads.slice(i, i + 250), signal), { kind: 'ok' });
      }
      await receiver.close();

      assert.ok(broker.batches.length >= 8, `${broker.batches.length} batches`);
      for (const batch of broker.batches) {
        assert.equal(batch.codec, codec);
        assert.equal(batch.producerId, 4242n, 'the idempotent producer id');
        const magic = MAGIC[codec];
        if (magic !== undefined)
          assert.equal(batch.wire.subarray(0, magic.length / 2).toString('hex'), magic);
        if (codec !== 'none') assert.ok(batch.wire.length < batch.uncompressedBytes, 'compressed');
      }
      const sum = (f: (b: (typeof broker.batches)[number]) => number) =>
        broker.batches.reduce((total, b) => total + f(b), 0);
      if (codec !== 'none') assert.ok(sum((b) => b.wire.length) < sum((b) => b.uncompressedBytes) / 3);
      const got = broker.records.map((r) => [r.topic, r.key, r.value, r.headers['idempotency-key']]);
      const want = realEvents().map((e, i) => [
        `events-${codec}-${(e.raw.type ?? '').toLowerCase()}`,
        e.raw.metadata.uid ?? '',
        payloads[i]?.body,
        payloads[i]?.id,
      ]);
      const order = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();
      assert.deepEqual(order(got), order(want));
      assert.equal(broker.records.length, payloads.length);
    });
  }

  it('through an Output with the default policy: zstd batches, nothing dead-lettered', async () => {
    broker.batches.length = 0;
    const config = receiverFromYaml(
      `- name: k\n  kafka:\n    topic: zstd-out\n    brokers: ["127.0.0.1:${broker.port}"]\n    compressionCodec: zstd`,
    );
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const logs = memoryLogger();
    const receiver = createKafkaReceiver('k', config.options as KafkaOptions, {
      clock,
      logger: logs.logger,
      batch: config.batch,
    });
    const deadLetter = new MemoryDeadLetter();
    const output = createOutput(config, { receiver, clock, logger: logs.logger, deadLetter });
    const events = realEvents().slice(0, 300);
    for (const event of events) await output.push(event);
    await output.drain(clock.now() + 60_000);
    assert.equal(deadLetter.records.length, 0);
    assert.deepEqual(
      broker.records.map((r) => r.key),
      events.map((e) => e.raw.metadata.uid ?? ''),
    );
    assert.ok(broker.batches.every((b) => b.codec === 'zstd'));
  });
});
