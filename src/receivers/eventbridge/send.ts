// eventbridge runtime: PutEvents with up to 10 entries and 256 KiB per call; an entry refused
// inside a 200 answer (FailedEntryCount, Entries[i].ErrorCode) is retried alone or dead-lettered.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { PutEventsRequestEntry, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { putInChunks } from '../aws/chunks.ts';
import { classifyAwsError } from '../aws/classify.ts';
import { AwsRedactor, awsClientConfig, learnCredentials } from '../aws/client.ts';
import { settleEntries } from '../aws/entries.ts';
import { SendOutcome } from '../common/outcome.ts';
import type { BuildContext, Payload, Receiver, ReceiverFactory, SendResult } from '../common/types.ts';
import { SendError } from '../common/types.ts';
import { eventbridgeEntryAction } from './classify.ts';
import { EVENTBRIDGE_LIMITS, entrySize } from './options.ts';
import type { EventbridgeOptions } from './options.ts';

interface PreparedEntry {
  readonly index: number;
  readonly entry: PutEventsRequestEntry;
  readonly bytes: number;
}

const LIMITS = {
  maxRecords: EVENTBRIDGE_LIMITS.maxEntries,
  maxRequestBytes: EVENTBRIDGE_LIMITS.maxRequestBytes,
};

export class EventbridgeReceiver implements Receiver {
  private readonly client: EventBridgeClient;
  private readonly redactor: AwsRedactor;

  constructor(
    readonly name: string,
    private readonly options: EventbridgeOptions,
    private readonly ctx: BuildContext,
  ) {
    this.client = new EventBridgeClient(awsClientConfig(options));
    this.redactor = new AwsRedactor(options.endpoint);
  }

  async send(batch: readonly Payload[], signal: AbortSignal): Promise<SendResult> {
    const outcome = new SendOutcome(batch.length);
    const entries = this.prepare(batch, outcome);
    await putInChunks(entries, LIMITS, outcome, (chunk) => this.put(chunk, outcome, signal));
    return outcome.result();
  }

  private prepare(batch: readonly Payload[], outcome: SendOutcome): PreparedEntry[] {
    const { source, detailType, eventBusName } = this.options;
    // As the exporter: the time the event is put, not the Kubernetes timestamps (they are in the detail).
    const time = new Date(this.ctx.clock.now());
    const entries: PreparedEntry[] = [];
    batch.forEach((payload, index) => {
      const bytes = entrySize({ source, detailType, detail: payload.body, eventBusName });
      if (bytes > EVENTBRIDGE_LIMITS.maxRequestBytes) {
        const message = `entry is ${bytes} bytes, above the EventBridge limit of ${EVENTBRIDGE_LIMITS.maxRequestBytes} per PutEvents call`;
        outcome.drop(index, 'clientError', new SendError(message));
        return;
      }
      const entry: PutEventsRequestEntry = {
        Source: source,
        DetailType: detailType,
        Detail: payload.body,
        Time: time,
        ...(eventBusName === undefined || eventBusName === '' ? {} : { EventBusName: eventBusName }),
      };
      entries.push({ index, entry, bytes });
    });
    return entries;
  }

  /** One PutEvents call; refused entries go into `outcome`, a failed call is returned. */
  private async put(
    entries: readonly PreparedEntry[],
    outcome: SendOutcome,
    signal: AbortSignal,
  ): Promise<SendResult | undefined> {
    const command = new PutEventsCommand({ Entries: entries.map((e) => e.entry) });
    let answer;
    try {
      answer = await this.client.send(command, { abortSignal: signal });
    } catch (err) {
      await learnCredentials(() => this.client.config.credentials(), this.redactor);
      return classifyAwsError(err, 'EventBridge PutEvents', this.redactor);
    }
    if ((answer.FailedEntryCount ?? 0) === 0 && (answer.Entries ?? []).length === entries.length) return;
    const results: readonly PutEventsResultEntry[] = answer.Entries ?? [];
    const codes = settleEntries(
      entries.map((e) => e.index),
      (i) => {
        const r = results[i];
        // An entry without an event id was not put, whatever the answer says of it.
        if (r?.ErrorCode !== undefined) return { code: r.ErrorCode, message: r.ErrorMessage };
        return r?.EventId === undefined
          ? { code: 'InternalFailure', message: 'no EventId in the answer' }
          : undefined;
      },
      eventbridgeEntryAction,
      outcome,
      { what: 'EventBridge', redactor: this.redactor },
    );
    this.ctx.logger.debug(
      { receiver: this.name, codes },
      'EventBridge refused some entries of a PutEvents call.',
    );
    return undefined;
  }

  close(): Promise<void> {
    this.client.destroy();
    return Promise.resolve();
  }
}

export const create: ReceiverFactory<EventbridgeOptions> = (name, opts, ctx) =>
  new EventbridgeReceiver(name, opts, ctx);
