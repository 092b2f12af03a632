// A local AWS service with a batch call (EventBridge PutEvents, SQS SendMessageBatch, SNS
// PublishBatch, SSM CreateOpsItem one at a time): it stores what it accepts, refuses chosen
// entries inside a 200 answer as the API documents, or answers a whole call with an error.
import { startAwsServer } from '../aws-servers.ts';
import type { AwsAnswer, AwsRequest, AwsServer } from '../aws-servers.ts';
import { useTestCredentials } from '../aws-servers.ts';

export interface EntryRefusal {
  readonly code: string;
  readonly message: string;
  /** SQS and SNS report whether the sender caused it. */
  readonly senderFault?: boolean;
}

/** How the service answers its batch call from now on. */
export type ServiceAnswer =
  | 'stored'
  | { readonly entry: EntryRefusal }
  | { readonly whole: AwsAnswer | ((req: AwsRequest) => AwsAnswer | undefined) };

/** One entry's fate in a batch answer: its accepted entry, or the refusal. */
export type EntryResult<E> = { readonly stored: E } | { readonly refused: EntryRefusal; readonly entry: E };

export abstract class BatchService<E> {
  readonly stored: E[] = [];
  answer: ServiceAnswer = 'stored';
  /** The local server's URL, once started (for answers that hold a URL). */
  origin = 'http://127.0.0.1';
  /** Refuses chosen entries whatever `answer` says (a test's one-shot refusals remove themselves). */
  refuse: (entry: E) => EntryRefusal | undefined = () => undefined;
  private taken = 0;

  /** The entries of the batch call, or undefined for another call of the API. */
  protected abstract entriesOf(req: AwsRequest): E[] | undefined;
  protected abstract batchAnswer(req: AwsRequest, results: readonly EntryResult<E>[]): AwsAnswer;
  /** Calls other than the batch one (SQS GetQueueUrl); an error answer when unknown. */
  protected abstract otherCall(req: AwsRequest): AwsAnswer;
  /** An entry as the golden files show it (no run-specific values). */
  abstract golden(entry: E): unknown;

  /** undefined = never answer (a hung service). */
  handle(req: AwsRequest): AwsAnswer | undefined {
    const entries = this.entriesOf(req);
    if (entries === undefined) return this.otherCall(req);
    const answer = this.answer;
    if (typeof answer === 'object' && 'whole' in answer)
      return typeof answer.whole === 'function' ? answer.whole(req) : answer.whole;
    const results = entries.map((entry): EntryResult<E> => {
      const refused = this.refuse(entry) ?? (typeof answer === 'object' ? answer.entry : undefined);
      if (refused !== undefined) return { refused, entry };
      this.stored.push(entry);
      return { stored: entry };
    });
    return this.batchAnswer(req, results);
  }

  /** Entries stored since the last call, as golden values. */
  takeStored(): unknown[] {
    const out = this.stored.slice(this.taken).map((e) => this.golden(e));
    this.taken = this.stored.length;
    return out;
  }
}

/** A service on a local server; as a conformance server (test/receivers/conformance/README.md). */
export class ServiceServer<E> {
  private constructor(
    readonly server: AwsServer,
    readonly service: BatchService<E>,
  ) {}

  static async start<E>(service: BatchService<E>): Promise<ServiceServer<E>> {
    useTestCredentials();
    const server = await startAwsServer((req) => service.handle(req));
    service.origin = server.endpoint;
    return new ServiceServer(server, service);
  }

  get endpoint(): string {
    return this.server.endpoint;
  }

  get requests(): AwsRequest[] {
    return this.server.requests;
  }

  answerWith(answer: ServiceAnswer): void {
    this.service.answer = answer;
  }

  takeReceived(): unknown[] {
    return this.service.takeStored();
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
