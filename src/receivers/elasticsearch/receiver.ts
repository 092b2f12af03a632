// The bulk receiver both elasticsearch and opensearch build: one `_bulk` per batch, the answer
// classified item by item; the optional index template PUT once before the first bulk.
import type { Logger } from 'pino';
import type { Clock } from '../../util/clock.ts';
import { urlSecrets } from '../common/secrets.ts';
import type { BuildContext, Payload, Receiver, SendResult } from '../common/types.ts';
import { bulkLines, classifyBulkBody } from './bulk.ts';
import type { BulkResponseBody, BulkShape, IdSource, ItemContext } from './bulk.ts';
import type { Answer, BulkTransport, Failure, TransportFactory } from './client.ts';
import { IndexNamer } from './index-name.ts';
import { defaultIndexPatterns, indexTemplateBody } from './index-template.ts';
import type { Flavour } from './index-template.ts';
import type { BulkOptions } from './options.ts';

export function idSourceOf(options: Pick<BulkOptions, 'documentId' | 'useEventID'>): IdSource {
  if (options.documentId !== undefined) return options.documentId === '' ? 'none' : 'template';
  return options.useEventID ? 'eventUid' : 'occurrence';
}

/** Every configured value that must never reach an error, a log line or a dead letter. */
export function secretsOf(options: BulkOptions): string[] {
  const out = [...options.hosts.flatMap(urlSecrets), ...Object.values(options.headers)];
  for (const value of [options.password, options.apiKey, options.cloudID]) if (value) out.push(value);
  return out;
}

const PRODUCT: Record<Flavour, string> = { elasticsearch: 'Elasticsearch', opensearch: 'OpenSearch' };

export class BulkReceiver implements Receiver {
  private readonly transport: BulkTransport;
  private readonly shape: BulkShape;
  private readonly items: ItemContext;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly lifetime = new AbortController();
  private templatePending: boolean;
  private installing: Promise<SendResult | undefined> | undefined;
  private refusedLogged = false;

  constructor(
    readonly name: string,
    private readonly flavour: Flavour,
    private readonly options: BulkOptions,
    ctx: BuildContext,
    transport: TransportFactory,
  ) {
    this.clock = ctx.clock;
    this.logger = ctx.logger;
    const secrets = secretsOf(options);
    this.transport = transport(options, secrets, () => this.clock.now());
    this.shape = {
      namer: new IndexNamer(options.index ?? '', options.indexFormat),
      opType: options.opType,
      indexTimeSource: options.indexTimeSource,
      idSource: idSourceOf(options),
      type: options.type,
    };
    this.items = { opType: options.opType, deDot: options.deDot, secrets };
    this.templatePending = options.indexTemplate.install;
    // At start, so dashboards have their mappings before the first event is indexed.
    if (this.templatePending) this.installing = this.installTemplate(this.lifetime.signal);
  }

  async send(batch: readonly Payload[], signal: AbortSignal): Promise<SendResult> {
    if (batch.length === 0) return { kind: 'ok' };
    const blocked = await this.ensureTemplate(signal);
    if (blocked !== undefined) return blocked;
    const answer = await this.transport.bulk(bulkLines(batch, this.shape, this.clock.now()), signal);
    if (answer.kind === 'failed') return this.refused(answer, 'bulk');
    return classifyBulkBody(answer.body as BulkResponseBody | undefined, batch.length, this.items);
  }

  async close(): Promise<void> {
    this.lifetime.abort(new Error('receiver closed'));
    await this.transport.close();
  }

  /** Undefined when bulks may go; a retry while the template could not be installed yet. */
  private async ensureTemplate(signal: AbortSignal): Promise<SendResult | undefined> {
    if (!this.templatePending) return undefined;
    this.installing ??= this.installTemplate(signal);
    const result = await this.installing;
    this.installing = undefined;
    return result;
  }

  private async installTemplate(signal: AbortSignal): Promise<SendResult | undefined> {
    const { name, priority } = this.options.indexTemplate;
    const indexPatterns =
      this.options.indexTemplate.indexPatterns ??
      defaultIndexPatterns(this.options.index, this.options.indexFormat);
    const body = indexTemplateBody({
      indexPatterns,
      priority,
      opType: this.options.opType,
      flavour: this.flavour,
    });
    const answer: Answer | Failure = await this.transport.putIndexTemplate(name, body, signal);
    if (answer.kind === 'answer') {
      this.templatePending = false;
      this.logger.info({ template: name, indexPatterns }, 'Index template installed.');
      return undefined;
    }
    if (answer.result.kind === 'retry') {
      this.logger.warn(
        { template: name, error: answer.result.error.message },
        'Cannot install the index template yet; events wait and it is tried again.',
      );
      return answer.result;
    }
    // Refused for good (no privilege, old server): events are worth more than the mappings.
    this.templatePending = false;
    const error = answer.result.kind === 'drop' ? answer.result.error.message : 'refused';
    this.logger.error(
      { template: name, error },
      'The index template was refused; indexing without it (dynamic mappings).',
    );
    return undefined;
  }

  /** A whole request refused: 401/403 and other permanent answers are logged loudly, once. */
  private refused(failure: Failure, what: string): SendResult {
    if (failure.result.kind === 'drop' && !this.refusedLogged) {
      this.refusedLogged = true;
      const auth = failure.status === 401 || failure.status === 403;
      this.logger.error(
        { status: failure.status, error: failure.result.error.message, request: what },
        auth
          ? `${PRODUCT[this.flavour]} refused the credentials; every batch goes to the dead-letter file until they are fixed.`
          : `${PRODUCT[this.flavour]} refused the request; those events go to the dead-letter file (logged once).`,
      );
    }
    return failure.result;
  }
}
