// slack — options and description: chat.postMessage through @slack/web-api (the exporter's SlackConfig options, all
// templated), or an incoming webhook (`webhookUrl`); an optional Block Kit `blocks` layout.
// The client's own retries are off: the output's retry policy is the only one. Slack allows
// about one message per second per channel; each channel is paced here without holding the
// others (a message for a channel still inside its interval comes back as a retry with the
// wait in retryAfterMs, so the output's clock waits, not the receiver).
// Send: ./send.ts (./message.ts builds the message). Classifier: ./classify.ts.
// Doc: docs/receivers/slack.md.
import { z } from 'zod';
import { goString, nonNegativeInt, positiveInt } from '../../config/zod-helpers.ts';
import { httpUrl, typeOptions } from '../common/options.ts';
import type { ReceiverSpec } from '../common/types.ts';
import { messageTemplates } from './message.ts';

export const SLACK_API_URL = 'https://slack.com/api/';

export const slackSchema = typeOptions({
  token: z.string().min(1).optional(),
  channel: goString.optional(),
  message: goString.default('{{ .Message }}'),
  color: goString.optional(),
  title: goString.optional(),
  author_name: goString.optional(),
  footer: goString.optional(),
  fields: z.record(z.string(), goString).default({}),
  // Ours.
  apiUrl: httpUrl.default(SLACK_API_URL),
  webhookUrl: httpUrl.optional(),
  blocks: z.array(z.unknown()).min(1).optional(),
  timeoutMs: positiveInt.default(10_000),
  channelIntervalMs: nonNegativeInt.default(1000),
}).superRefine((o, ctx) => {
  if (o.token === undefined && o.webhookUrl === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['token'],
      message: 'is required (or set webhookUrl for an incoming webhook)',
    });
  }
  if (o.token !== undefined && o.webhookUrl !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['webhookUrl'],
      message: 'cannot be used with token: choose the Web API (token, channel) or an incoming webhook',
    });
  }
  if (o.token !== undefined && o.channel === undefined) {
    ctx.addIssue({ code: 'custom', path: ['channel'], message: 'is required with token' });
  }
});
export type SlackOptions = z.output<typeof slackSchema>;

export const slackSpec: ReceiverSpec<SlackOptions> = {
  type: 'slack',
  schema: slackSchema,
  // One message per request, as Slack takes them; pacing is per channel (see above).
  batchDefaults: { maxEvents: 1, maxBytes: 1_048_576, flushIntervalMs: 0 },
  limits: { maxEvents: 1 },
  templatedOptions: (opts) => messageTemplates(opts),
  docs: 'docs/receivers/slack.md',
  load: () => import('./send.ts').then((m) => m.create),
};
