// The kafka receiver. NO KAFKA BROKER CAN RUN HERE (none in Debian, no JS broker): it is tested
// through kafkajs's producer interface with a producer double (kafka-double.ts) that records
// each sendBatch and throws kafkajs's real error classes and broker error codes; plus the real
// kafkajs client against a closed port (its real connection errors), and `run` with the
// replay source through the test seam (setKafkaClientFactoryForTests).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import kafkajs from 'kafkajs';
import { startApp } from '../../src/app/app.ts';
import { ConfigError } from '../../src/config/load.ts';
import type { ReceiverConfig } from '../../src/config/schema.ts';
import { createOutput } from '../../src/output/output.ts';
import { createRenderer } from '../../src/output/payload.ts';
import { createKafkaReceiver, setKafkaClientFactoryForTests } from '../../src/receivers/kafka/send.ts';
import type { KafkaOptions } from '../../src/receivers/kafka/options.ts';
import { createReceiver } from './create-receiver.ts';
import type { Receiver, SendResult } from '../../src/receivers/common/types.ts';
import { ManualClock } from '../../src/util/clock.ts';
import {
  Counts,
  MemoryDeadLetter,
  memoryLogger,
  realEvents,
  receiverFromYaml,
  someEvents,
  until,
} from '../output/helpers.ts';
import { freePort } from './rsyslog.ts';
import {
  CODE,
  ProducerDouble,
  brokerError,
  connectionError,
  doubleFactory,
  kafkajsError,
  retriesExhausted,
} from './kafka-double.ts';
import { realEventLines } from '../support/real-events.ts';

const clock = new ManualClock(Date.UTC(2026, 0, 1));
const signal = new AbortController().signal;
const BASE = 'topic: kube-events\nbrokers: ["127.0.0.1:9092"]';

function kafka(block: string, producer = new ProducerDouble(), env: Record<string, string> = {}) {
  const config = receiverFromYaml(`- name: k\n  kafka:\n    ${block.split('\n').join('\n    ')}`, env);
  const factory = doubleFactory(producer);
  const logs = memoryLogger();
  const receiver = createKafkaReceiver(
    'k',
    config.options as KafkaOptions,
    { clock, logger: logs.logger, batch: config.batch },
    factory,
  );
  return { config, receiver, producer, factory, logs, render: createRenderer(config) };
}

function summary(result: SendResult): unknown[] {
  if (result.kind === 'ok') return ['ok'];
  if (result.kind === 'partial')
    return ['partial', result.retry, result.drop.map((d) => d.index), result.reason];
  return [result.kind, result.reason];
}

function problems(block: string): string[] {
  try {
    receiverFromYaml(`- name: k\n  kafka:\n    ${block.split('\n').join('\n    ')}`);
  } catch (err) {
    if (err instanceof ConfigError) return err.lines;
    throw err;
  }
  return [];
}

describe('kafka producer settings', () => {
  it('maps clientId, brokers, TLS and SASL onto kafkajs, with an idempotent producer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ker-kafka-'));
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(dir, f), `${f}-bytes`);
    const block = `${BASE}\nclientId: router-1\ntls: { enable: true, caFile: ${dir}/ca.pem, certFile: ${dir}/cert.pem, keyFile: ${dir}/key.pem }\nsasl: { enable: true, username: svc, password: '\${KAFKA_PASSWORD}', mechanism: sha512 }`;
    const { factory } = kafka(block, undefined, { KAFKA_PASSWORD: 'kp-secret-9876' });
    rmSync(dir, { recursive: true, force: true });
    const ssl = factory.client?.ssl as { ca: Buffer; cert: Buffer; key: Buffer; rejectUnauthorized: boolean };
    assert.deepEqual(factory.client?.brokers, ['127.0.0.1:9092']);
    assert.equal(factory.client?.clientId, 'router-1');
    assert.deepEqual(
      [String(ssl.ca), String(ssl.cert), String(ssl.key), ssl.rejectUnauthorized],
      ['ca.pem-bytes', 'cert.pem-bytes', 'key.pem-bytes', true],
    );
    assert.deepEqual(factory.client?.sasl, {
      mechanism: 'scram-sha-512',
      username: 'svc',
      password: 'kp-secret-9876',
    });
    assert.equal(factory.producerConfig?.idempotent, true);
    assert.equal(factory.producerConfig?.allowAutoTopicCreation, false);
  });

  it('leaves TLS and SASL off by default; insecureSkipVerify turns verification off', () => {
    assert.equal(kafka(BASE).factory.client?.ssl, false);
    assert.equal(kafka(BASE).factory.client?.sasl, undefined);
    const ssl = kafka(`${BASE}\ntls: { enable: true, insecureSkipVerify: true }`).factory.client?.ssl as {
      rejectUnauthorized: boolean;
    };
    assert.equal(ssl.rejectUnauthorized, false);
  });
});

