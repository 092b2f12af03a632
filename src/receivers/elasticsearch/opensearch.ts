// opensearch — send, the front end of the bulk receiver: @opensearch-project/opensearch behind
// the BulkTransport interface (everything else is the elasticsearch receiver's).
import { Client as OsClient } from '@opensearch-project/opensearch';
import { tlsConnectionOptions } from '../common/tls.ts';
import type { ReceiverFactory } from '../common/types.ts';
import { exchange, hostsOf } from './client.ts';
import type { BulkTransport } from './client.ts';
import type { BulkOptions, OpensearchOptions } from './options.ts';
import { BulkReceiver } from './receiver.ts';

/** Runs an OpenSearch request (a promise with `abort`) under the output's signal. */
function abortable<T>(start: () => Promise<T> & { abort(): void }, signal: AbortSignal): Promise<T> {
  const pending = start();
  const onAbort = (): void => pending.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) pending.abort();
  return pending.finally(() => signal.removeEventListener('abort', onAbort));
}

function opensearch(options: BulkOptions, secrets: readonly string[], now: () => number): BulkTransport {
  const client = new OsClient({
    nodes: hostsOf(options),
    ...(options.username !== undefined
      ? { auth: { username: options.username, password: options.password ?? '' } }
      : {}),
    ssl: tlsConnectionOptions(options.tls),
    maxRetries: 0,
    requestTimeout: options.timeoutMs,
  });
  const request = { requestTimeout: options.timeoutMs, maxRetries: 0, headers: { ...options.headers } };
  return {
    // Through the transport: the typed `bulk` wants objects, and the lines are JSON already.
    bulk: (lines, signal) =>
      exchange(
        () =>
          abortable(
            () => client.transport.request({ method: 'POST', path: '/_bulk', bulkBody: lines }, request),
            signal,
          ),
        secrets,
        now,
      ),
    putIndexTemplate: (name, body, signal) =>
      exchange(
        () =>
          abortable(
            () =>
              client.transport.request(
                { method: 'PUT', path: `/_index_template/${encodeURIComponent(name)}`, body },
                request,
              ),
            signal,
          ),
        secrets,
        now,
      ),
    close: () => client.close(),
  };
}

export const create: ReceiverFactory<OpensearchOptions> = (name, opts, ctx) =>
  new BulkReceiver(name, 'opensearch', opts, ctx, opensearch);
