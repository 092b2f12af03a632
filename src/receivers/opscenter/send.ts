// opscenter runtime: one CreateOpsItem per event (the API has no batch call), in order; an item
// refused for its content is dead-lettered and the next one sent, a throttled or failed call
// stops the batch and the rest is retried. An OpsItem that already exists (same dedup string)
// counts as delivered.
import { CreateOpsItemCommand, SSMClient } from '@aws-sdk/client-ssm';
import { putInChunks } from '../aws/chunks.ts';
import { classifyAwsError } from '../aws/classify.ts';
import { AwsRedactor, awsClientConfig, learnCredentials } from '../aws/client.ts';
import { SendOutcome } from '../common/outcome.ts';
import type { BuildContext, Payload, Receiver, SendResult, ReceiverFactory } from '../common/types.ts';
import { SendError } from '../common/types.ts';
import { OpsItemValueError, opsItemOf } from './item.ts';
import type { OpsItemInput } from './item.ts';
import type { OpscenterOptions } from './options.ts';

interface PreparedItem {
  readonly index: number;
  readonly input: OpsItemInput;
  readonly bytes: number;
}

const ONE_AT_A_TIME = { maxRecords: 1, maxRequestBytes: Number.MAX_SAFE_INTEGER };

export class OpscenterReceiver implements Receiver {
  private readonly client: SSMClient;
  private readonly redactor: AwsRedactor;

  constructor(
    readonly name: string,
    private readonly options: OpscenterOptions,
    private readonly ctx: BuildContext,
  ) {
    this.client = new SSMClient(awsClientConfig(options));
    this.redactor = new AwsRedactor(options.endpoint);
  }

  async send(batch: readonly Payload[], signal: AbortSignal): Promise<SendResult> {
    const outcome = new SendOutcome(batch.length);
    const items: PreparedItem[] = [];
    batch.forEach((payload, index) => {
      try {
        items.push({ index, input: opsItemOf(payload, this.options), bytes: 0 });
      } catch (err) {
        if (!(err instanceof OpsItemValueError)) throw err;
        outcome.drop(index, 'clientError', new SendError(err.message));
      }
    });
    await putInChunks(items, ONE_AT_A_TIME, outcome, ([item]) =>
      item === undefined ? Promise.resolve(undefined) : this.create(item, outcome, signal),
    );
    return outcome.result();
  }

  /** One CreateOpsItem; a refused item goes into `outcome`, a call to retry is returned. */
  private async create(
    item: PreparedItem,
    outcome: SendOutcome,
    signal: AbortSignal,
  ): Promise<SendResult | undefined> {
    try {
      const answer = await this.client.send(new CreateOpsItemCommand(item.input), { abortSignal: signal });
      this.ctx.logger.trace({ receiver: this.name, opsItemId: answer.OpsItemId }, 'OpsItem created.');
      return undefined;
    } catch (err) {
      if (err instanceof Error && err.name === 'OpsItemAlreadyExistsException') return undefined;
      await learnCredentials(() => this.client.config.credentials(), this.redactor);
      const result = classifyAwsError(err, 'SSM CreateOpsItem', this.redactor);
      if (result.kind !== 'drop') return result;
      outcome.drop(item.index, result.reason, result.error);
      return undefined;
    }
  }

  close(): Promise<void> {
    this.client.destroy();
    return Promise.resolve();
  }
}

export const create: ReceiverFactory<OpscenterOptions> = (name, opts, ctx) =>
  new OpscenterReceiver(name, opts, ctx);
