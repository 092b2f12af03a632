// bigquery — send: streaming inserts (tabledata.insertAll) of the rows the exporter writes (see
// rows.ts), each with the occurrence id as `insertId`, so a retried row is not stored twice
// (BigQuery drops a repeated insertId it has seen within a minute or so). The client library is
// imported on the first send; its own retries are off (the output retries). Per-row
// `insertErrors`: a row refused for good is dead-lettered, a row that failed transiently is
// retried alone, and rows `stopped` only because another row was invalid are sent again at once.
import type { Logger } from 'pino';
import { redactGoogleCredentials } from '../google/redact.ts';
import { SendOutcome } from '../common/outcome.ts';
import type { BuildContext, Payload, Receiver, SendResult, ReceiverFactory } from '../common/types.ts';
import { SendError } from '../common/types.ts';
import { classifyRequest, classifyRowErrors } from './classify.ts';
import type { BigqueryOptions } from './options.ts';
import { bigqueryRow } from './rows.ts';

interface RawRow {
  readonly insertId: string;
  readonly json: Record<string, unknown>;
}

interface InsertOptions {
  readonly raw: true;
  readonly partialRetries: 0;
  readonly skipInvalidRows: false;
  readonly ignoreUnknownValues: boolean;
}

/** What the receiver uses of the library's Table. */
export interface TableLike {
  insert(rows: RawRow[], options: InsertOptions): Promise<unknown>;
}

interface FailureLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly status?: unknown;
  readonly message?: unknown;
  readonly errors?: unknown;
  readonly response?: { readonly status?: unknown };
  readonly config?: unknown;
}

interface RowFailure {
  readonly row?: RawRow;
  readonly errors?: readonly { reason?: string; message?: string }[];
}

async function libraryTable(opts: BigqueryOptions): Promise<TableLike> {
  const { BigQuery } = await import('@google-cloud/bigquery');
  const client = new BigQuery({
    projectId: opts.project,
    location: opts.location,
    retryOptions: { autoRetry: false, maxRetries: 0 },
    ...(opts.credentials_path === undefined ? {} : { keyFilename: opts.credentials_path }),
    ...(opts.endpoint === undefined ? {} : { apiEndpoint: opts.endpoint }),
  });
  // The request timeout is the common Service's option, which BigQuery's typings do not list.
  (client as unknown as { timeout: number }).timeout = opts.timeout_seconds * 1000;
  return client.dataset(opts.dataset).table(opts.table) as unknown as TableLike;
}

/** The HTTP status of a failed request (API or token exchange), undefined for network errors. */
function statusOf(err: FailureLike): number | undefined {
  for (const value of [err.code, err.status, err.response?.status]) {
    if (typeof value === 'number' && value >= 100) return value;
  }
  return undefined;
}

