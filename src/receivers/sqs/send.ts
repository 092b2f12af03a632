// sqs runtime: SendMessageBatch with up to 10 messages and 256 KiB per call to the queue URL
// (looked up in the background, see queue-url.ts); a message refused inside a 200 answer
// (Failed[] with SenderFault) is retried alone or dead-lettered. FIFO queues get a group id
// (default: the event uid) and a deduplication id (default: the occurrence id).
import { GetQueueUrlCommand, SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { renderedOr, settleBatchResult, uidOf } from '../aws/entries.ts';
import { putInChunks } from '../aws/chunks.ts';
import { AwsRedactor, awsClientConfig, learnCredentials } from '../aws/client.ts';
import { SendOutcome } from '../common/outcome.ts';
import type { BuildContext, Payload, Receiver, ReceiverFactory, SendResult } from '../common/types.ts';
import { SendError } from '../common/types.ts';
import { classifySqsError, sqsEntryAction } from './classify.ts';
import { SQS_LIMITS, isFifo } from './options.ts';
import type { SqsOptions } from './options.ts';
import { QueueUrl, knownQueueUrl } from './queue-url.ts';
import type { QueueUrlSource } from './queue-url.ts';

interface PreparedMessage {
  readonly index: number;
  readonly entry: Omit<SendMessageBatchRequestEntry, 'Id'>;
  readonly bytes: number;
}

const LIMITS = { maxRecords: SQS_LIMITS.maxEntries, maxRequestBytes: SQS_LIMITS.maxRequestBytes };

export class SqsReceiver implements Receiver {
  private readonly client: SQSClient;
  private readonly redactor: AwsRedactor;
  private readonly queue: QueueUrlSource;
  private readonly fifo: boolean;

  constructor(
    readonly name: string,
    private readonly options: SqsOptions,
    private readonly ctx: BuildContext,
  ) {
    this.client = new SQSClient(awsClientConfig(options));
    this.redactor = new AwsRedactor(options.endpoint);
    this.fifo = isFifo(options);
    const queueName = options.queueName ?? '';
    this.queue =
      options.queueUrl !== undefined
        ? knownQueueUrl(options.queueUrl)
        : new QueueUrl(
            () => this.lookup(queueName),
            (err) => classifySqsError(err, 'SQS GetQueueUrl', this.redactor),
            ctx.clock,
            ctx.logger.child({ receiver: name, queueName }),
          );
    this.queue.start();
  }

  async send(batch: readonly Payload[], signal: AbortSignal): Promise<SendResult> {
    const url = await this.queue.get();
    if (typeof url !== 'string') {
      await learnCredentials(() => this.client.config.credentials(), this.redactor);
      return url;
    }
    const outcome = new SendOutcome(batch.length);
    const messages = this.prepare(batch, outcome);
    await putInChunks(messages, LIMITS, outcome, (chunk) => this.put(url, chunk, outcome, signal));
    return outcome.result();
  }

  private async lookup(queueName: string): Promise<string> {
    const answer = await this.client.send(new GetQueueUrlCommand({ QueueName: queueName }));
    if (answer.QueueUrl === undefined || answer.QueueUrl === '')
      throw new Error('GetQueueUrl answered no QueueUrl');
    return answer.QueueUrl;
  }

  private prepare(batch: readonly Payload[], outcome: SendOutcome): PreparedMessage[] {
    const messages: PreparedMessage[] = [];
    batch.forEach((payload, index) => {
      if (payload.bytes > SQS_LIMITS.maxRequestBytes) {
        const message = `message is ${payload.bytes} bytes, above the SQS limit of ${SQS_LIMITS.maxRequestBytes}`;
        outcome.drop(index, 'clientError', new SendError(message));
        return;
      }
      messages.push({
        index,
        entry: { MessageBody: payload.body, ...this.ids(payload) },
        bytes: payload.bytes,
      });
    });
    return messages;
  }

  /** FIFO ids; a standard queue gets a group id only when configured (fair queues). */
  private ids(
    payload: Payload,
  ): Pick<SendMessageBatchRequestEntry, 'MessageGroupId' | 'MessageDeduplicationId'> {
    const max = SQS_LIMITS.maxIdChars;
    if (!this.fifo)
      return this.options.messageGroupId === undefined
        ? {}
        : { MessageGroupId: renderedOr(payload, 'messageGroupId', uidOf(payload), max) };
    return {
      MessageGroupId: renderedOr(payload, 'messageGroupId', uidOf(payload), max),
      MessageDeduplicationId: renderedOr(payload, 'messageDeduplicationId', payload.id, max),
    };
  }

  /** One SendMessageBatch call; refused messages go into `outcome`, a failed call is returned. */
  private async put(
    url: string,
    messages: readonly PreparedMessage[],
    outcome: SendOutcome,
    signal: AbortSignal,
  ): Promise<SendResult | undefined> {
    // Ids only need to be unique within the call: the position says which message it is.
    const entries = messages.map((m, i) => ({ Id: String(i), ...m.entry }));
    let answer;
    try {
      answer = await this.client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }), {
        abortSignal: signal,
      });
    } catch (err) {
      await learnCredentials(() => this.client.config.credentials(), this.redactor);
      return classifySqsError(err, 'SQS SendMessageBatch', this.redactor);
    }
    const codes = settleBatchResult(
      answer,
      messages.map((m) => m.index),
      sqsEntryAction,
      outcome,
      { what: 'SQS', redactor: this.redactor },
    );
    if (codes === undefined) return undefined;
    this.ctx.logger.debug(
      { receiver: this.name, codes },
      'SQS refused some messages of a SendMessageBatch call.',
    );
    return undefined;
  }

  close(): Promise<void> {
    this.queue.close();
    this.client.destroy();
    return Promise.resolve();
  }
}

export const create: ReceiverFactory<SqsOptions> = (name, opts, ctx) => new SqsReceiver(name, opts, ctx);
