// pubsub — send: one Publish per batch (the batch is sized under the API's limits), each message
// the rendered body with the occurrence id as attribute `idempotency-key`. The client library is
// imported on the first send; its own retries are off (the output retries). A Publish refused as
// INVALID_ARGUMENT (a message too large, bad attributes) is split in halves until the refused
// message is alone, so one bad event does not take its batch with it.
import type { Logger } from 'pino';
import { redactGoogleCredentials } from '../google/redact.ts';
import { SendOutcome } from '../common/outcome.ts';
import type { BuildContext, Payload, Receiver, ReceiverFactory, SendResult } from '../common/types.ts';
import { SendError } from '../common/types.ts';
import { classifyGrpcError, grpcCodeName } from './classify.ts';
import { isEmulatorEndpoint, topicName } from './options.ts';
import type { PubsubOptions } from './options.ts';

interface PubsubMessage {
  readonly data: Buffer;
  readonly attributes: Record<string, string>;
}

/** Per-call options: no client-side retry, our timeout. */
interface CallOptions {
  readonly retry: null;
  readonly timeout: number;
}

/** What the receiver uses of the client library's v1 PublisherClient. */
export interface PublisherLike {
  publish(
    request: { topic: string; messages: PubsubMessage[] },
    options: CallOptions,
  ): Promise<[{ messageIds?: string[] | null }, ...unknown[]]>;
  getTopic(request: { topic: string }, options: CallOptions): Promise<unknown>;
  createTopic(request: { name: string }, options: CallOptions): Promise<unknown>;
  close(): Promise<void>;
}

/** The library's PublisherClient, configured as `new PubSub(...)` would (emulator mode, project). */
async function libraryPublisher(opts: PubsubOptions): Promise<PublisherLike> {
  const { PubSub, v1 } = await import('@google-cloud/pubsub');
  const pubsub = new PubSub({
    projectId: opts.gcloud_project_id,
    ...(opts.endpoint === undefined ? {} : { apiEndpoint: opts.endpoint }),
    // An emulator takes no credentials: naming the universe spares the auth library its search
    // for Application Default Credentials (which probes the GCE metadata server off-cloud).
    ...(isEmulatorEndpoint(opts.endpoint ?? process.env.PUBSUB_EMULATOR_HOST)
      ? { emulatorMode: true, universeDomain: 'googleapis.com' }
      : {}),
  });
  // The library's documented way to a v1 client: its resolved config (emulator, endpoint, auth).
  const { port, ...config } = await pubsub.getClientConfig();
  const client = new v1.PublisherClient({ ...config, ...(port === undefined ? {} : { port: Number(port) }) });
  return client as unknown as PublisherLike;
}

class PubsubReceiver implements Receiver {
  private readonly topic: string;
  private readonly call: CallOptions;
  private readonly logger: Logger;
  private publisher: Promise<PublisherLike> | undefined;
  private topicReady: boolean;

  constructor(
    readonly name: string,
    private readonly opts: PubsubOptions,
    ctx: BuildContext,
  ) {
    this.topic = topicName(opts);
    this.call = { retry: null, timeout: opts.timeoutMs };
    this.logger = ctx.logger;
    this.topicReady = !opts.create_topic;
  }

  /** create_topic: GetTopic, then CreateTopic when it is NOT_FOUND (a racing creator is fine). */
  private async ensureTopic(publisher: PublisherLike): Promise<void> {
    if (this.topicReady) return;
    try {
      await publisher.getTopic({ topic: this.topic }, this.call);
    } catch (err) {
      if (grpcCodeName(err) !== 'NOT_FOUND') throw err;
      try {
        await publisher.createTopic({ name: this.topic }, this.call);
        this.logger.info({ topic: this.topic }, 'Created Pub/Sub topic.');
      } catch (createErr) {
        if (grpcCodeName(createErr) !== 'ALREADY_EXISTS') throw createErr;
      }
    }
    this.topicReady = true;
  }

  private failure(err: unknown): { result: SendResult; perMessage: boolean } {
    const c = classifyGrpcError(err);
    const error = new SendError(redactGoogleCredentials(`pubsub: ${c.message}`));
    return c.kind === 'retry'
      ? { result: { kind: 'retry', reason: c.reason, error }, perMessage: false }
      : { result: { kind: 'drop', reason: c.reason, error }, perMessage: c.perMessage };
  }

  private async publish(
    publisher: PublisherLike,
    batch: readonly Payload[],
    indexes: readonly number[],
    outcome: SendOutcome,
  ): Promise<void> {
    const messages = indexes.map((i) => {
      const payload = batch[i] as Payload;
      return { data: Buffer.from(payload.body, 'utf8'), attributes: { 'idempotency-key': payload.id } };
    });
    try {
      const [response] = await publisher.publish({ topic: this.topic, messages }, this.call);
      this.logger.debug({ messageIds: response.messageIds ?? [] }, 'Published to Pub/Sub.');
    } catch (err) {
      const { result, perMessage } = this.failure(err);
      if (perMessage && indexes.length > 1) {
        const half = Math.ceil(indexes.length / 2);
        await this.publish(publisher, batch, indexes.slice(0, half), outcome);
        await this.publish(publisher, batch, indexes.slice(half), outcome);
        return;
      }
      outcome.request(indexes, result);
    }
  }

  async send(batch: readonly Payload[]): Promise<SendResult> {
    let publisher: PublisherLike;
    try {
      publisher = await (this.publisher ??= libraryPublisher(this.opts));
      await this.ensureTopic(publisher);
    } catch (err) {
      // A client that could not be built is built again on the next send.
      if (grpcCodeName(err) === undefined) this.publisher = undefined;
      return this.failure(err).result;
    }
    const outcome = new SendOutcome(batch.length);
    await this.publish(
      publisher,
      batch,
      batch.map((_, i) => i),
      outcome,
    );
    return outcome.result();
  }

  async close(): Promise<void> {
    const publisher = this.publisher;
    this.publisher = undefined;
    if (publisher === undefined) return;
    await publisher.then((p) => p.close()).catch(() => undefined);
  }
}

export const create: ReceiverFactory<PubsubOptions> = (name, opts, ctx) =>
  new PubsubReceiver(name, opts, ctx);