function firstReason(err: FailureLike): string | undefined {
  const errors = Array.isArray(err.errors) ? (err.errors as { reason?: unknown }[]) : [];
  const reason = errors[0]?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/** The error's message; for an API error, its errors' messages (the library's text is a multi-line list). */
function describe(err: FailureLike): string {
  const errors = Array.isArray(err.errors) ? (err.errors as { message?: unknown }[]) : [];
  const messages = [
    ...new Set(errors.map((e) => e.message).filter((m): m is string => typeof m === 'string')),
  ];
  return (messages.length > 0 ? messages.join('; ') : String(err.message ?? err)).replace(/\s+/g, ' ').trim();
}

class BigqueryReceiver implements Receiver {
  private readonly insertOptions: InsertOptions;
  private readonly logger: Logger;
  private table: Promise<TableLike> | undefined;

  constructor(
    readonly name: string,
    private readonly opts: BigqueryOptions,
    ctx: BuildContext,
  ) {
    this.insertOptions = {
      raw: true,
      partialRetries: 0,
      skipInvalidRows: false,
      ignoreUnknownValues: opts.ignore_unknown_values,
    };
    this.logger = ctx.logger;
  }

  private error(text: string): SendError {
    return new SendError(redactGoogleCredentials(`bigquery: ${text}`));
  }

  /** A whole request failed: its rows share the answer (a 400 over several rows is split first). */
  private async requestFailed(
    table: TableLike,
    rows: readonly RawRow[],
    indexes: readonly number[],
    err: FailureLike,
    outcome: SendOutcome,
  ): Promise<void> {
    const status = statusOf(err);
    const message = describe(err);
    if (status === undefined) {
      outcome.request(indexes, { kind: 'retry', reason: 'network', error: this.error(message) });
      return;
    }
    // The token request (google-auth-library's gaxios, whose errors carry their request `config`)
    // failed: a credentials problem, not the rows'.
    const auth = err.config !== undefined;
    const reason = firstReason(err);
    const action = auth && status < 500 ? classifyRequest(401, undefined) : classifyRequest(status, reason);
    const error = this.error(
      `${auth ? 'credentials: ' : ''}HTTP ${status}${reason ? ` ${reason}` : ''}: ${message}${action.kind === 'drop' ? action.hint : ''}`,
    );
    if (action.kind === 'retry') {
      outcome.request(indexes, { kind: 'retry', reason: action.reason, error });
    } else if (action.perRow && indexes.length > 1) {
      const half = Math.ceil(indexes.length / 2);
      await this.insert(table, rows.slice(0, half), indexes.slice(0, half), outcome, true);
      await this.insert(table, rows.slice(half), indexes.slice(half), outcome, true);
    } else {
      outcome.request(indexes, { kind: 'drop', reason: 'clientError', error });
    }
  }

  /** insertErrors of a 200 answer: each row's own fate; `stopped` rows go again once, now. */
  private async rowsFailed(
    table: TableLike,
    rows: readonly RawRow[],
    indexes: readonly number[],
    failures: readonly RowFailure[],
    outcome: SendOutcome,
    resend: boolean,
  ): Promise<void> {
    const again: number[] = [];
    for (const failure of failures) {
      const at = failure.row === undefined ? -1 : rows.indexOf(failure.row);
      const index = indexes[at];
      if (index === undefined) continue;
      const errors = failure.errors ?? [];
      const action = classifyRowErrors(errors.map((e) => e.reason ?? ''));
      const detail = errors.map((e) => `${e.reason ?? '?'}: ${e.message ?? ''}`).join('; ');
      if (action.kind === 'drop') outcome.drop(index, 'clientError', this.error(`row refused: ${detail}`));
      else if (action.kind === 'retry') outcome.retry([index], action.reason, errors[0]?.reason);
      else if (resend) again.push(at);
      else outcome.retry([index], 'serverError', 'stopped');
    }
    if (again.length > 0) {
      await this.insert(
        table,
        again.map((at) => rows[at] as RawRow),
        again.map((at) => indexes[at] as number),
        outcome,
        false,
      );
    }
  }

  private async insert(
    table: TableLike,
    rows: readonly RawRow[],
    indexes: readonly number[],
    outcome: SendOutcome,
    resend: boolean,
  ): Promise<void> {
    try {
      await table.insert([...rows], this.insertOptions);
    } catch (caught) {
      const err = (
        typeof caught === 'object' && caught !== null ? caught : { message: caught }
      ) as FailureLike;
      if (err.name === 'PartialFailureError' && Array.isArray(err.errors)) {
        await this.rowsFailed(table, rows, indexes, err.errors as RowFailure[], outcome, resend);
      } else {
        await this.requestFailed(table, rows, indexes, err, outcome);
      }
    }
  }

  async send(batch: readonly Payload[]): Promise<SendResult> {
    const outcome = new SendOutcome(batch.length);
    const rows: RawRow[] = [];
    const indexes: number[] = [];
    batch.forEach((payload, index) => {
      const json = bigqueryRow(payload.body);
      if (json === undefined) {
        outcome.drop(
          index,
          'clientError',
          this.error('the rendered layout is not a JSON object (a row needs one)'),
        );
      } else {
        rows.push({ insertId: payload.id, json });
        indexes.push(index);
      }
    });
    let table: TableLike;
    try {
      table = await (this.table ??= libraryTable(this.opts));
    } catch (err) {
      this.table = undefined;
      return { kind: 'retry', reason: 'internal', error: this.error(String(err)) };
    }
    for (let start = 0; start < rows.length; start += this.opts.batch_size) {
      const end = start + this.opts.batch_size;
      await this.insert(table, rows.slice(start, end), indexes.slice(start, end), outcome, true);
    }
    const result = outcome.result();
    if (result.kind !== 'ok') this.logger.debug({ result: result.kind }, 'BigQuery insert incomplete.');
    return result;
  }

  close(): Promise<void> {
    this.table = undefined;
    return Promise.resolve();
  }
}

export const create: ReceiverFactory<BigqueryOptions> = (name, opts, ctx) =>
  new BigqueryReceiver(name, opts, ctx);
