// A local Elasticsearch / OpenSearch on 127.0.0.1 speaking the documented protocol, for the real
// clients: `GET /` (Elasticsearch answers every request with `x-elastic-product: Elasticsearch`,
// which @elastic/elasticsearch 8 checks; OpenSearch's body names its distribution, which
// @opensearch-project/opensearch checks), `POST /_bulk` and `/<index>/_bulk` (NDJSON in, per-item
// results out), `PUT /_index_template/<name>`, basic / ApiKey auth, and scripted failures:
// whole requests (503, 429 + Retry-After, 401...) and single items (429, mapping errors).
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BulkStore } from './bulk-store.ts';
import type { ItemError } from './bulk-store.ts';

export type Flavour = 'elasticsearch' | 'opensearch';

export interface Request {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface WholeAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

/** One operation of a bulk, as the item script sees it. */
export interface BulkOp {
  readonly action: 'index' | 'create';
  readonly index: string;
  readonly id: string;
  readonly source: Record<string, unknown>;
  /** How many times this `_id` was seen in bulks so far, this one included (1 = first). */
  readonly seen: number;
}

export interface BulkServerOptions {
  readonly flavour?: Flavour;
  readonly version?: string;
  /** Credentials required on every request; unset = security off. */
  readonly auth?: { readonly username?: string; readonly password?: string; readonly apiKey?: string };
  /** Benchmarks: answer every item `created` from the line count alone (no parsing, no store). */
  readonly acceptAll?: boolean;
}

const VERSIONS: Record<Flavour, string> = { elasticsearch: '8.19.0', opensearch: '2.19.0' };

export function errorBody(status: number, type: string, reason: string): unknown {
  return { error: { root_cause: [{ type, reason }], type, reason }, status };
}

function acceptedAll(n: number): unknown {
  const item = { index: { _index: 'bench', _id: 'x', _version: 1, result: 'created', status: 201 } };
  return { errors: false, took: 1, items: Array.from({ length: n }, () => item) };
}

export class BulkServer {
  readonly store = new BulkStore();
  readonly requests: Request[] = [];
  /** Answers the next whole requests (by method + path) instead of the store; first in, first used. */
  readonly scripted: { match: (req: Request) => boolean; answer: WholeAnswer }[] = [];
  /** Answers every request it returns an answer for (after auth), before the script and the store. */
  override: (req: Request) => WholeAnswer | undefined = () => undefined;
  /** Fails single items; undefined lets the store decide. */
  itemFailure: (op: BulkOp) => ItemError | undefined = () => undefined;
  url = '';
  private readonly seen = new Map<string, number>();
  private readonly server: Server;
  readonly flavour: Flavour;
  private readonly version: string;

  constructor(private readonly options: BulkServerOptions = {}) {
    this.flavour = options.flavour ?? 'elasticsearch';
    this.version = options.version ?? VERSIONS[this.flavour];
    this.server = createServer((req, res) => this.onRequest(req, res));
  }