describe('kafka sendBatch', () => {
  it('one sendBatch per batch, grouped by the rendered topic; key = uid; acks all; gzip', async () => {
    const { receiver, producer, render } = kafka(
      `topic: 'events-{{ .Type | lower }}'\nbrokers: [b:9092]\ncompressionCodec: gzip`,
    );
    const events = someEvents(20);
    const payloads = events.map(render);
    assert.deepEqual(await receiver.send(payloads, signal), { kind: 'ok' });
    assert.equal(producer.calls.length, 1);
    const call = producer.calls[0];
    assert.deepEqual([call?.acks, call?.compression], [-1, kafkajs.CompressionTypes.GZIP]);
    const byTopic = (type: string) =>
      events.flatMap((e, i) =>
        (e.raw.type ?? '').toLowerCase() === type
          ? [[`events-${type}`, e.raw.metadata.uid, payloads[i]?.body, payloads[i]?.id]]
          : [],
      );
    assert.deepEqual(
      call?.records.map((r) => [r.topic, r.key, r.value, r.headers['idempotency-key']]),
      [...byTopic('normal'), ...byTopic('warning')].filter((r) => r.length > 0),
    );
    assert.equal(producer.connects, 1);
    await receiver.close();
    assert.equal(producer.disconnects, 1);
  });

  it('renders the key template', async () => {
    const { receiver, producer, render } = kafka(
      `${BASE}\nkey: '{{ .InvolvedObject.Namespace }}/{{ .InvolvedObject.Name }}'`,
    );
    const events = someEvents(3);
    await receiver.send(events.map(render), signal);
    assert.deepEqual(
      producer.calls[0]?.records.map((r) => r.key),
      events.map((e) => `${e.raw.involvedObject.namespace ?? ''}/${e.raw.involvedObject.name ?? ''}`),
    );
  });

  it('an event whose topic renders illegal is dead-lettered before sending; the rest go', async () => {
    const { receiver, producer, render } = kafka(
      `topic: '{{ if eq .Type "Warning" }}bad topic!{{ else }}events{{ end }}'\nbrokers: [b:9092]`,
    );
    const events = someEvents(30);
    const result = await receiver.send(events.map(render), signal);
    const warnings = events.flatMap((e, i) => (e.raw.type === 'Warning' ? [i] : []));
    assert.ok(warnings.length > 0 && warnings.length < events.length);
    assert.equal(result.kind, 'partial');
    if (result.kind !== 'partial') return;
    assert.deepEqual(result.retry, []);
    assert.deepEqual(
      result.drop.map((d) => d.index),
      warnings,
    );
    assert.equal(
      result.drop[0]?.error.message,
      'topic "bad topic!" is not a legal Kafka topic name ([a-zA-Z0-9._-])',
    );
    assert.equal(producer.calls[0]?.records.length, events.length - warnings.length);
  });
});

