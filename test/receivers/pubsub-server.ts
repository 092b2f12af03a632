// A Pub/Sub Publisher service on 127.0.0.1 for the pubsub receiver's tests: a real gRPC server
// (@grpc/grpc-js) serving google.pubsub.v1.Publisher from the .proto files that
// @google-cloud/pubsub ships, so the client library talks to it exactly as to the Pub/Sub
// emulator (plain text, no credentials). Publish, GetTopic and CreateTopic behave as the API
// documents (NOT_FOUND for a missing topic, ALREADY_EXISTS, INVALID_ARGUMENT for a message over
// the size limit, one message id per message, in order); any other method answers UNIMPLEMENTED.
// Tests script failures per Publish call with `publishHandler`.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const require = createRequire(import.meta.url);
// Both packages' main files are build/src/index.js, next to build/protos.
const protosOf = (pkg: string) => join(dirname(require.resolve(pkg)), '..', 'protos');
const PUBSUB_PROTOS = protosOf('@google-cloud/pubsub');
const GAX_PROTOS = protosOf('google-gax');

export const STATUS = grpc.status;

export interface ReceivedMessage {
  readonly topic: string;
  readonly messageId: string;
  readonly data: string;
  readonly attributes: Record<string, string>;
}

export interface PublishCall {
  readonly topic: string;
  readonly messages: { data: string; attributes: Record<string, string> }[];
  /** Request metadata as the server saw it (what a proxy could echo back). */
  readonly metadata: Record<string, string>;
}

/** A gRPC status to fail with. */
export interface StatusAnswer {
  readonly code: grpc.status;
  readonly details: string;
}

/** Answers one Publish: undefined = the API's own behaviour, else fail with the status. */
export type PublishHandler = (call: PublishCall, index: number) => StatusAnswer | undefined;

interface WireMessage {
  data?: Buffer;
  attributes?: Record<string, string>;
}

function fail(callback: grpc.sendUnaryData<unknown>, answer: StatusAnswer): void {
  callback({ code: answer.code, details: answer.details, metadata: new grpc.Metadata() });
}

function metadataRecord(metadata: grpc.Metadata): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata.getMap()).map(([k, v]) => [k, String(v)]));
}

export class PubsubServer {
  readonly topics = new Set<string>();
  /** Messages the server accepted, in order. */
  readonly received: ReceivedMessage[] = [];
  readonly publishCalls: PublishCall[] = [];
  readonly methodCalls: string[] = [];
  publishHandler: PublishHandler = () => undefined;
  /** The API refuses a message larger than 10 MB; tests lower it to refuse a real event. */
  maxMessageBytes = 10_000_000;
  private nextId = 1;

  private constructor(
    private readonly server: grpc.Server,
    readonly port: number,
  ) {}

  static async start(topics: readonly string[] = []): Promise<PubsubServer> {
    const definition = protoLoader.loadSync('google/pubsub/v1/pubsub.proto', {
      includeDirs: [PUBSUB_PROTOS, GAX_PROTOS],
      keepCase: false,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
    });
    const loaded = grpc.loadPackageDefinition(definition) as unknown as {
      google: { pubsub: { v1: { Publisher: grpc.ServiceClientConstructor } } };
    };
    const grpcServer = new grpc.Server();
    const port = await new Promise<number>((resolve, reject) =>
      grpcServer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    const server = new PubsubServer(grpcServer, port);
    for (const topic of topics) server.topics.add(topic);
    grpcServer.addService(loaded.google.pubsub.v1.Publisher.service, server.handlers());
    return server;
  }

  /** `host:port` for the receiver's `endpoint` (the client's emulator mode). */
  get endpoint(): string {
    return `127.0.0.1:${this.port}`;
  }

  close(): Promise<void> {
    this.server.forceShutdown();
    return Promise.resolve();
  }

  private handlers(): grpc.UntypedServiceImplementation {
    return {
      Publish: (
        call: grpc.ServerUnaryCall<{ topic: string; messages: WireMessage[] }, unknown>,
        callback: grpc.sendUnaryData<unknown>,
      ) => this.publish(call, callback),
      GetTopic: (
        call: grpc.ServerUnaryCall<{ topic: string }, unknown>,
        callback: grpc.sendUnaryData<unknown>,
      ) => {
        this.methodCalls.push('GetTopic');
        const name = call.request.topic;
        if (!this.topics.has(name))
          return fail(callback, { code: STATUS.NOT_FOUND, details: 'Topic not found' });
        callback(null, { name });
      },
      CreateTopic: (
        call: grpc.ServerUnaryCall<{ name: string }, unknown>,
        callback: grpc.sendUnaryData<unknown>,
      ) => {
        this.methodCalls.push('CreateTopic');
        const name = call.request.name;
        if (this.topics.has(name))
          return fail(callback, { code: STATUS.ALREADY_EXISTS, details: 'Topic already exists' });
        this.topics.add(name);
        callback(null, { name });
      },
    };
  }

  private publish(
    call: grpc.ServerUnaryCall<{ topic: string; messages: WireMessage[] }, unknown>,
    callback: grpc.sendUnaryData<unknown>,
  ): void {
    this.methodCalls.push('Publish');
    const { topic } = call.request;
    const seen: PublishCall = {
      topic,
      messages: call.request.messages.map((m) => ({
        data: (m.data ?? Buffer.alloc(0)).toString('utf8'),
        attributes: { ...(m.attributes ?? {}) },
      })),
      metadata: metadataRecord(call.metadata),
    };
    this.publishCalls.push(seen);
    const scripted = this.publishHandler(seen, this.publishCalls.length - 1);
    if (scripted !== undefined) return fail(callback, scripted);
    if (!this.topics.has(topic))
      return fail(callback, { code: STATUS.NOT_FOUND, details: 'Resource not found' });
    const tooLarge = call.request.messages.findIndex((m) => (m.data?.length ?? 0) > this.maxMessageBytes);
    if (tooLarge >= 0) {
      return fail(callback, {
        code: STATUS.INVALID_ARGUMENT,
        details: `Request payload size exceeds the limit: message ${tooLarge} is over ${this.maxMessageBytes} bytes.`,
      });
    }
    const messageIds = seen.messages.map((m) => {
      const messageId = String(this.nextId++);
      this.received.push({ topic, messageId, ...m });
      return messageId;
    });
    callback(null, { messageIds });
  }
}
