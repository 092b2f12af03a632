// npm run bench: route evaluation and layout rendering over the real events, each as events/s
// and as a ratio to JSON.stringify of the same events measured in the same run.
import { parse } from 'yaml';
import { loadConfigFile } from '../src/config/load.ts';
import type { EnrichedEvent } from '../src/event/event.ts';
import { goJsonStringify } from '../src/go/json.ts';
import { normalizeEvent } from '../src/event/normalize.ts';
import { compileLayout } from '../src/template/index.ts';
import { benchBulk } from './bulk.ts';
import { benchEndToEnd } from './e2e.ts';
import { measure } from './measure.ts';
import { benchPipeline } from './pipeline.ts';
import { benchRouterRss } from './router-rss.ts';
import { realEventLines } from '../test/support/real-events.ts';

const CONFIG = new URL('../config.example.yaml', import.meta.url).pathname;

// The Elasticsearch layout from kubernetes-event-exporter's README, as users copy it.
const EXPORTER_LAYOUT = parse(`
message: "{{ .Message }}"
reason: "{{ .Reason }}"
type: "{{ .Type }}"
count: "{{ .Count }}"
kind: "{{ .InvolvedObject.Kind }}"
name: "{{ .InvolvedObject.Name }}"
namespace: "{{ .Namespace }}"
component: "{{ .Source.Component }}"
host: "{{ .Source.Host }}"
labels: "{{ toJson .InvolvedObject.Labels }}"
`) as unknown;

const rounds = Number(process.env['BENCH_ROUNDS'] ?? 7);
const roundMs = Number(process.env['BENCH_ROUND_MS'] ?? 300);

const raws = realEventLines().map((line) => normalizeEvent(JSON.parse(line)));
const events: EnrichedEvent[] = raws.map((raw) => ({
  raw,
  object: {
    labels: { app: 'web', team: 'payments', 'app.kubernetes.io/name': 'web' },
    annotations: {},
    ownerReferences: [],
    deleted: false,
  },
  occurrence: 1,
  clusterName: 'bench',
  environment: { region: 'eu-west-1' },
}));

const { config } = await loadConfigFile(CONFIG, { ...process.env });
const { layout } = compileLayout(EXPORTER_LAYOUT);
if (layout === undefined) throw new Error('The benchmark layout did not compile.');

// render: the layout evaluated for the event (what the target is about); renderEncode adds the
// receiver's Go-compatible JSON encoding, i.e. the payload bytes actually sent.
const [stringify, route, render, renderEncode] = measure(
  [
    {
      name: 'stringify',
      items: raws.length,
      run: () => raws.reduce((n, raw) => n + JSON.stringify(raw).length, 0),
    },
    {
      name: 'route',
      items: events.length,
      run: () => events.reduce((n, e) => n + config.route.evaluate(e).length, 0),
    },
    {
      name: 'render',
      items: events.length,
      run: () => events.reduce((n, e) => n + (layout.render(e) === null ? 0 : 1), 0),
    },
    {
      name: 'renderEncode',
      items: events.length,
      run: () => events.reduce((n, e) => n + goJsonStringify(layout.render(e)).length, 0),
    },
  ],
  rounds,
  roundMs,
);
if (stringify === undefined || route === undefined || render === undefined || renderEncode === undefined)
  throw new Error('Missing measurement.');

const round = (n: number): number => Math.round(n);
const ratio = (n: number): number => Math.round((n / stringify.eventsPerSec) * 100) / 100;
console.log(`events: ${raws.length} real events, ${rounds} interleaved rounds of ${roundMs} ms, medians`);
for (const r of [stringify, route, render, renderEncode]) {
  console.log(
    `  ${r.name.padEnd(13)} ${round(r.eventsPerSec).toLocaleString('en').padStart(12)} events/s  ${ratio(r.eventsPerSec).toFixed(2)}× JSON.stringify`,
  );
}
const bulk = await benchBulk(events);
console.log(
  `elasticsearch _bulk (real client, default batching, local _bulk server): ${bulk.bulkEventsPerSec.toLocaleString('en')} events/s, ${bulk.bulkRatio}× JSON.stringify`,
);

const e2eEvents = Number(process.env['BENCH_E2E_EVENTS'] ?? 20_000);
const pipeline = await benchPipeline(e2eEvents);
console.log(
  `router pipeline alone (${e2eEvents} real events: replay → dedupe → enrich → route → render → batched stdout): ${pipeline.pipelineEventsPerSec.toLocaleString('en')} events/s`,
);
const e2e = await benchEndToEnd(e2eEvents, 'watch');
console.log(
  `end to end (${e2eEvents} real events, API server → watch → router → batched webhook): ${e2e.eventsPerSec.toLocaleString('en')} events/s, ` +
    `${e2e.ratio}× JSON.parse+stringify (${e2e.baselineEventsPerSec.toLocaleString('en')}/s), p50 ${e2e.p50Ms} ms, p99 ${e2e.p99Ms} ms, ` +
    `peak RSS ${e2e.peakRssMb} MB, cache hits ${e2e.cacheHits} / misses ${e2e.cacheMisses}`,
);
const backlog = await benchEndToEnd(e2eEvents, 'backlog');
console.log(
  `end to end from a backlog (first list): ${backlog.eventsPerSec.toLocaleString('en')} events/s, ${backlog.ratio}× baseline, peak RSS ${backlog.peakRssMb} MB (this bench process)`,
);
const routerRss = await benchRouterRss(e2eEvents);
console.log(
  `router process from the same backlog (default queue, NODE_OPTIONS ${routerRss.nodeOptions} as in the manifests): peak RSS ${routerRss.peakRssMb} MB (VmHWM), manifests' limit ${routerRss.limit}`,
);

// The last line: every figure as one JSON object (issue 3's micro figures, issue 4's end to end).
console.log(
  JSON.stringify({
    routeEventsPerSec: round(route.eventsPerSec),
    renderEventsPerSec: round(render.eventsPerSec),
    stringifyEventsPerSec: round(stringify.eventsPerSec),
    routeRatio: ratio(route.eventsPerSec),
    renderRatio: ratio(render.eventsPerSec),
    renderEncodeEventsPerSec: round(renderEncode.eventsPerSec),
    renderEncodeRatio: ratio(renderEncode.eventsPerSec),
    eventsPerSec: e2e.eventsPerSec,
    baselineEventsPerSec: e2e.baselineEventsPerSec,
    ratio: e2e.ratio,
    p50Ms: e2e.p50Ms,
    p99Ms: e2e.p99Ms,
    peakRssMb: e2e.peakRssMb,
    routerPeakRssMb: routerRss.peakRssMb,
    backlogEventsPerSec: backlog.eventsPerSec,
    pipelineEventsPerSec: pipeline.pipelineEventsPerSec,
    bulkEventsPerSec: bulk.bulkEventsPerSec,
    bulkRatio: bulk.bulkRatio,
  }),
);
