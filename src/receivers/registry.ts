// Every receiver type, in one explicit list (no import side effects).
import type { ReceiverConfig } from '../config/schema.ts';
import { bigquerySpec } from './bigquery/options.ts';
import { dingtalkSpec } from './dingtalk.ts';
import { elasticsearchSpec } from './elasticsearch/index.ts';
import { eventbridgeSpec } from './eventbridge/index.ts';
import { fileSpec } from './file.ts';
import { firehoseSpec } from './firehose.ts';
import { kafkaSpec } from './kafka/index.ts';
import { kinesisSpec } from './kinesis.ts';
import { lokiSpec } from './loki.ts';
import { opensearchSpec } from './opensearch.ts';
import { opscenterSpec } from './opscenter/index.ts';
import { opsgenieSpec } from './opsgenie.ts';
import { pubsubSpec } from './pubsub/options.ts';
import { slackSpec } from './slack/index.ts';
import { snsSpec } from './sns/index.ts';
import { sqsSpec } from './sqs/index.ts';
import { stdoutSpec } from './stdout.ts';
import { syslogSpec } from './syslog/index.ts';
import { teamsSpec } from './teams.ts';
import type { BuildContext, Receiver, ReceiverSpec } from './types.ts';
import { webhookSpec } from './webhook.ts';
import { wechatSpec } from './wechat.ts';

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
];

const byType = new Map<string, ReceiverSpec>(RECEIVER_SPECS.map((spec) => [spec.type, spec]));

export function receiverSpec(type: string): ReceiverSpec | undefined {
  return byType.get(type);
}

/** The runtime of a loaded receiver; throws ReceiverSetupError (e.g. an unreadable tls.caFile). */
export function createReceiver(config: ReceiverConfig, ctx: Omit<BuildContext, 'batch'>): Receiver {
  const spec = byType.get(config.type);
  if (spec === undefined) throw new Error(`unknown receiver type "${config.type}"`);
  return spec.create(config.name, config.options, {
    ...ctx,
    batch: config.batch,
    hasLayout: config.layout !== undefined,
  });
}

/** Whether the receiver's output renders with dots in label and annotation keys replaced (`deDot`). */
export function receiverDeDots(config: ReceiverConfig): boolean {
  return byType.get(config.type)?.deDot?.(config.options) ?? false;
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
