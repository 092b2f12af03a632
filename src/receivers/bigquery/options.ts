// bigquery — options and description (Google BigQuery, @google-cloud/bigquery): the exporter's
// options (project, dataset, table, location, credentials_path, batch_size, max_retries,
// interval_seconds, timeout_seconds) plus `endpoint` and `ignore_unknown_values`. Send:
// ./send.ts (streaming inserts). Rows: ./rows.ts. Classifier: ./classify.ts.
// Doc: docs/receivers/bigquery.md. No SDK import here: the config loader reads this file alone.
import { z } from 'zod';
import { goString } from '../../config/zod-helpers.ts';
import { typeOptions } from '../common/options.ts';
import type { ReceiverSpec } from '../common/types.ts';

/** tabledata.insertAll: Google recommends at most 500 rows per request; the hard limit is 10 MB. */
export const BIGQUERY_ROWS_PER_REQUEST = 500;

export const bigquerySchema = typeOptions({
  project: goString.pipe(z.string().min(1)),
  dataset: goString.pipe(z.string().min(1)),
  table: goString.pipe(z.string().min(1)),
  /** The exporter's dataset location; streaming inserts do not need it (kept for the client). */
  location: goString.default('US'),
  /** A Google credentials JSON file (service account key, workload identity federation); default ADC. */
  credentials_path: z.string().min(1).optional(),
  /** Rows per insertAll request (the exporter's batch size; here the output's batch is cut to it). */
  batch_size: z.int().min(1).max(50_000).default(BIGQUERY_ROWS_PER_REQUEST),
  /** Exporter options with an equivalent in the output policy (`retry`, `batch.flushIntervalMs`): accepted, no effect. */
  max_retries: z.int().min(0).optional(),
  interval_seconds: z.int().min(0).optional(),
  /** Deadline of each request. */
  timeout_seconds: z.int().min(1).default(60),
  /** `https://host[:port]` of the BigQuery API (a private endpoint, an emulator). */
  endpoint: z.string().min(1).optional(),
  /** Ours: accept rows with fields the table lacks, dropping those fields (default: refuse the row). */
  ignore_unknown_values: z.boolean().default(false),
});
export type BigqueryOptions = z.output<typeof bigquerySchema>;

export const bigquerySpec: ReceiverSpec<BigqueryOptions> = {
  type: 'bigquery',
  schema: bigquerySchema,
  // The exporter batches 1000 rows every 10 s; insertAll takes up to 10 MB per request.
  batchDefaults: { maxEvents: 1000, maxBytes: 8_000_000, flushIntervalMs: 1000 },
  limits: { maxBytes: 9_000_000 },
  docs: 'docs/receivers/bigquery.md',
  load: () => import('./send.ts').then((m) => m.create),
};
