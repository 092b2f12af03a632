// pubsub — options and description (Google Cloud Pub/Sub, @google-cloud/pubsub): the exporter's
// options (`gcloud_project_id`, `topic`, `create_topic`) plus `endpoint` (an emulator or a
// private endpoint) and a timeout. Send: ./send.ts. Classifier: ./classify.ts.
// Doc: docs/receivers/pubsub.md. No SDK import here: the config loader reads this file alone.
import { z } from 'zod';
import { goString } from '../../config/zod-helpers.ts';
import { typeOptions } from '../common/options.ts';
import type { ReceiverSpec } from '../common/types.ts';

/** Pub/Sub's Publish limits: 1000 messages and 10 MB per request. */
export const PUBSUB_MAX_MESSAGES = 1000;

export const pubsubSchema = typeOptions({
  gcloud_project_id: goString.pipe(z.string().min(1)),
  /** The topic id (`kube-events`) or its full name (`projects/p/topics/kube-events`). */
  topic: goString.pipe(z.string().min(1)),
  /** Create the topic when it does not exist (checked once, before the first publish). */
  create_topic: z.boolean().default(false),
  /**
   * `host:port` of the Pub/Sub API. A host outside googleapis.com is an emulator: plain text, no
   * credentials (the client library's emulator mode, as with PUBSUB_EMULATOR_HOST).
   */
  endpoint: z.string().min(1).optional(),
  timeoutMs: z.int().min(1).default(30_000),
});
export type PubsubOptions = z.output<typeof pubsubSchema>;

/** Whether `endpoint` names an emulator (any host outside googleapis.com, as the client decides). */
export function isEmulatorEndpoint(endpoint: string | undefined): boolean {
  if (endpoint === undefined) return false;
  const host = endpoint.replace(/^https?:\/\//, '').replace(/[:/].*$/, '');
  return !host.endsWith('.googleapis.com');
}

/** The topic's full resource name. */
export function topicName(opts: Pick<PubsubOptions, 'gcloud_project_id' | 'topic'>): string {
  return opts.topic.startsWith('projects/')
    ? opts.topic
    : `projects/${opts.gcloud_project_id}/topics/${opts.topic}`;
}

export const pubsubSpec: ReceiverSpec<PubsubOptions> = {
  type: 'pubsub',
  schema: pubsubSchema,
  batchDefaults: { maxEvents: PUBSUB_MAX_MESSAGES, maxBytes: 9_000_000, flushIntervalMs: 0 },
  // Request overhead (topic, attributes, framing) stays well under the 1 MB left by 9 MB of bodies.
  limits: { maxEvents: PUBSUB_MAX_MESSAGES, maxBytes: 9_000_000 },
  docs: 'docs/receivers/pubsub.md',
  load: () => import('./send.ts').then((m) => m.create),
};