describe('kafka answer → action', () => {
  const rows: { name: string; fail: () => Error; expected: unknown[] }[] = [
    {
      name: 'NOT_LEADER_FOR_PARTITION after kafkajs retries',
      fail: () => retriesExhausted(brokerError(CODE.NOT_LEADER_FOR_PARTITION)),
      expected: ['retry', 'serverError'],
    },
    {
      name: 'NOT_ENOUGH_REPLICAS after kafkajs retries',
      fail: () => retriesExhausted(brokerError(CODE.NOT_ENOUGH_REPLICAS)),
      expected: ['retry', 'serverError'],
    },
    {
      name: 'REQUEST_TIMED_OUT',
      fail: () => retriesExhausted(brokerError(CODE.REQUEST_TIMED_OUT)),
      expected: ['retry', 'timeout'],
    },
    {
      name: 'connection refused',
      fail: () => retriesExhausted(connectionError()),
      expected: ['retry', 'network'],
    },
    {
      name: 'connection closed',
      fail: () =>
        kafkajsError('KafkaJSConnectionClosedError', 'Closed connection', { host: 'b', port: 9092 }),
      expected: ['retry', 'network'],
    },
    {
      name: 'request timeout',
      fail: () =>
        kafkajsError('KafkaJSRequestTimeoutError', 'Request Produce(key: 0, version: 7) timed out', {
          broker: 'b:9092',
        }),
      expected: ['retry', 'timeout'],
    },
    {
      name: 'producer disconnected (retriable KafkaJSError)',
      fail: () => new kafkajs.KafkaJSError('The producer is disconnected'),
      expected: ['retry', 'network'],
    },
    {
      name: 'OUT_OF_ORDER_SEQUENCE_NUMBER (new producer id next time)',
      fail: () => brokerError(CODE.OUT_OF_ORDER_SEQUENCE_NUMBER),
      expected: ['retry', 'serverError'],
    },
    {
      name: 'MESSAGE_TOO_LARGE',
      fail: () => brokerError(CODE.MESSAGE_TOO_LARGE),
      expected: ['drop', 'clientError'],
    },
    {
      name: 'TOPIC_AUTHORIZATION_FAILED',
      fail: () => brokerError(CODE.TOPIC_AUTHORIZATION_FAILED),
      expected: ['drop', 'clientError'],
    },
    {
      name: 'INVALID_TOPIC_EXCEPTION',
      fail: () => brokerError(CODE.INVALID_TOPIC_EXCEPTION),
      expected: ['drop', 'clientError'],
    },
    {
      name: 'kafkajs "Invalid topic"',
      fail: () => new kafkajs.KafkaJSNonRetriableError('Invalid topic'),
      expected: ['drop', 'clientError'],
    },
  ];
  for (const row of rows) {
    it(`${row.name} → ${row.expected.join(' ')}`, async () => {
      const producer = new ProducerDouble();
      producer.handler = () => {
        throw row.fail();
      };
      const { receiver, render } = kafka(BASE, producer);
      const result = await receiver.send([render(realEvents()[0] as never)], signal);
      assert.deepEqual(summary(result), row.expected);
      const message = result.kind === 'ok' || result.kind === 'partial' ? '' : result.error.message;
      assert.match(message, /^kafka: KafkaJS/);
    });
  }

  it('a refused connect is retried with a new connect on the next send', async () => {
    const producer = new ProducerDouble();
    producer.connectError = retriesExhausted(connectionError());
    const { receiver, render } = kafka(BASE, producer);
    const payload = render(realEvents()[0] as never);
    assert.deepEqual(summary(await receiver.send([payload], signal)), ['retry', 'network']);
    producer.connectError = undefined;
    assert.deepEqual(await receiver.send([payload], signal), { kind: 'ok' });
    assert.equal(producer.connects, 2);
  });

  it('SASL refused → dead letter, and neither password nor username leaks into the error or the log', async () => {
    const producer = new ProducerDouble();
    producer.connectError = kafkajsError(
      'KafkaJSSASLAuthenticationError',
      'SASL PLAIN authentication failed for svc-user with kp-secret-9876: Authentication failed',
    );
    const { receiver, render, logs } = kafka(
      `${BASE}\nsasl: { enable: true, username: svc-user, password: '\${PW}' }`,
      producer,
      { PW: 'kp-secret-9876' },
    );
    const result = await receiver.send([render(realEvents()[0] as never)], signal);
    assert.deepEqual(summary(result), ['drop', 'clientError']);
    const message = result.kind === 'drop' ? result.error.message : '';
    assert.equal(
      message,
      'kafka: KafkaJSSASLAuthenticationError: SASL PLAIN authentication failed for [Redacted] with [Redacted]: Authentication failed',
    );
    assert.ok(!logs.text().includes('kp-secret-9876'));
  });
});

