// The config's types, the top-level schema and its defaults. Top-level keys and defaults are
// kubernetes-event-exporter's (pkg/exporter/config.go, main.go) unless marked "ours".
import { z } from 'zod';
import { REPEATS } from '../route/route.ts';
import type { CompiledRoute, Repeats } from '../route/route.ts';
import type { CompiledLayout, compileEventTemplate } from '../template/index.ts';
import type { TemplateSyntax } from '../receivers/common/options.ts';
import type { DeadLetterOptions, QueueOptions, RetryOptions, ThrottleOptions } from '../output/policy.ts';
import type { BatchPolicy } from '../receivers/common/types.ts';
import { goString, nonNegativeInt, options, positiveInt } from './zod-helpers.ts';
import { forkKeysShape } from './fork-keys.ts';
import type { EnrichmentSettings } from './fork-keys.ts';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'panic'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export const DEFAULTS = {
  logLevel: 'info',
  // Ours: JSON logs; the exporter defaults to its console format.
  logFormat: 'json',
  maxEventAgeSeconds: 5,
  leaderElectionID: 'kubernetes-event-exporter',
  // client-go's leaderelection defaults (ours: the exporter hard-codes them).
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
  // Ours (docs/high-availability.md): the restart checkpoint.
  checkpointConfigMap: 'kube-event-router-checkpoint',
  checkpointIntervalMs: 5_000,
  checkpointClockSkewMs: 2_000,
  // client-go's rest.DefaultQPS and rest.DefaultBurst.
  kubeQPS: 5,
  kubeBurst: 10,
  // Ours; the exporter has no prefix unless configured.
  metricsNamePrefix: 'kube_event_router_',
  cacheSize: 1024,
  // Ours: below Kubernetes' default terminationGracePeriodSeconds (30 s), so the drain ends first.
  shutdownTimeoutMs: 25_000,
  // Ours: the API server sends a bookmark about once a minute on a quiet watch.
  maxWatchSilenceSeconds: 300,
} as const;

const METRICS_PREFIX = /^[a-zA-Z][a-zA-Z0-9_:]*_$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

// The exporter treats 0 (Go's zero value) as "use the default" for these keys.
const zeroMeansDefault =
  <T extends number>(fallback: T) =>
  (value: number) =>
    value === 0 ? fallback : value;

export const topLevelSchema = options({
  logLevel: z
    .enum([...LOG_LEVELS, ''])
    .default(DEFAULTS.logLevel)
    .transform((level): LogLevel => (level === '' ? DEFAULTS.logLevel : level)),
  logFormat: z.enum(LOG_FORMATS).default(DEFAULTS.logFormat),
  maxEventAgeSeconds: nonNegativeInt.optional(),
  throttlePeriod: nonNegativeInt.optional(),
  namespace: z
    .union([goString, z.array(goString)], { error: 'expected a namespace name or a list of them' })
    .optional(),
  clusterName: goString.default(''),
  leaderElection: options({
    enabled: z.boolean().default(false),
    leaderElectionID: z.string().default(DEFAULTS.leaderElectionID),
    leaseDurationMs: positiveInt.default(DEFAULTS.leaseDurationMs),
    renewDeadlineMs: positiveInt.default(DEFAULTS.renewDeadlineMs),
    retryPeriodMs: positiveInt.default(DEFAULTS.retryPeriodMs),
  })
    // As client-go: the leader must give up before anyone may take over, after several tries.
    .superRefine((le, ctx) => {
      if (le.renewDeadlineMs >= le.leaseDurationMs)
        ctx.addIssue({
          code: 'custom',
          path: ['renewDeadlineMs'],
          message: `must be less than leaseDurationMs (${le.leaseDurationMs})`,
        });
      if (le.retryPeriodMs >= le.renewDeadlineMs)
        ctx.addIssue({
          code: 'custom',
          path: ['retryPeriodMs'],
          message: `must be less than renewDeadlineMs (${le.renewDeadlineMs})`,
        });
    })
    .prefault({}),
  // Ours.
  // On unless `enabled: false`; a path or a ConfigMap name says where (settingsOf decides).
  checkpoint: options({
    enabled: z.boolean().optional(),
    path: z.string().min(1).optional(),
    configMap: z.string().min(1).optional(),
    intervalMs: positiveInt.default(DEFAULTS.checkpointIntervalMs),
    clockSkewMs: nonNegativeInt.default(DEFAULTS.checkpointClockSkewMs),
  })
    .superRefine((c, ctx) => {
      const where = c.path !== undefined ? 'checkpoint.path' : 'checkpoint.configMap';
      if (c.enabled === false && (c.path !== undefined || c.configMap !== undefined))
        ctx.addIssue({
          code: 'custom',
          path: ['enabled'],
          message: `is false but ${where} is set (a store turns the checkpoint on): remove one of them`,
        });
      if (c.path !== undefined && c.configMap !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['configMap'],
          message: 'names a second store next to checkpoint.path: set one of them',
        });
    })
    .prefault({}),
  route: z.unknown().optional(),
  receivers: z.array(z.unknown()).default([]),
  kubeQPS: z.number().min(0).default(DEFAULTS.kubeQPS).transform(zeroMeansDefault(DEFAULTS.kubeQPS)),
  kubeBurst: nonNegativeInt.default(DEFAULTS.kubeBurst).transform(zeroMeansDefault(DEFAULTS.kubeBurst)),
  metricsNamePrefix: z
    .string()
    .refine((prefix) => prefix === '' || METRICS_PREFIX.test(prefix), {
      message: `must match ${METRICS_PREFIX.source} (e.g. "event_exporter_")`,
    })
    .default(DEFAULTS.metricsNamePrefix),
  omitLookup: z.boolean().default(false),
  cacheSize: nonNegativeInt.default(DEFAULTS.cacheSize).transform(zeroMeansDefault(DEFAULTS.cacheSize)),
  ...forkKeysShape,
  // Ours.
  environment: z.record(z.string(), goString).default({}),
  templateEnv: z
    .array(z.string().regex(ENV_NAME, { message: 'must be an environment variable name' }))
    .default([]),
  repeats: z.enum(REPEATS).default('all'),
  shutdownTimeoutMs: nonNegativeInt.default(DEFAULTS.shutdownTimeoutMs),
  maxWatchSilenceSeconds: nonNegativeInt.default(DEFAULTS.maxWatchSilenceSeconds),
});
export type TopLevel = z.output<typeof topLevelSchema>;

