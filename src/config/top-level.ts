// Top-level settings: schema validation, then the rules between keys.
import { error, warning } from './problem.ts';
import type { ConfigProblem } from './positions.ts';
import type { RouterConfig, TopLevel } from './schema.ts';
import { DEFAULTS, topLevelSchema } from './schema.ts';
import { zodProblems } from './zod-problems.ts';

export type Settings = Omit<RouterConfig, 'route' | 'receivers'>;

export function validateTopLevel(raw: unknown, problems: ConfigProblem[]): TopLevel | undefined {
  const result = topLevelSchema.safeParse(raw);
  if (result.success) return result.data;
  problems.push(...zodProblems(topLevelSchema, raw, result.error.issues, []));
  return undefined;
}

// As the exporter's validateMaxEventAgeSeconds: 0 means unset, both set is an error, the
// deprecated name alone is used with a warning.
function maxEventAge(top: TopLevel, problems: ConfigProblem[]): number {
  const { throttlePeriod, maxEventAgeSeconds } = top;
  if (throttlePeriod !== undefined && throttlePeriod !== 0 && maxEventAgeSeconds !== undefined && maxEventAgeSeconds !== 0) {
    problems.push(error(['throttlePeriod'], 'cannot be set together with maxEventAgeSeconds (throttlePeriod is its deprecated name)'));
  } else if (throttlePeriod !== undefined) {
    problems.push(warning(['throttlePeriod'], 'is deprecated; use maxEventAgeSeconds'));
  }
  return maxEventAgeSeconds || throttlePeriod || DEFAULTS.maxEventAgeSeconds;
}

function namespaces(namespace: string | string[] | undefined): string[] {
  const list = typeof namespace === 'string' ? [namespace] : (namespace ?? []);
  return [...new Set(list.filter((ns) => ns !== ''))];
}

export function crossCheckTopLevel(top: TopLevel, problems: ConfigProblem[]): Settings {
  return {
    logLevel: top.logLevel,
    logFormat: top.logFormat,
    maxEventAgeSeconds: maxEventAge(top, problems),
    namespaces: namespaces(top.namespace),
    clusterName: top.clusterName,
    leaderElection: top.leaderElection,
    kubeQPS: top.kubeQPS,
    kubeBurst: top.kubeBurst,
    metricsNamePrefix: top.metricsNamePrefix,
    omitLookup: top.omitLookup,
    cacheSize: top.cacheSize,
    environment: top.environment,
    templateEnv: top.templateEnv,
    repeats: top.repeats,
  };
}
