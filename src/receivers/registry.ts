// Every receiver type, in one explicit list (no import side effects).
import { fileSpec } from './file.ts';
import { stdoutSpec } from './stdout.ts';
import type { ReceiverSpec } from './types.ts';
import { webhookSpec } from './webhook.ts';

export const RECEIVER_SPECS: readonly ReceiverSpec[] = [stdoutSpec, fileSpec, webhookSpec];

const byType = new Map<string, ReceiverSpec>(RECEIVER_SPECS.map((spec) => [spec.type, spec]));

export function receiverSpec(type: string): ReceiverSpec | undefined {
  return byType.get(type);
}

export const SUPPORTED_RECEIVER_TYPES: readonly string[] = RECEIVER_SPECS.map((s) => s.type);

/** Receiver types kubernetes-event-exporter has that we do not implement yet. */
export const EXPORTER_ONLY_RECEIVER_TYPES: readonly string[] = [
  'slack',
  'opsgenie',
  'elasticsearch',
  'opensearch',
  'kinesis',
  'firehose',
  'kafka',
  'loki',
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
