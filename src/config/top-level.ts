// Top-level settings: schema validation, then the rules between keys.
import { error, warning } from './problem.ts';
import type { ConfigProblem } from './positions.ts';
import type { CheckpointSettings, RouterConfig, TopLevel } from './schema.ts';
import { DEFAULTS, topLevelSchema } from './schema.ts';
import { parseLenient } from './lenient-parse.ts';
import { enrichmentSettings } from './fork-keys.ts';

export type Settings = Omit<RouterConfig, 'route' | 'receivers'>;

export function validateTopLevel(raw: unknown, problems: ConfigProblem[]): TopLevel | undefined {
  const result = parseLenient(topLevelSchema, raw, []);
  problems.push(...result.problems);
  return result.data;
}

// As the exporter's validateMaxEventAgeSeconds: 0 means unset, both set is an error, the
// deprecated name alone is used with a warning. Checked on the raw map so it is reported
// even when another top-level key is invalid.
export function checkMaxEventAge(raw: Readonly<Record<string, unknown>>, problems: ConfigProblem[]): void {
  const { throttlePeriod, maxEventAgeSeconds } = raw;
  if (throttlePeriod === undefined || throttlePeriod === null) return;
  if (
    typeof throttlePeriod === 'number' &&
    throttlePeriod !== 0 &&
    typeof maxEventAgeSeconds === 'number' &&
    maxEventAgeSeconds !== 0
  ) {
    problems.push(
      error(
        ['throttlePeriod'],
        'cannot be set together with maxEventAgeSeconds (throttlePeriod is its deprecated name)',
      ),
    );
  } else {
    problems.push(warning(['throttlePeriod'], 'is deprecated; use maxEventAgeSeconds'));
  }
}

function namespaces(namespace: string | string[] | undefined): string[] {
  const list = typeof namespace === 'string' ? [namespace] : (namespace ?? []);
  return [...new Set(list.filter((ns) => ns !== ''))];
}

/** A path or ConfigMap name implies `enabled`; nothing at all means on by default (implicit). */
function checkpointSettings(c: TopLevel['checkpoint']): CheckpointSettings {
  return {
    enabled: c.enabled ?? true,
    implicit: c.enabled === undefined && c.path === undefined && c.configMap === undefined,
    ...(c.path === undefined ? {} : { path: c.path }),
    configMap: c.configMap ?? DEFAULTS.checkpointConfigMap,
    intervalMs: c.intervalMs,
    clockSkewMs: c.clockSkewMs,
  };
}

export function settingsOf(top: TopLevel): Settings {
  return {
    logLevel: top.logLevel,
    logFormat: top.logFormat,
    maxEventAgeSeconds: top.maxEventAgeSeconds || top.throttlePeriod || DEFAULTS.maxEventAgeSeconds,
    namespaces: namespaces(top.namespace),
    clusterName: top.clusterName,
    leaderElection: top.leaderElection,
    checkpoint: checkpointSettings(top.checkpoint),
    kubeQPS: top.kubeQPS,
    kubeBurst: top.kubeBurst,
    metricsNamePrefix: top.metricsNamePrefix,
    omitLookup: top.omitLookup,
    cacheSize: top.cacheSize,
    enrichment: enrichmentSettings(top),
    environment: top.environment,
    templateEnv: top.templateEnv,
    repeats: top.repeats,
    shutdownTimeoutMs: top.shutdownTimeoutMs,
    maxWatchSilenceSeconds: top.maxWatchSilenceSeconds,
  };
}
