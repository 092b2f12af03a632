// Every receiver type, in one explicit list of descriptions (each from the receiver's options
// file, which imports no SDK). The config loader, `check` and `render` read only these; a
// receiver's implementation and its SDK are imported when a running config builds it.
import type { ReceiverConfig } from '../config/schema.ts';
import { bigquerySpec } from './bigquery/options.ts';
import { firehoseSpec, kinesisSpec } from './aws-records/options.ts';
import { dingtalkSpec, wechatSpec } from './chat-robot/options.ts';
import type { BuildContext, Receiver, ReceiverFactory, ReceiverSpec } from './common/types.ts';
import { elasticsearchSpec, opensearchSpec } from './elasticsearch/options.ts';
import { eventbridgeSpec } from './eventbridge/options.ts';
import { fileSpec } from './file/options.ts';
import { kafkaSpec } from './kafka/options.ts';
import { lokiSpec } from './loki/options.ts';
import { opscenterSpec } from './opscenter/options.ts';
import { opsgenieSpec } from './opsgenie/options.ts';
import { pipeSpec } from './pipe/options.ts';
import { pubsubSpec } from './pubsub/options.ts';
import { slackSpec } from './slack/options.ts';
import { snsSpec } from './sns/options.ts';
import { sqsSpec } from './sqs/options.ts';
import { stdoutSpec } from './stdout/options.ts';
import { syslogSpec } from './syslog/options.ts';
import { teamsSpec } from './teams/options.ts';
import { webhookSpec } from './webhook/options.ts';

export const RECEIVER_SPECS: readonly ReceiverSpec[] = [
  stdoutSpec,
  fileSpec,
  webhookSpec,
  syslogSpec,
  kinesisSpec,
  firehoseSpec,
  opsgenieSpec,
  dingtalkSpec,
  wechatSpec,
  slackSpec,
  lokiSpec,
  elasticsearchSpec,
  opensearchSpec,
  teamsSpec,
  kafkaSpec,
  eventbridgeSpec,
  sqsSpec,
  pubsubSpec,
  snsSpec,
  opscenterSpec,
  bigquerySpec,
  pipeSpec,
];

const byType = new Map<string, ReceiverSpec>(RECEIVER_SPECS.map((spec) => [spec.type, spec]));

export function receiverSpec(type: string): ReceiverSpec | undefined {
  return byType.get(type);
}

const loaded = new Map<string, ReceiverFactory>();

/**
 * Imports the implementations (and SDKs) of the given receiver types, once each: `run` loads
 * the types its config uses, `check` and `render` none.
 */
export async function loadReceivers(types: Iterable<string>): Promise<void> {
  const pending = [...new Set(types)].filter((type) => !loaded.has(type));
  await Promise.all(
    pending.map(async (type) => {
      const spec = byType.get(type);
      if (spec === undefined) throw new Error(`unknown receiver type "${type}"`);
      loaded.set(type, await spec.load());
    }),
  );
}

/**
 * The runtime of a receiver whose type loadReceivers has loaded. Throws ReceiverSetupError when
 * the machine lacks what the options name (e.g. an unreadable tls.caFile).
 */
export function createReceiver(config: ReceiverConfig, ctx: Omit<BuildContext, 'batch'>): Receiver {
  const create = loaded.get(config.type);
  if (create === undefined)
    throw new Error(`receiver type "${config.type}" is not loaded (loadReceivers first)`);
  return create(config.name, config.options, {
    ...ctx,
    batch: config.batch,
    hasLayout: config.layout !== undefined,
  });
}

export const SUPPORTED_RECEIVER_TYPES: readonly string[] = RECEIVER_SPECS.map((s) => s.type);

/** Receiver types kubernetes-event-exporter has that we do not implement yet. */
export const EXPORTER_ONLY_RECEIVER_TYPES: readonly string[] = [
  'slack',
  'kafka',
  'teams',
  'syslog',
  'sns',
  'sqs',
  'pubsub',
  'bigquery',
  'eventbridge',
  'opscenter',
  'pipe',
  'inMemory',
].filter((type) => !byType.has(type));
