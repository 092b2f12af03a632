// Builds the Router (pipeline.ts) for `run`: the source, the enricher over the object cache,
// the outputs, the metrics it feeds and, with a checkpoint, what it resumes from.
import type { RawEvent } from '../event/event.ts';
import { createEnricher } from '../kube/enricher.ts';
import type { Output } from '../output/output.ts';
import { maxEventAgeMs, type Resume } from './ha.ts';
import { sourceObserver, type Health } from './health.ts';
import { Router } from './pipeline.ts';
import type { SourceParts } from './sources.ts';
import type { AppCore } from './types.ts';

export interface RouterParts {
  readonly source: SourceParts;
  readonly outputs: Map<string, Output>;
  readonly resume: Resume | undefined;
  readonly health: Health;
}

export function wireRouter(core: AppCore, parts: RouterParts): Router {
  const { options, config, clock, logger, metrics } = core;
  const { resume } = parts;
  const enricher = createEnricher({
    cache: parts.source.cache,
    // Reads the router's current tree, so cheap drops follow a config reload.
    route: () => router.current.config.route,
    omitLookup: config.omitLookup,
    keep: config.enrichment,
    observer: { skipped: () => metrics.lookupSkipped() },
  });
  const router: Router = new Router({
    config,
    source: parts.source.source,
    outputs: parts.outputs,
    enrich: enricher.enrich,
    logger,
    now: () => clock.now(),
    observer: {
      eventReceived: (type) => metrics.eventReceived(type),
      eventCounted: (event) => metrics.eventCounted(event.raw),
      eventRouted: (receivers) => metrics.eventRouted(receivers),
      eventDropped: (reason, n) => metrics.eventDropped(reason, n),
    },
    sourceObserver: sourceObserver(metrics, parts.health, clock, logger),
    // A replay imports history: the exporter's age limit is for live watches. A checkpoint
    // widens it to reach back to where the previous run got.
    ...(options.source.kind === 'replay'
      ? {}
      : { maxEventAgeMs: maxEventAgeMs(config, resume?.previous, clock.now()) }),
    ...(resume === undefined
      ? {}
      : { tracker: resume.tracker, admit: (event: RawEvent, key: string) => resume.admit(event, key) }),
  });
  return router;
}
