// elasticsearch: the local `_bulk` server (../servers/bulk-server.ts) with the real client;
// answers are whole-request HTTP answers or one item's result inside a 200 bulk answer.
import { defineEntry } from './harness.ts';
import type { ConformanceServer } from './harness.ts';
import { BulkServer, errorBody } from '../servers/bulk-server.ts';
import type { Flavour, Request, WholeAnswer } from '../servers/bulk-server.ts';

const API_KEY = 'es-conformance-apikey-5b7e';

/** A whole answer, one computed from the request, or a 200 bulk whose items fail this way. */
export type BulkAnswer =
  | { readonly whole: WholeAnswer | ((req: Request) => WholeAnswer) }
  | { readonly item: { readonly status: number; readonly type: string; readonly reason: string } }
  | 'ok';

export class BulkConformanceServer implements ConformanceServer<BulkAnswer> {
  private taken = 0;
  constructor(readonly server: BulkServer) {}

  static async start(
    flavour: Flavour,
    auth: { username?: string; password?: string; apiKey?: string },
  ): Promise<BulkConformanceServer> {
    return new BulkConformanceServer(await BulkServer.start({ flavour, auth }));
  }

  answerWith(answer: BulkAnswer): void {
    this.server.override = () => undefined;
    this.server.itemFailure = () => undefined;
    if (answer === 'ok') return;
    if ('whole' in answer) {
      const whole = answer.whole;
      this.server.override = (req) =>
        req.url.includes('/_bulk') ? (typeof whole === 'function' ? whole(req) : whole) : undefined;
    } else this.server.itemFailure = () => answer.item;
  }

  /** Each document of each bulk: its action (index, _id) and source. */
  takeReceived(): unknown[] {
    const bulks = this.server.bulks;
    const out = bulks.slice(this.taken).flatMap((req) => {
      const lines = req.body.split('\n').filter((l) => l !== '');
      const docs: unknown[] = [];
      for (let i = 0; i < lines.length; i += 2)
        docs.push({
          path: req.url,
          action: JSON.parse(lines[i] as string) as unknown,
          source: JSON.parse(lines[i + 1] as string) as unknown,
        });
      return docs;
    });
    this.taken = bulks.length;
    return out;
  }

  close(): Promise<void> {
    return this.server.close();
  }
}

const echo = (status: number) => ({
  whole: (req: Request): WholeAnswer => ({
    status,
    body: {
      error: { type: 'security_exception', reason: `denied ${req.url} ${JSON.stringify(req.headers)}` },
      status,
    },
  }),
});

/** The rows both flavours share (they speak the same `_bulk`). */
export function bulkAnswers(mappingType: string) {
  return [
    { scenario: '200, every item created', serverAnswer: 'ok' as const, expected: 'ok' as const },
    {
      scenario: '200, item 429 es_rejected_execution_exception',
      serverAnswer: {
        item: { status: 429, type: 'es_rejected_execution_exception', reason: 'rejected execution' },
      },
      expected: 'retry' as const,
      reason: 'rateLimited' as const,
    },
    {
      scenario: '200, item 503 unavailable_shards_exception',
      serverAnswer: {
        item: { status: 503, type: 'unavailable_shards_exception', reason: 'primary shard is not active' },
      },
      expected: 'retry' as const,
      reason: 'serverError' as const,
    },
    {
      scenario: `200, item 400 ${mappingType}`,
      serverAnswer: {
        item: {
          status: 400,
          type: mappingType,
          reason: 'failed to parse field [involvedObject.labels.app] of type [keyword]',
        },
      },
      expected: 'drop' as const,
      reason: 'clientError' as const,
    },
    {
      scenario: '429 with Retry-After: 5',
      serverAnswer: {
        whole: {
          status: 429,
          headers: { 'retry-after': '5' },
          body: errorBody(429, 'circuit_breaking_exception', '[parent] Data too large'),
        },
      },
      expected: 'retry' as const,
      retryAfterMs: 5000,
      reason: 'rateLimited' as const,
    },
    {
      scenario: '429 without Retry-After',
      serverAnswer: {
        whole: { status: 429, body: errorBody(429, 'es_rejected_execution_exception', 'rejected') },
      },
      expected: 'retry' as const,
      reason: 'rateLimited' as const,
    },
    {
      scenario: '500 echoing the request',
      serverAnswer: echo(500),
      expected: 'retry' as const,
      reason: 'serverError' as const,
    },
    {
      scenario: '503',
      serverAnswer: {
        whole: {
          status: 503,
          body: errorBody(
            503,
            'cluster_block_exception',
            'blocked by: [SERVICE_UNAVAILABLE/1/state not recovered]',
          ),
        },
      },
      expected: 'retry' as const,
      reason: 'serverError' as const,
    },
    {
      scenario: '400',
      serverAnswer: {
        whole: {
          status: 400,
          body: errorBody(400, 'illegal_argument_exception', 'Malformed action/metadata line [1]'),
        },
      },
      expected: 'drop' as const,
      reason: 'clientError' as const,
    },
    {
      scenario: '401 echoing the request',
      serverAnswer: echo(401),
      expected: 'drop' as const,
      reason: 'clientError' as const,
    },
    {
      scenario: '403 echoing the request',
      serverAnswer: echo(403),
      expected: 'drop' as const,
      reason: 'clientError' as const,
    },
  ];
}

export const entry = defineEntry<BulkConformanceServer, BulkAnswer>({
  type: 'elasticsearch',
  start: () => BulkConformanceServer.start('elasticsearch', { apiKey: API_KEY }),
  receiver: (s) =>
    [
      '- name: es',
      '  elasticsearch:',
      `    hosts: ["${s.server.url}"]`,
      '    apiKey: "${ES_API_KEY}"',
      '    index: kube-events',
    ].join('\n'),
  env: { ES_API_KEY: API_KEY },
  secrets: [API_KEY],
  okAnswer: 'ok',
  answers: bulkAnswers('document_parsing_exception'),
});
