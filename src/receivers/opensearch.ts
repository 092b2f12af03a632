// opensearch: the exporter's OpenSearchConfig over @opensearch-project/opensearch; everything
// but the client and the template's `flat_object` is the elasticsearch receiver's.
import { BULK_BATCH_DEFAULTS, bulkTemplatedOptions } from './elasticsearch/index.ts';
import { opensearchSchema } from './elasticsearch/options.ts';
import type { OpensearchOptions } from './elasticsearch/options.ts';
import { BulkReceiver } from './elasticsearch/receiver.ts';
import type { ReceiverSpec } from './types.ts';

export const opensearchSpec: ReceiverSpec<OpensearchOptions> = {
  type: 'opensearch',
  schema: opensearchSchema,
  batchDefaults: BULK_BATCH_DEFAULTS,
  templatedOptions: bulkTemplatedOptions,
  deDot: (opts) => opts.deDot,
  create: (name, opts, ctx) => new BulkReceiver(name, 'opensearch', opts, ctx),
};
