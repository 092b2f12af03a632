// The kafkajs side of the kafka receiver: client and producer settings from the options, and the
// one seam tests use to put a producer double in place of kafkajs (no broker can run here).
import type { ConnectionOptions } from 'node:tls';
import kafkajs from 'kafkajs';
import type {
  KafkaConfig,
  LogEntry,
  ProducerBatch,
  ProducerConfig,
  RecordMetadata,
  SASLOptions,
} from 'kafkajs';
import type { Logger } from 'pino';
import { redactSecrets } from '../common/secrets.ts';
import { SASL_MECHANISMS } from './options.ts';
import type { SaslMechanism } from './options.ts';
import { readPem } from '../common/tls.ts';

export interface KafkaTlsOptions {
  readonly enable: boolean;
  readonly insecureSkipVerify: boolean;
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
}

export interface KafkaSaslOptions {
  readonly enable: boolean;
  readonly username?: string;
  readonly password?: string;
  readonly mechanism: SaslMechanism;
}

/** What the receiver needs of a kafkajs Producer. */
export interface KafkaProducerLike {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]>;
}

/** Builds the producer: `new Kafka(client).producer(producer)` in production. */
export type KafkaClientFactory = (client: KafkaConfig, producer: ProducerConfig) => KafkaProducerLike;

export const kafkajsFactory: KafkaClientFactory = (client, producer) =>
  new kafkajs.Kafka(client).producer(producer);

let factoryOverride: KafkaClientFactory | undefined;

/**
 * Test seam: receivers created from now on get their producer from `factory` (undefined =
 * kafkajs again). Production code never calls this.
 */
export function setKafkaClientFactoryForTests(factory: KafkaClientFactory | undefined): void {
  factoryOverride = factory;
}

export function currentKafkaClientFactory(): KafkaClientFactory {
  return factoryOverride ?? kafkajsFactory;
}

/** kafkajs `ssl`: false when TLS is off; reads the PEM files now (ReceiverSetupError). */
export function sslOptions(tls: KafkaTlsOptions): ConnectionOptions | false {
  if (!tls.enable) return false;
  const ca = readPem(tls.caFile, 'caFile');
  const cert = readPem(tls.certFile, 'certFile');
  const key = readPem(tls.keyFile, 'keyFile');
  return {
    rejectUnauthorized: !tls.insecureSkipVerify,
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
  };
}

export function saslOptions(sasl: KafkaSaslOptions): SASLOptions | undefined {
  if (!sasl.enable) return undefined;
  return {
    mechanism: SASL_MECHANISMS[sasl.mechanism],
    username: sasl.username ?? '',
    password: sasl.password ?? '',
  };
}

const LEVEL_NAMES: Readonly<Record<number, string>> = { 1: 'error', 2: 'warn', 4: 'info', 5: 'debug' };

/**
 * kafkajs logs through ours at debug: it logs every failed attempt at error, which the output
 * already reports (rate-limited) with its classification. Secrets are redacted all the same.
 */
export function kafkajsLogCreator(logger: Logger, secrets: readonly string[]) {
  return () =>
    ({ namespace, level, log }: LogEntry): void => {
      if (!logger.isLevelEnabled('debug')) return;
      const { message, timestamp: _timestamp, logger: _logger, ...extra } = log;
      const detail = redactSecrets(JSON.stringify(extra), secrets);
      logger.debug(
        { kafkajs: namespace, kafkajsLevel: LEVEL_NAMES[level] ?? level, detail },
        redactSecrets(`kafkajs: ${message}`, secrets),
      );
    };
}
