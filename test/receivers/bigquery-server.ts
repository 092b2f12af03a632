// A BigQuery API server on 127.0.0.1 for the bigquery receiver's tests, answering as Google
// documents:
// - `POST /bigquery/v2/projects/{p}/datasets/{d}/tables/{t}/insertAll` (tabledata.insertAll):
//   the Bearer token must be one this server issued (else 401 with Google's error body), the table
//   must exist (else 404 notFound); rows are stored once per insertId (BigQuery's best-effort
//   de-duplication); a row refused by `rowError` makes the answer a 200 with `insertErrors`:
//   `invalid` for it and `stopped` for every other row, nothing stored (skipInvalidRows false).
// - `POST /v1/token`: the Security Token Service exchange that a workload identity federation
//   credentials file (type external_account, a file-sourced Kubernetes token) makes before any
//   API call, so the real google-auth-library authenticates without leaving this machine.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface InsertRow {
  readonly insertId: string;
  readonly json: Record<string, unknown>;
}

export interface InsertRequest {
  readonly table: string;
  readonly authorization: string;
  readonly rows: InsertRow[];
  readonly skipInvalidRows: boolean;
  readonly ignoreUnknownValues: boolean;
  /** Every header, as a proxy could echo them. */
  readonly headers: IncomingMessage['headers'];
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
}

export interface RowRefusal {
  readonly reason: string;
  readonly message: string;
}

/** Google's JSON error body. */
export function googleError(status: number, reason: string, message: string, grpcStatus: string): HttpAnswer {
  return {
    status,
    body: {
      error: { code: status, message, errors: [{ message, domain: 'global', reason }], status: grpcStatus },
    },
  };
}

/** The subject token a Kubernetes projected service account token file would hold. */
export const SUBJECT_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.k8s-projected-sa-token.c2lnbmF0dXJl';

export class BigqueryServer {
  readonly tables = new Set<string>();
  /** Stored rows by insertId (a repeated insertId is not stored again). */
  readonly stored = new Map<string, Record<string, unknown>>();
  /** Every insertAll request, whatever its answer. */
  readonly inserts: InsertRequest[] = [];
  readonly issuedTokens: string[] = [];
  /** Whole-request answer for an insertAll (undefined: the API's own behaviour). */
  handler: (req: InsertRequest, index: number) => HttpAnswer | undefined = () => undefined;
  /** Per-row refusal (undefined: the row is valid). */
  rowError: (row: InsertRow) => RowRefusal | undefined = () => undefined;
  /** The access token the next exchange issues. */
  issueToken: () => string = () => `ya29.d.federated-${this.issuedTokens.length + 1}-c2VjcmV0`;
  /** When set, the token exchange answers this instead of a token. */
  tokenAnswer: HttpAnswer | undefined;

  private constructor(private readonly server: Server) {}

  static async start(tables: readonly string[] = []): Promise<BigqueryServer> {
    const server = createServer();
    const self = new BigqueryServer(server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => self.answer(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    for (const table of tables) self.tables.add(table);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Writes a workload identity federation credentials file (and its token file) into `dir`. */
  credentialsFile(dir: string): string {
    mkdirSync(dir, { recursive: true });
    const tokenFile = join(dir, 'k8s-token');
    writeFileSync(tokenFile, SUBJECT_TOKEN);
    const path = join(dir, 'credentials.json');
    writeFileSync(
      path,
      JSON.stringify({
        type: 'external_account',
        audience:
          '//iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/k8s/providers/cluster',
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        token_url: `${this.origin}/v1/token`,
        credential_source: { file: tokenFile },
      }),
    );
    return path;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private answer(req: IncomingMessage, body: string, res: ServerResponse): void {
    const send = (a: HttpAnswer) => {
      res.writeHead(a.status, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify(a.body));
    };
    const url = (req.url ?? '').replace(/\?.*$/, '');
    if (req.method === 'POST' && url === '/v1/token') return send(this.exchange(body));
    const m = /^\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)\/insertAll$/.exec(url);
    if (req.method !== 'POST' || m === null)
      return send(googleError(404, 'notFound', `Not found: ${url}`, 'NOT_FOUND'));
    const parsed = JSON.parse(body) as {
      rows?: InsertRow[];
      skipInvalidRows?: boolean;
      ignoreUnknownValues?: boolean;
    };
    const insert: InsertRequest = {
      table: `${m[1]}.${m[2]}.${m[3]}`,
      authorization: req.headers.authorization ?? '',
      rows: parsed.rows ?? [],
      skipInvalidRows: parsed.skipInvalidRows === true,
      ignoreUnknownValues: parsed.ignoreUnknownValues === true,
      headers: req.headers,
    };
    this.inserts.push(insert);
    send(this.insertAll(insert));
  }

  private exchange(form: string): HttpAnswer {
    if (this.tokenAnswer !== undefined) return this.tokenAnswer;
    const params = new URLSearchParams(form);
    if (params.get('subject_token') !== SUBJECT_TOKEN) {
      return {
        status: 400,
        body: { error: 'invalid_grant', error_description: 'The subject token is invalid.' },
      };
    }
    const token = this.issueToken();
    this.issuedTokens.push(token);
    return {
      status: 200,
      body: {
        access_token: token,
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        token_type: 'Bearer',
        expires_in: 3600,
      },
    };
  }

  private insertAll(req: InsertRequest): HttpAnswer {
    const scripted = this.handler(req, this.inserts.length - 1);
    if (scripted !== undefined) return scripted;
    const token = /^Bearer (.+)$/.exec(req.authorization)?.[1];
    if (token === undefined || !this.issuedTokens.includes(token)) {
      return googleError(
        401,
        'authError',
        'Request had invalid authentication credentials. Expected OAuth 2 access token.',
        'UNAUTHENTICATED',
      );
    }
    if (!this.tables.has(req.table)) {
      return googleError(404, 'notFound', `Not found: Table ${req.table.replace('.', ':')}`, 'NOT_FOUND');
    }
    const refusals = req.rows.map((row) => this.rowError(row));
    if (refusals.some((r) => r !== undefined) && !req.skipInvalidRows) {
      const insertErrors = refusals.map((r, index) => ({
        index,
        errors: [
          r === undefined
            ? { reason: 'stopped', location: '', debugInfo: '', message: '' }
            : { reason: r.reason, location: '', debugInfo: '', message: r.message },
        ],
      }));
      return { status: 200, body: { kind: 'bigquery#tableDataInsertAllResponse', insertErrors } };
    }
    for (const row of req.rows) if (!this.stored.has(row.insertId)) this.stored.set(row.insertId, row.json);
    return { status: 200, body: { kind: 'bigquery#tableDataInsertAllResponse' } };
  }
}
