// elasticsearch — send, the front end of the bulk receiver: the official client (8.x, speaks to
// Elasticsearch 8 and 9) behind the BulkTransport interface.
import { Client as EsClient } from '@elastic/elasticsearch';
import { tlsConnectionOptions } from '../common/tls.ts';
import type { ReceiverFactory } from '../common/types.ts';
import { exchange, hostsOf } from './client.ts';
import type { BulkTransport } from './client.ts';
import type { BulkOptions, ElasticsearchOptions } from './options.ts';
import { BulkReceiver } from './receiver.ts';

function elasticsearch(options: BulkOptions, secrets: readonly string[], now: () => number): BulkTransport {
  const auth = options.apiKey
    ? { apiKey: options.apiKey }
    : options.username !== undefined
      ? { username: options.username, password: options.password ?? '' }
      : undefined;
  const client = new EsClient({
    ...(options.cloudID ? { cloud: { id: options.cloudID } } : { nodes: hostsOf(options) }),
    ...(auth === undefined ? {} : { auth }),
    tls: tlsConnectionOptions(options.tls),
    maxRetries: 0,
    requestTimeout: options.timeoutMs,
  });
  // Per request: given to the constructor, the client sends each configured header twice.
  const request = {
    requestTimeout: options.timeoutMs,
    maxRetries: 0,
    meta: true,
    headers: { ...options.headers },
  } as const;
  return {
    bulk: (lines, signal) =>
      exchange(() => client.bulk<string>({ operations: lines }, { ...request, signal }), secrets, now),
    putIndexTemplate: (name, body, signal) =>
      exchange(
        () =>
          client.transport.request(
            { method: 'PUT', path: `/_index_template/${encodeURIComponent(name)}`, body },
            { ...request, signal },
          ),
        secrets,
        now,
      ),
    close: () => client.close(),
  };
}

export const create: ReceiverFactory<ElasticsearchOptions> = (name, opts, ctx) =>
  new BulkReceiver(name, 'elasticsearch', opts, ctx, elasticsearch);