  static async start(options: BulkServerOptions = {}): Promise<BulkServer> {
    const s = new BulkServer(options);
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
    s.url = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    return s;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  /** Requests to `_bulk`, in order. */
  get bulks(): Request[] {
    return this.requests.filter((r) => r.method === 'POST' && /\/_bulk(\?|$)/.test(r.url));
  }

  /** Answers the next request matching `path` (a substring of the URL) with `answer`. */
  scriptNext(path: string, answer: WholeAnswer, times = 1): void {
    for (let i = 0; i < times; i++) this.scripted.push({ match: (r) => r.url.includes(path), answer });
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: Request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      this.requests.push(request);
      const answer = this.answer(request);
      const headers: Record<string, string> = {
        'content-type': 'application/json; charset=UTF-8',
        ...(answer.headers ?? {}),
      };
      if (this.flavour === 'elasticsearch') headers['x-elastic-product'] = 'Elasticsearch';
      res.writeHead(answer.status, headers);
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  }

  private answer(req: Request): WholeAnswer {
    const auth = this.checkAuth(req);
    if (auth !== undefined) return auth;
    const overridden = this.override(req);
    if (overridden !== undefined) return overridden;
    const i = this.scripted.findIndex((s) => s.match(req));
    if (i >= 0) return (this.scripted.splice(i, 1)[0] as { answer: WholeAnswer }).answer;
    const path = req.url.split('?')[0] ?? '';
    if (req.method === 'GET' && path === '/') return { status: 200, body: this.rootBody() };
    if (req.method === 'HEAD' && path === '/') return { status: 200 };
    const template = /^\/_index_template\/([^/]+)$/.exec(path);
    if (req.method === 'PUT' && template !== null)
      return this.putTemplate(decodeURIComponent(template[1] as string), req.body);
    const bulk = /^(?:\/([^/_][^/]*))?\/_bulk$/.exec(path);
    if ((req.method === 'POST' || req.method === 'PUT') && bulk !== null)
      return this.bulk(req, bulk[1] === undefined ? undefined : decodeURIComponent(bulk[1]));
    return {
      status: 404,
      body: errorBody(
        404,
        'resource_not_found_exception',
        `no handler found for uri [${path}] and method [${req.method}]`,
      ),
    };
  }

  private checkAuth(req: Request): WholeAnswer | undefined {
    const want = this.options.auth;
    if (want === undefined) return undefined;
    const given = req.headers.authorization ?? '';
    const basic = `Basic ${Buffer.from(`${want.username ?? ''}:${want.password ?? ''}`).toString('base64')}`;
    if (
      (want.apiKey !== undefined && given === `ApiKey ${want.apiKey}`) ||
      (want.username !== undefined && given === basic)
    )
      return undefined;
    const reason =
      given === ''
        ? `missing authentication credentials for REST request [${req.url}]`
        : `unable to authenticate user for REST request [${req.url}]`;
    return {
      status: 401,
      headers: { 'www-authenticate': 'Basic realm="security" charset="UTF-8"' },
      body: errorBody(401, 'security_exception', reason),
    };
  }

  private rootBody(): unknown {
    const version =
      this.flavour === 'elasticsearch'
        ? {
            number: this.version,
            build_flavor: 'default',
            build_type: 'docker',
            lucene_version: '9.12.0',
            minimum_wire_compatibility_version: '7.17.0',
            minimum_index_compatibility_version: '7.0.0',
          }
        : {
            distribution: 'opensearch',
            number: this.version,
            build_type: 'tar',
            lucene_version: '9.12.1',
            minimum_wire_compatibility_version: '7.10.0',
            minimum_index_compatibility_version: '7.0.0',
          };
    const tagline =
      this.flavour === 'elasticsearch'
        ? 'You Know, for Search'
        : 'The OpenSearch Project: https://opensearch.org/';
    return {
      name: 'local-node',
      cluster_name: 'local',
      cluster_uuid: 'c0ffee00c0ffee00c0ffee',
      version,
      tagline,
    };
  }

  private putTemplate(name: string, text: string): WholeAnswer {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { status: 400, body: errorBody(400, 'parse_exception', 'request body is required') };
    }
    if (
      typeof body !== 'object' ||
      body === null ||
      !Array.isArray((body as Record<string, unknown>)['index_patterns'])
    ) {
      return {
        status: 400,
        body: errorBody(
          400,
          'action_request_validation_exception',
          'Validation Failed: 1: index patterns are missing;',
        ),
      };
    }
    this.store.templates.set(name, { name, body: body as Record<string, unknown> });
    return { status: 200, body: { acknowledged: true } };
  }

