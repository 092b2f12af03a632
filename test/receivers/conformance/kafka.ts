// kafka: NO BROKER CAN RUN HERE, so the "server" is the producer double of ../kafka-double.ts
// behind kafkajs's producer interface: it records each sendBatch (golden values: topic, key,
// headers, parsed value) and fails with kafkajs's real error classes and broker error codes.
import { createKafkaReceiver } from '../../../src/receivers/kafka/send.ts';
import type { KafkaOptions } from '../../../src/receivers/kafka/options.ts';
import {
  CODE,
  ProducerDouble,
  brokerError,
  connectionError,
  doubleFactory,
  kafkajsError,
  retriesExhausted,
} from '../kafka-double.ts';
import { defineEntry } from './harness.ts';
import type { ConformanceServer } from './harness.ts';

const PASSWORD = 'kp-conformance-1234';

/** 'append' = accept; else the error sendBatch throws. */
type BrokerAnswer = 'append' | (() => Error);

interface DoubleServer extends ConformanceServer<BrokerAnswer> {
  readonly producer: ProducerDouble;
}

function startDouble(): Promise<DoubleServer> {
  const producer = new ProducerDouble();
  let taken = 0;
  return Promise.resolve({
    producer,
    answerWith(answer) {
      producer.handler = () => {
        if (answer !== 'append') throw answer();
      };
    },
    takeReceived() {
      const records = producer.acceptedRecords.slice(taken);
      taken += records.length;
      return records.map((r) => ({
        topic: r.topic,
        key: r.key,
        headers: r.headers,
        value: JSON.parse(r.value) as unknown,
      }));
    },
    close: () => Promise.resolve(),
  });
}

export const entry = defineEntry<DoubleServer, BrokerAnswer>({
  type: 'kafka',
  start: startDouble,
  receiver: () =>
    [
      '- name: events',
      '  kafka:',
      `    topic: 'kube-events-{{ .Type | lower }}'`,
      '    brokers: ["kafka-0.kafka:9093"]',
      '    compressionCodec: gzip',
      '    sasl: { enable: true, username: router, password: "${KAFKA_PASSWORD}", mechanism: sha512 }',
    ].join('\n'),
  env: { KAFKA_PASSWORD: PASSWORD },
  secrets: [PASSWORD],
  okAnswer: 'append',
  answers: [
    { scenario: 'the broker appends', serverAnswer: 'append', expected: 'ok' },
    {
      scenario: 'NOT_LEADER_FOR_PARTITION after kafkajs retries',
      serverAnswer: () => retriesExhausted(brokerError(CODE.NOT_LEADER_FOR_PARTITION)),
      expected: 'retry',
      reason: 'serverError',
    },
    {
      scenario: 'REQUEST_TIMED_OUT',
      serverAnswer: () => retriesExhausted(brokerError(CODE.REQUEST_TIMED_OUT)),
      expected: 'retry',
      reason: 'timeout',
    },
    {
      scenario: 'brokers unreachable',
      serverAnswer: () => retriesExhausted(connectionError()),
      expected: 'retry',
      reason: 'network',
    },
    {
      scenario: 'MESSAGE_TOO_LARGE',
      serverAnswer: () => brokerError(CODE.MESSAGE_TOO_LARGE),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: 'TOPIC_AUTHORIZATION_FAILED',
      serverAnswer: () => brokerError(CODE.TOPIC_AUTHORIZATION_FAILED),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: 'SASL refused, echoing the credentials',
      serverAnswer: () =>
        kafkajsError(
          'KafkaJSSASLAuthenticationError',
          `SASL SCRAM SHA512 authentication failed for router:${PASSWORD}`,
        ),
      expected: 'drop',
      reason: 'clientError',
    },
  ],
  create: (config, ctx, server) =>
    createKafkaReceiver(
      config.name,
      config.options as KafkaOptions,
      { ...ctx, batch: config.batch },
      doubleFactory(server.producer),
    ),
});
