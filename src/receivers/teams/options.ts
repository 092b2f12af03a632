// teams — options and description: a Microsoft Teams Workflows webhook ("Post to a channel when a webhook request is
// received"), which takes a message with one Adaptive Card attachment. Office 365 connector
// webhooks (MessageCard) are retired. Exporter's options: `endpoint`, `headers` (templated),
// `layout`. Without a layout the card shows a title, facts (namespace, object, reason, count,
// cluster) and the message; a layout is the card's content (or, when it renders a whole
// `{"type":"message",...}`, the message itself). The exporter sent fixed text; users asked for cards.
// Send: ./send.ts. Classifier: the shared HTTP status classifier (../common/http-status.ts).
// Doc: docs/receivers/teams.md.
import { z } from 'zod';
import { goString } from '../../config/zod-helpers.ts';
import { headerTemplates, httpUrl, timeoutMs, tlsSchema, typeOptions } from '../common/options.ts';
import type { ReceiverSpec } from '../common/types.ts';

export const teamsSchema = typeOptions({
  // The message never repeats the value: the URL carries the workflow's signature.
  endpoint: httpUrl,
  headers: z.record(z.string(), goString).default({}),
  // Ours.
  tls: tlsSchema,
  timeoutMs: timeoutMs(10_000),
});
export type TeamsOptions = z.output<typeof teamsSchema>;

export const teamsSpec: ReceiverSpec<TeamsOptions> = {
  type: 'teams',
  schema: teamsSchema,
  // One card per request: a Workflows webhook posts one message per call.
  batchDefaults: { maxEvents: 1, maxBytes: 1_048_576, flushIntervalMs: 0 },
  limits: { maxEvents: 1 },
  templatedOptions: (opts) => headerTemplates(opts.headers),
  docs: 'docs/receivers/teams.md',
  load: () => import('./send.ts').then((m) => m.create),
};