  private bulk(req: Request, pathIndex: string | undefined): WholeAnswer {
    const contentType = String(req.headers['content-type'] ?? '');
    if (!/application\/(x-ndjson|json|vnd\.elasticsearch\+x-ndjson)/.test(contentType)) {
      return {
        status: 406,
        body: { error: `Content-Type header [${contentType}] is not supported`, status: 406 },
      };
    }
    if (!req.body.endsWith('\n')) {
      return {
        status: 400,
        body: errorBody(
          400,
          'illegal_argument_exception',
          'The bulk request must be terminated by a newline [\\n]',
        ),
      };
    }
    const lines = req.body.split('\n').slice(0, -1);
    if (this.options.acceptAll === true) return { status: 200, body: acceptedAll(lines.length / 2) };
    const items: unknown[] = [];
    let errors = false;
    for (let i = 0; i < lines.length; i += 2) {
      const parsed = this.operation(lines[i] as string, lines[i + 1], pathIndex, i + 1);
      if ('whole' in parsed) return parsed.whole;
      const item = this.apply(parsed.op);
      errors ||= (item['status'] as number) >= 300;
      items.push({ [parsed.op.action]: item });
    }
    return { status: 200, body: { errors, took: 3, items } };
  }

  private operation(
    actionLine: string,
    sourceLine: string | undefined,
    pathIndex: string | undefined,
    line: number,
  ): { op: BulkOp } | { whole: WholeAnswer } {
    const bad = (reason: string): { whole: WholeAnswer } => ({
      whole: { status: 400, body: errorBody(400, 'illegal_argument_exception', reason) },
    });
    let action: Record<string, Record<string, unknown>>;
    let source: Record<string, unknown>;
    try {
      action = JSON.parse(actionLine) as Record<string, Record<string, unknown>>;
      source = JSON.parse(sourceLine ?? '') as Record<string, unknown>;
    } catch {
      return {
        whole: {
          status: 400,
          body: errorBody(400, 'x_content_parse_exception', `[${line}:1] Unexpected character in bulk line`),
        },
      };
    }
    const name = Object.keys(action)[0];
    if (name !== 'index' && name !== 'create')
      return bad(
        `Malformed action/metadata line [${line}], expected one of [create, delete, index, update] but found [${String(name)}]`,
      );
    const meta = action[name] ?? {};
    const major = Number(this.version.split('.')[0]);
    if (meta['_type'] !== undefined && (this.flavour === 'opensearch' || major >= 8))
      return bad(`Action/metadata line [${line}] contains an unknown parameter [_type]`);
    const index = typeof meta['_index'] === 'string' ? meta['_index'] : pathIndex;
    if (index === undefined)
      return {
        whole: {
          status: 400,
          body: errorBody(
            400,
            'action_request_validation_exception',
            'Validation Failed: 1: index is missing;',
          ),
        },
      };
    const id = typeof meta['_id'] === 'string' ? meta['_id'] : randomUUID().replaceAll('-', '').slice(0, 20);
    const seen = (this.seen.get(`${index}/${id}`) ?? 0) + 1;
    this.seen.set(`${index}/${id}`, seen);
    return { op: { action: name, index, id, source, seen } };
  }

  private apply(op: BulkOp): Record<string, unknown> {
    const scripted = this.itemFailure(op);
    const result =
      scripted !== undefined
        ? { status: scripted.status, error: scripted }
        : this.store.write(op.action, op.index, op.id, op.source);
    if (result.error !== undefined) {
      const type =
        this.flavour === 'opensearch' && result.error.type === 'document_parsing_exception'
          ? 'mapper_parsing_exception'
          : result.error.type;
      return {
        _index: op.index,
        _id: op.id,
        status: result.status,
        error: { type, reason: result.error.reason, index: op.index },
      };
    }
    const written = result as { status: number; result: string; version: number };
    return {
      _index: op.index,
      _id: op.id,
      _version: written.version,
      result: written.result,
      _shards: { total: 2, successful: 1, failed: 0 },
      _seq_no: 0,
      _primary_term: 1,
      status: written.status,
    };
  }
}