export type CompiledEventTemplate = ReturnType<typeof compileEventTemplate>;

export interface ReceiverConfig {
  readonly name: string;
  readonly type: string;
  /** The type block's own options, validated, defaults applied (layout etc. lifted out). */
  readonly options: Readonly<Record<string, unknown>>;
  /** Undefined when unset or empty (`layout: {}`): the receiver sends the enhanced event JSON. */
  readonly layout?: CompiledLayout;
  readonly typedLayout: boolean;
  readonly templateSyntax: TemplateSyntax;
  /** Whether labels and annotation keys are rendered with dots replaced (exporter `deDot`); unset = no. */
  readonly deDot?: boolean;
  /** Compiled templated options, keyed by their path in the type block (`headers.X-Token`). */
  readonly templates: Readonly<Record<string, CompiledEventTemplate>>;
  readonly batch: BatchPolicy;
  readonly queue: QueueOptions;
  readonly retry: RetryOptions;
  readonly deadLetter: DeadLetterOptions;
  /** Unset = no throttling; `key` compiled. */
  readonly throttle?: CompiledThrottle;
}

export interface CompiledThrottle extends Omit<ThrottleOptions, 'key'> {
  readonly key: CompiledEventTemplate;
}

export interface LeaderElectionSettings {
  readonly enabled: boolean;
  /** The Lease's name, in the pod's namespace. */
  readonly leaderElectionID: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
}

export interface CheckpointSettings {
  readonly enabled: boolean;
  /**
   * On by default rather than asked for (no `enabled`, `path` or `configMap`): with the
   * kubernetes source it uses the ConfigMap when it exists, and runs without one (a warning)
   * when it does not.
   */
  readonly implicit: boolean;
  /** A local file; unset = the ConfigMap below (in cluster). */
  readonly path?: string;
  readonly configMap: string;
  readonly intervalMs: number;
  /** Allowance for clocks that disagree, when resuming below the high-water mark. */
  readonly clockSkewMs: number;
}

export interface RouterConfig {
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  readonly maxEventAgeSeconds: number;
  /** Namespaces to watch; empty = all (the exporter's `namespace: ""`). */
  readonly namespaces: readonly string[];
  readonly clusterName: string;
  readonly leaderElection: LeaderElectionSettings;
  readonly checkpoint: CheckpointSettings;
  readonly kubeQPS: number;
  readonly kubeBurst: number;
  /** "" = no prefix. */
  readonly metricsNamePrefix: string;
  readonly omitLookup: boolean;
  readonly cacheSize: number;
  /** Fork keys enrichEvents, cacheTTL, mappingCacheSize (src/config/fork-keys.ts). */
  readonly enrichment: EnrichmentSettings;
  readonly environment: Readonly<Record<string, string>>;
  readonly templateEnv: readonly string[];
  readonly repeats: Repeats;
  /** How long SIGTERM waits for outputs to drain before dead-lettering the rest. */
  readonly shutdownTimeoutMs: number;
  /** /healthz fails when the watch has been silent (no event, no bookmark) this long; 0 = never. */
  readonly maxWatchSilenceSeconds: number;
  readonly route: CompiledRoute;
  readonly receivers: readonly ReceiverConfig[];
}

export interface LoadedConfig {
  readonly config: RouterConfig;
  /** Formatted like problems: `file:line:column path: message`. */
  readonly warnings: readonly string[];
  /** sha256 (hex) of the config after environment expansion. */
  readonly hash: string;
}