describe('kafka partial failures', () => {
  it('a topic refused for good is found by sending each topic alone: its events dead-letter, the other topic retries', async () => {
    const producer = new ProducerDouble();
    let isolated = 0;
    producer.handler = (call) => {
      const topics = new Set(call.records.map((r) => r.topic));
      if (topics.size > 1) throw brokerError(CODE.TOPIC_AUTHORIZATION_FAILED);
      if (topics.has('events-warning')) throw brokerError(CODE.TOPIC_AUTHORIZATION_FAILED);
      if (isolated++ === 0) throw retriesExhausted(brokerError(CODE.NOT_LEADER_FOR_PARTITION));
    };
    const { receiver, render } = kafka(`topic: 'events-{{ .Type | lower }}'\nbrokers: [b:9092]`, producer);
    const events = someEvents(30);
    const result = await receiver.send(events.map(render), signal);
    const warnings = events.flatMap((e, i) => (e.raw.type === 'Warning' ? [i] : []));
    const normals = events.flatMap((e, i) => (e.raw.type !== 'Warning' ? [i] : []));
    assert.deepEqual(summary(result), ['partial', normals, warnings, 'serverError']);
    assert.equal(producer.calls.length, 3, 'the batch, then each topic alone');
  });

  it('MESSAGE_TOO_LARGE: each message alone finds the one too large; the others are delivered', async () => {
    const producer = new ProducerDouble();
    producer.handler = (call) => {
      if (call.records.some((r) => r.value.length > 50_000)) throw brokerError(CODE.MESSAGE_TOO_LARGE);
    };
    const { receiver, render } = kafka(BASE, producer);
    const payloads = someEvents(3).map(render);
    const huge = { ...payloads[1], body: `"${'x'.repeat(60_000)}"` } as (typeof payloads)[number];
    const result = await receiver.send([payloads[0], huge, payloads[2]] as typeof payloads, signal);
    assert.deepEqual(summary(result), ['partial', [], [1], undefined]);
    assert.deepEqual(
      producer.acceptedRecords.map((r) => r.value),
      [payloads[0]?.body, payloads[2]?.body],
    );
  });

  it('through an Output: refused topic dead-lettered, leader moves retried, every other event delivered exactly once', async () => {
    const producer = new ProducerDouble();
    let failures = 0;
    producer.handler = (call) => {
      if (call.records.some((r) => r.topic === 'events-warning'))
        throw brokerError(CODE.TOPIC_AUTHORIZATION_FAILED);
      if (failures++ < 3) throw retriesExhausted(brokerError(CODE.NOT_LEADER_FOR_PARTITION));
    };
    const out = kafka(`topic: 'events-{{ .Type | lower }}'\nbrokers: [b:9092]`, producer);
    const config: ReceiverConfig = {
      ...out.config,
      retry: { maxAttempts: 10, initialDelayMs: 100, maxDelayMs: 1000, maxElapsedMs: 600_000 },
    };
    const outputClock = new ManualClock();
    const counts = new Counts();
    const deadLetter = new MemoryDeadLetter();
    const output = createOutput(config, {
      receiver: out.receiver,
      deadLetter,
      clock: outputClock,
      logger: out.logs.logger,
      observer: counts,
      random: () => 1,
    });
    const events = someEvents(120);
    for (const e of events) await output.push(e);
    while (counts.settledN < events.length) {
      await until(() => counts.settledN === events.length || outputClock.timers > 0, 'a send');
      if (counts.settledN < events.length) await outputClock.advance(1000);
    }
    await output.drain(outputClock.now() + 1000);
    const warnings = events.filter((e) => e.raw.type === 'Warning');
    assert.equal(deadLetter.records.length, warnings.length);
    assert.ok(
      deadLetter.records.every(
        (r) => r.reason === 'clientError' && r.error.includes('TOPIC_AUTHORIZATION_FAILED'),
      ),
    );
    const delivered = producer.acceptedRecords.map((r) => r.headers['idempotency-key']);
    const expected = events
      .filter((e) => e.raw.type !== 'Warning')
      .map((e) => `${e.raw.metadata.uid ?? ''}-${e.occurrence}`);
    assert.deepEqual([...delivered].sort(), [...expected].sort(), 'every other event once');
    assert.ok(counts.retriedN > 0, 'the leader moves were retried');
  });
});

