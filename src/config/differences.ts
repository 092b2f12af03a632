// What this router does differently from kubernetes-event-exporter, on purpose, for a given
// config: `check` lists the differences that apply, each pointing at its section of
// docs/migrating-from-kubernetes-event-exporter.md.
import type { CompiledRoute } from '../route/route.ts';
import { DEFAULTS } from './schema.ts';
import type { RouterConfig } from './schema.ts';

export const DIFFERENCE_IDS = [
  'one-message-per-occurrence',
  'one-send-per-receiver',
  'retries',
  'dead-letters',
  'bulk-indexing',
  'series-count',
  'checkpoint',
  'metrics-prefix',
] as const;
export type DifferenceId = (typeof DIFFERENCE_IDS)[number];

export interface Difference {
  readonly id: DifferenceId;
  readonly text: string;
}

const DOC = 'docs/migrating-from-kubernetes-event-exporter.md';

const TEXT: Readonly<Record<DifferenceId, string>> = {
  'one-message-per-occurrence':
    'one message per occurrence (an Event created, or its count moved); watch updates that change nothing else send nothing',
  'one-send-per-receiver':
    'an event matching several rules that name the same receiver is sent to it once (the exporter sends once per rule)',
  retries:
    'a failed send is retried with backoff for up to retry.maxElapsedMs (10 minutes by default); the exporter logs it and moves on',
  'dead-letters':
    'an event that cannot be delivered is written to the dead letter with the reason, never silently lost',
  'bulk-indexing':
    'Elasticsearch/OpenSearch receivers index in batches through _bulk (one request per batch), not one request per event',
  'series-count':
    'minCount also reads series.count, which the exporter leaves at 0 for events that only carry a series',
  checkpoint:
    'with the kubernetes source a restart resumes where it stopped (the checkpoint) instead of relying on maxEventAgeSeconds alone',
  'metrics-prefix': `metric names start with "${DEFAULTS.metricsNamePrefix}" unless metricsNamePrefix is set (the exporter: no prefix)`,
};

/** Receivers named by more than one match rule anywhere in the tree. */
function repeatedReceivers(route: CompiledRoute): boolean {
  const seen = new Set<string>();
  let repeated = false;
  const walk = (node: CompiledRoute): void => {
    for (const rule of node.match) {
      if (rule.receiver === undefined) continue;
      if (seen.has(rule.receiver)) repeated = true;
      seen.add(rule.receiver);
    }
    node.routes.forEach(walk);
  };
  walk(route);
  return repeated;
}

function usesMinCount(route: CompiledRoute): boolean {
  const rules = [...route.drop, ...route.match];
  return rules.some((rule) => rule.keys.includes('minCount')) || route.routes.some(usesMinCount);
}

/** The differences that apply to `config`, in the order the migration guide explains them. */
export function behaviourDifferences(config: RouterConfig): Difference[] {
  const types = new Set(config.receivers.map((r) => r.type));
  const applies: Readonly<Record<DifferenceId, boolean>> = {
    'one-message-per-occurrence': true,
    'one-send-per-receiver': repeatedReceivers(config.route),
    retries: config.receivers.length > 0,
    'dead-letters': config.receivers.length > 0,
    'bulk-indexing': types.has('elasticsearch') || types.has('opensearch'),
    'series-count': usesMinCount(config.route),
    checkpoint: true,
    'metrics-prefix': config.metricsNamePrefix === DEFAULTS.metricsNamePrefix,
  };
  return DIFFERENCE_IDS.filter((id) => applies[id]).map((id) => ({ id, text: `${TEXT[id]} (${DOC}#${id})` }));
}
