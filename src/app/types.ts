// What `startApp` takes and gives back: the `run` command's options and the running app.
import type { Logger } from 'pino';
import type { LoadedConfig, RouterConfig } from '../config/schema.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import type { TelemetryServer } from '../telemetry/server.ts';
import type { Clock } from '../util/clock.ts';

export type SourceSpec =
  { kind: 'kubernetes' } | { kind: 'replay'; path: string } | { kind: 'demo'; speed?: number };

export interface AppOptions {
  readonly configPath: string;
  readonly source: SourceSpec;
  readonly kubeconfig?: string;
  /** `--metrics-address`; '' = no telemetry server. */
  readonly metricsAddress: string;
  /** Objects for enrichment without a cluster (replay). */
  readonly objectsPath?: string;
  readonly dryRun?: boolean;
  /** How `--dry-run` prints each request: text blocks or one JSON object per line. */
  readonly dryRunFormat?: 'text' | 'json';
  readonly clock?: Clock;
  readonly stdout?: NodeJS.WritableStream;
  readonly env?: NodeJS.ProcessEnv;
  /** Overrides the config's log destination (tests). */
  readonly logDestination?: NodeJS.WritableStream;
  /** Reload the config when its file changes (default true). */
  readonly watchConfig?: boolean;
  /** `--debug`: logged errors keep their stack traces. */
  readonly debug?: boolean;
}

export interface RunResult {
  /** Occurrences routed to at least one receiver. */
  readonly accepted: number;
  /** This replica lost the leader lease and stopped sending (the process should exit non-zero). */
  readonly leadershipLost: boolean;
  /** (event, receiver) deliveries, and those that went to the dead-letter file. */
  readonly delivered: number;
  readonly deadLettered: number;
}

export interface App {
  readonly loaded: LoadedConfig;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly telemetry: TelemetryServer | undefined;
  /** Runs until the source ends (replay, demo) or `stop` is called; then drains. */
  readonly done: Promise<RunResult>;
  /** Stops the source and drains the outputs up to shutdownTimeoutMs (SIGTERM). */
  stop(): Promise<RunResult>;
  /** Resolves once the first list is done (what /readyz reports). */
  readonly ready: Promise<void>;
}

/** What every part of the app is built with: the options, the loaded config and the shared services. */
export interface AppCore {
  readonly options: AppOptions;
  readonly loaded: LoadedConfig;
  /** `loaded.config`: the config at start-up (a reload swaps the router's, not this one). */
  readonly config: RouterConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
}
