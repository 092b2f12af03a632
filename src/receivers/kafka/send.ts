// kafka — send: one sendBatch per batch with the messages grouped by rendered topic, an
// idempotent producer (acks = all); ./classify.ts classifies what kafkajs throws.
import kafkajs from 'kafkajs';
import type { CompressionTypes, Message, TopicMessages } from 'kafkajs';
import { redactSecrets } from '../common/secrets.ts';
import type {
  BuildContext,
  FailureReason,
  Payload,
  Receiver,
  ReceiverFactory,
  SendResult,
} from '../common/types.ts';
import { SendError } from '../common/types.ts';
import { classifyKafkaError, topicProblem } from './classify.ts';
import { compressionType } from './codecs.ts';
import type { Classified } from './classify.ts';
import { currentKafkaClientFactory, kafkajsLogCreator, saslOptions, sslOptions } from './client.ts';
import type { KafkaClientFactory, KafkaProducerLike } from './client.ts';
import type { KafkaOptions } from './options.ts';

export { setKafkaClientFactoryForTests } from './client.ts';
export type { KafkaClientFactory, KafkaProducerLike } from './client.ts';

interface Item {
  readonly index: number;
  readonly topic: string;
  readonly message: Message;
}

type Outcome =
  { kind: 'ok' } | { kind: 'retry'; reason: FailureReason; error: Error } | { kind: 'drop'; error: Error };

function groupByTopic(items: readonly Item[]): Map<string, Item[]> {
  const groups = new Map<string, Item[]>();
  for (const item of items) groups.set(item.topic, [...(groups.get(item.topic) ?? []), item]);
  return groups;
}

class KafkaReceiver implements Receiver {
  private readonly producer: KafkaProducerLike;
  private readonly secrets: readonly string[];
  private readonly compression: CompressionTypes;
  private connected: Promise<void> | undefined;

  constructor(
    readonly name: string,
    private readonly options: KafkaOptions,
    ctx: BuildContext,
    factory: KafkaClientFactory,
  ) {
    this.secrets = [options.sasl.password ?? '', options.sasl.username ?? ''].filter((s) => s !== '');
    this.compression = compressionType(options.compressionCodec);
    const sasl = saslOptions(options.sasl);
    this.producer = factory(
      {
        clientId: options.clientId,
        brokers: options.brokers,
        ssl: sslOptions(options.tls),
        ...(sasl === undefined ? {} : { sasl }),
        requestTimeout: options.timeoutMs,
        connectionTimeout: Math.min(options.timeoutMs, 10_000),
        // A few quick tries inside one send (a leader moving); longer outages are the output's.
        retry: { retries: 3, maxRetryTime: 5_000 },
        logLevel: kafkajs.logLevel.DEBUG,
        logCreator: kafkajsLogCreator(ctx.logger.child({ receiver: name }), this.secrets),
      },
      // Idempotent (acks = all): kafkajs's quick in-request retries, for a leader move, reuse the
      // sequence numbers, so the broker drops a repeat; the output's retries cover real outages.
      {
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        retry: { retries: 3, maxRetryTime: 5_000 },
      },
    );
  }

  private items(batch: readonly Payload[], drops: { index: number; error: Error }[]): Item[] {
    const items: Item[] = [];
    batch.forEach((payload, index) => {
      const topic = payload.templated.topic ?? '';
      const problem = topicProblem(topic);
      if (problem !== undefined) drops.push({ index, error: new SendError(problem) });
      else {
        const message: Message = {
          key: payload.templated.key ?? null,
          value: payload.body,
          headers: { 'idempotency-key': payload.id },
        };
        items.push({ index, topic, message });
      }
    });
    return items;
  }

  private async sendBatch(items: readonly Item[]): Promise<Classified | undefined> {
    try {
      this.connected ??= this.producer.connect();
      await this.connected;
    } catch (err) {
      // connect() failed (unreachable brokers, SASL refused): the next send connects again.
      await this.reset();
      return classifyKafkaError(err);
    }
    try {
      const topicMessages: TopicMessages[] = [...groupByTopic(items)].map(([topic, group]) => ({
        topic,
        messages: group.map((i) => i.message),
      }));
      await this.producer.sendBatch({
        topicMessages,
        acks: -1,
        timeout: this.options.timeoutMs,
        compression: this.compression,
      });
      return undefined;
    } catch (err) {
      const classified = classifyKafkaError(err);
      // A producer that lost its brokers or its idempotence state starts afresh on the next send.
      if (classified.kind === 'retry' && classified.reset) await this.reset();
      return classified;
    }
  }

  private async reset(): Promise<void> {
    this.connected = undefined;
    await this.producer.disconnect().catch(() => undefined);
  }

  /**
   * One sendBatch for the items; when the broker refuses it for good and it held several topics
   * or (a message-sized refusal) several messages, the parts are sent alone to find which.
   */
  private async deliver(items: readonly Item[]): Promise<Outcome[]> {
    const failure = await this.sendBatch(items);
    if (failure === undefined) return items.map(() => ({ kind: 'ok' }));
    const error = new SendError(redactSecrets(`kafka: ${failure.message}`, this.secrets));
    if (failure.kind === 'retry') return items.map(() => ({ kind: 'retry', reason: failure.reason, error }));
    const groups = groupByTopic(items);
    const parts =
      groups.size > 1
        ? [...groups.values()]
        : failure.scope === 'message' && items.length > 1
          ? items.map((i) => [i])
          : undefined;
    if (parts === undefined) return items.map(() => ({ kind: 'drop', error }));
    const outcomes: Outcome[] = [];
    for (const part of parts) outcomes.push(...(await this.deliver(part)));
    // `parts` regrouped the items: put the outcomes back in item order.
    const order = parts.flat();
    return items.map((item) => outcomes[order.indexOf(item)] as Outcome);
  }

  async send(batch: readonly Payload[]): Promise<SendResult> {
    const drop: { index: number; error: Error; reason?: FailureReason }[] = [];
    const items = this.items(batch, drop);
    const outcomes = items.length === 0 ? [] : await this.deliver(items);
    const retry: number[] = [];
    let retryFailure: { reason: FailureReason; error: Error } | undefined;
    outcomes.forEach((outcome, i) => {
      const index = (items[i] as Item).index;
      if (outcome.kind === 'drop') drop.push({ index, error: outcome.error });
      else if (outcome.kind === 'retry') {
        retry.push(index);
        retryFailure ??= outcome;
      }
    });
    if (retry.length === 0 && drop.length === 0) return { kind: 'ok' };
    if (retry.length === batch.length && retryFailure) return { kind: 'retry', ...retryFailure };
    if (drop.length === batch.length && new Set(drop.map((d) => d.error)).size === 1) {
      return { kind: 'drop', reason: 'clientError', error: (drop[0] as { error: Error }).error };
    }
    drop.sort((a, b) => a.index - b.index);
    return { kind: 'partial', retry, drop, ...(retryFailure ? { reason: retryFailure.reason } : {}) };
  }

  async close(): Promise<void> {
    if (this.connected === undefined) return;
    this.connected = undefined;
    await this.producer.disconnect().catch(() => undefined);
  }
}

/** The receiver with its producer from `factory` (default: kafkajs, or the tests' override). */
export function createKafkaReceiver(
  name: string,
  opts: KafkaOptions,
  ctx: BuildContext,
  factory = currentKafkaClientFactory(),
): Receiver {
  return new KafkaReceiver(name, opts, ctx, factory);
}

export const create: ReceiverFactory<KafkaOptions> = (name, opts, ctx) =>
  createKafkaReceiver(name, opts, ctx);
