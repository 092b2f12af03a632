// sns runtime: PublishBatch with up to 10 messages and 256 KiB per call; a message refused inside
// a 200 answer (Failed[] with SenderFault) is retried alone or dead-lettered. FIFO topics get a
// group id (default: the event uid) and a deduplication id (default: the occurrence id).
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import type { PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { renderedOr, senderFaultAction, settleBatchResult, uidOf } from '../aws/entries.ts';
import { putInChunks } from '../aws/chunks.ts';
import { classifyAwsError } from '../aws/classify.ts';
import { AwsRedactor, awsClientConfig, learnCredentials } from '../aws/client.ts';
import { SendOutcome } from '../common/outcome.ts';
import type { BuildContext, Payload, Receiver, ReceiverFactory, SendResult } from '../common/types.ts';
import { SendError } from '../common/types.ts';
import { SNS_LIMITS, isFifoTopic, regionOfArn } from './options.ts';
import type { SnsOptions } from './options.ts';

interface PreparedMessage {
  readonly index: number;
  readonly entry: Omit<PublishBatchRequestEntry, 'Id'>;
  readonly bytes: number;
}

const LIMITS = { maxRecords: SNS_LIMITS.maxEntries, maxRequestBytes: SNS_LIMITS.maxRequestBytes };

export class SnsReceiver implements Receiver {
  private readonly client: SNSClient;
  private readonly redactor: AwsRedactor;
  private readonly fifo: boolean;

  constructor(
    readonly name: string,
    private readonly options: SnsOptions,
    private readonly ctx: BuildContext,
  ) {
    const region = options.region ?? regionOfArn(options.topicARN);
    this.client = new SNSClient(awsClientConfig({ ...options, region }));
    this.redactor = new AwsRedactor(options.endpoint);
    this.fifo = isFifoTopic(options.topicARN);
  }

  async send(batch: readonly Payload[], signal: AbortSignal): Promise<SendResult> {
    const outcome = new SendOutcome(batch.length);
    const messages = this.prepare(batch, outcome);
    await putInChunks(messages, LIMITS, outcome, (chunk) => this.put(chunk, outcome, signal));
    return outcome.result();
  }

  private prepare(batch: readonly Payload[], outcome: SendOutcome): PreparedMessage[] {
    const messages: PreparedMessage[] = [];
    const max = SNS_LIMITS.maxIdChars;
    batch.forEach((payload, index) => {
      if (payload.bytes > SNS_LIMITS.maxRequestBytes) {
        const message = `message is ${payload.bytes} bytes, above the SNS limit of ${SNS_LIMITS.maxRequestBytes}`;
        outcome.drop(index, 'clientError', new SendError(message));
        return;
      }
      const ids = this.fifo
        ? {
            MessageGroupId: renderedOr(payload, 'messageGroupId', uidOf(payload), max),
            MessageDeduplicationId: renderedOr(payload, 'messageDeduplicationId', payload.id, max),
          }
        : {};
      messages.push({ index, entry: { Message: payload.body, ...ids }, bytes: payload.bytes });
    });
    return messages;
  }

  /** One PublishBatch call; refused messages go into `outcome`, a failed call is returned. */
  private async put(
    messages: readonly PreparedMessage[],
    outcome: SendOutcome,
    signal: AbortSignal,
  ): Promise<SendResult | undefined> {
    // Ids only need to be unique within the call: the position says which message it is.
    const entries = messages.map((m, i) => ({ Id: String(i), ...m.entry }));
    const command = new PublishBatchCommand({
      TopicArn: this.options.topicARN,
      PublishBatchRequestEntries: entries,
    });
    let answer;
    try {
      answer = await this.client.send(command, { abortSignal: signal });
    } catch (err) {
      await learnCredentials(() => this.client.config.credentials(), this.redactor);
      return classifyAwsError(err, 'SNS PublishBatch', this.redactor);
    }
    const codes = settleBatchResult(
      answer,
      messages.map((m) => m.index),
      senderFaultAction,
      outcome,
      { what: 'SNS', redactor: this.redactor },
    );
    if (codes === undefined) return undefined;
    this.ctx.logger.debug(
      { receiver: this.name, codes },
      'SNS refused some messages of a PublishBatch call.',
    );
    return undefined;
  }

  close(): Promise<void> {
    this.client.destroy();
    return Promise.resolve();
  }
}

export const create: ReceiverFactory<SnsOptions> = (name, opts, ctx) => new SnsReceiver(name, opts, ctx);
