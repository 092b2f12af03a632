// No Kafka broker can run in CI (none is packaged in Debian, and none is written in JS), so the
// kafka receiver is tested through kafkajs's producer interface: a producer double that records
// every sendBatch and fails with the errors kafkajs itself throws — its exported error classes,
// and broker errors built by kafkajs's own code table (createErrorFromCode), wrapped the way
// kafkajs's retrier wraps them.
import { createRequire } from 'node:module';
import kafkajs from 'kafkajs';
import type { KafkaConfig, ProducerBatch, ProducerConfig, RecordMetadata } from 'kafkajs';
import type { KafkaClientFactory, KafkaProducerLike } from '../../src/receivers/kafka/send.ts';

const require = createRequire(import.meta.url);
const protocolErrors = require('kafkajs/src/protocol/error.js') as {
  createErrorFromCode(code: number): Error & { type: string; retriable: boolean };
};

/** Broker error codes (Kafka protocol) the tests use. */
export const CODE = {
  NOT_LEADER_FOR_PARTITION: 6,
  REQUEST_TIMED_OUT: 7,
  MESSAGE_TOO_LARGE: 10,
  INVALID_TOPIC_EXCEPTION: 17,
  NOT_ENOUGH_REPLICAS: 19,
  TOPIC_AUTHORIZATION_FAILED: 29,
  OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
} as const;

/** The KafkaJSProtocolError a produce response with this error code makes kafkajs throw. */
export function brokerError(code: number): Error {
  return protocolErrors.createErrorFromCode(code);
}

/** What sendBatch throws once kafkajs's own retries gave up on a retriable error. */
export function retriesExhausted(cause: Error): Error {
  return new kafkajs.KafkaJSNumberOfRetriesExceeded(cause, { retryCount: 3, retryTime: 1200 });
}

type ErrorClass = new (message: string, metadata?: Record<string, unknown>) => Error;
// kafkajs's typings omit some exported classes and constructor forms: take them from the module itself.
const runtime = require('kafkajs') as Record<string, ErrorClass>;

/** `new kafkajs[name](message, metadata)` for one of kafkajs's exported error classes. */
export function kafkajsError(name: string, message: string, metadata: Record<string, unknown> = {}): Error {
  const Class = runtime[name];
  if (Class === undefined) throw new Error(`kafkajs exports no ${name}`);
  return new Class(message, metadata);
}

export function connectionError(broker = '127.0.0.1:9092'): Error {
  return new kafkajs.KafkaJSConnectionError(`Connection error: connect ECONNREFUSED ${broker}`, {
    broker,
    code: 'ECONNREFUSED',
  });
}

export interface SentRecord {
  readonly topic: string;
  readonly key: string | null;
  readonly value: string;
  readonly headers: Record<string, string>;
}

export interface SendBatchCall {
  readonly records: SentRecord[];
  readonly acks: number | undefined;
  readonly compression: number | undefined;
  readonly timeout: number | undefined;
}

/** Answers one sendBatch: return to succeed, throw to fail. */
export type BatchHandler = (call: SendBatchCall, index: number) => void;

export class ProducerDouble implements KafkaProducerLike {
  readonly calls: SendBatchCall[] = [];
  /** Calls that succeeded: what the broker would hold. */
  readonly accepted: SendBatchCall[] = [];
  connects = 0;
  disconnects = 0;
  connectError: Error | undefined;
  handler: BatchHandler = () => undefined;

  connect(): Promise<void> {
    this.connects++;
    const err = this.connectError;
    return err === undefined ? Promise.resolve() : Promise.reject(err);
  }

  disconnect(): Promise<void> {
    this.disconnects++;
    return Promise.resolve();
  }

  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    const records = (batch.topicMessages ?? []).flatMap((tm) =>
      tm.messages.map((m) => ({
        topic: tm.topic,
        key: m.key === undefined || m.key === null ? null : String(m.key),
        value: String(m.value),
        headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, String(v)])),
      })),
    );
    const call = { records, acks: batch.acks, compression: batch.compression, timeout: batch.timeout };
    this.calls.push(call);
    try {
      this.handler(call, this.calls.length - 1);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    this.accepted.push(call);
    return Promise.resolve(
      records.map((r) => ({ topicName: r.topic, partition: 0, errorCode: 0, baseOffset: '0' })),
    );
  }

  get acceptedRecords(): SentRecord[] {
    return this.accepted.flatMap((c) => c.records);
  }
}

/** A factory handing out `producer`, remembering the kafkajs settings it was given. */
export function doubleFactory(
  producer: ProducerDouble,
): KafkaClientFactory & { client?: KafkaConfig; producerConfig?: ProducerConfig } {
  const factory: KafkaClientFactory & { client?: KafkaConfig; producerConfig?: ProducerConfig } = (
    client,
    producerConfig,
  ) => {
    factory.client = client;
    factory.producerConfig = producerConfig;
    return producer;
  };
  return factory;
}