describe('kafka with the real kafkajs client (no broker: a closed port)', () => {
  it('classifies kafkajs’s real connection failure as a network retry, without the SASL password', async () => {
    const port = await freePort('tcp');
    const logs = memoryLogger();
    const block = `topic: t\n    brokers: ["127.0.0.1:${port}"]\n    timeoutMs: 1000\n    sasl: { enable: true, username: u, password: '\${PW}', mechanism: sha256 }`;
    const config = receiverFromYaml(`- name: k\n  kafka:\n    ${block}`, { PW: 'kp-secret-4321' });
    const receiver: Receiver = createReceiver(config, { clock, logger: logs.logger });
    const result = await receiver.send([createRenderer(config)(realEvents()[0] as never)], signal);
    await receiver.close();
    assert.deepEqual(summary(result), ['retry', 'network']);
    assert.match(result.kind === 'retry' ? result.error.message : '', /ECONNREFUSED|Connection error/);
    assert.ok(!logs.text().includes('kp-secret-4321') && !JSON.stringify(result).includes('kp-secret-4321'));
  });
});

describe('kafka config', () => {
  const cases: { block: string; problem?: string }[] = [
    { block: `${BASE}\nversion: 2.8.0\ncompressionCodec: none\nsentUpdateEvent: true` },
    { block: `${BASE}\ncompressionCodec: snappy` },
    { block: `${BASE}\ncompressionCodec: lz4` },
    { block: `${BASE}\ncompressionCodec: zstd` },
    {
      block: `${BASE}\ncompressionCodec: brotli`,
      problem: 'kafka.compressionCodec: must be one of none | gzip | snappy | lz4 | zstd',
    },
    {
      block: `${BASE}\nsasl: { enable: true, username: u, password: p, mechanism: gssapi }`,
      problem: 'kafka.sasl.mechanism: must be one of plain | sha256 | sha512',
    },
    {
      block: `${BASE}\nsasl: { enable: true, username: u }`,
      problem: 'kafka.sasl.password: is required when sasl.enable is true',
    },
    { block: 'topic: t\nbrokers: []', problem: 'kafka.brokers' },
    { block: `topic: '{{ .Reason'\nbrokers: [b:1]`, problem: 'kafka.topic: 1:' },
    {
      block: `${BASE}\ntls: { enable: true, certFile: c.pem }`,
      problem: 'kafka.tls.keyFile: is required when certFile is set',
    },
  ];
  for (const c of cases) {
    it(`${c.block.replace(/\s+/g, ' ')} → ${c.problem ?? 'valid'}`, () => {
      const lines = problems(c.block);
      if (c.problem === undefined) assert.deepEqual(lines, []);
      else assert.ok(lines.length === 1 && lines[0]?.includes(c.problem), lines.join('\n'));
    });
  }
});

describe('kafka: run with the replay source', () => {
  let dir: string;
  const producer = new ProducerDouble();
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ker-kafka-e2e-'));
    setKafkaClientFactoryForTests(doubleFactory(producer));
  });
  after(() => {
    setKafkaClientFactoryForTests(undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('routes real events to kafka: every routed event in a sendBatch once, keyed by uid, on its rendered topic', async () => {
    const lines = realEventLines().slice(0, 300);
    writeFileSync(join(dir, 'events.ndjson'), `${lines.join('\n')}\n`);
    const yaml = [
      'route:',
      '  routes:',
      '    - match:',
      '        - receiver: k',
      'receivers:',
      '  - name: k',
      '    kafka:',
      `      topic: 'kube-{{ .InvolvedObject.Kind | lower }}'`,
      '      brokers: ["kafka-0.kafka:9092"]',
      '',
    ];
    writeFileSync(join(dir, 'config.yaml'), yaml.join('\n'));
    const silent = new Writable({ write: (_c, _e, done) => done() });
    const app = await startApp({
      configPath: join(dir, 'config.yaml'),
      source: { kind: 'replay', path: join(dir, 'events.ndjson') },
      metricsAddress: '',
      logDestination: silent,
    });
    const result = await app.done;
    assert.ok(result.accepted > 200, `accepted ${result.accepted}`);
    assert.equal(result.delivered, result.accepted);
    const records = producer.acceptedRecords;
    assert.equal(records.length, result.accepted);
    assert.equal(
      new Set(records.map((r) => r.headers['idempotency-key'])).size,
      records.length,
      'none twice',
    );
    assert.ok(producer.calls.length < records.length, 'batched');
    for (const r of records) {
      const doc = JSON.parse(r.value) as { metadata: { uid: string }; involvedObject: { kind: string } };
      assert.equal(r.key, doc.metadata.uid);
      assert.equal(r.topic, `kube-${doc.involvedObject.kind.toLowerCase()}`);
    }
  });
});
