import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Metrics } from '../../src/telemetry/metrics.ts';
import { declaredMetrics, parseExposition, sampleValue } from './exposition.ts';

const P = 'kube_event_router_';

const EXPECTED_TYPES: [string, string][] = [
  ['events_received_total', 'counter'],
  ['events_total', 'counter'],
  ['events_label_overflow_total', 'counter'],
  ['events_routed_total', 'counter'],
  ['receiver_events_routed_total', 'counter'],
  ['events_dropped_total', 'counter'],
  ['malformed_events_total', 'counter'],
  ['receiver_events_sent_total', 'counter'],
  ['receiver_events_failed_total', 'counter'],
  ['receiver_retries_total', 'counter'],
  ['receiver_events_dead_lettered_total', 'counter'],
  ['receiver_events_dropped_total', 'counter'],
  ['receiver_queue_depth', 'gauge'],
  ['receiver_batch_size_events', 'histogram'],
  ['receiver_batch_size_bytes', 'histogram'],
  ['receiver_send_latency_seconds', 'histogram'],
  ['watch_restarts_total', 'counter'],
  ['watch_list_completions_total', 'counter'],
  ['watch_bookmarks_total', 'counter'],
  ['cache_hits_total', 'counter'],
  ['cache_misses_total', 'counter'],
  ['cache_errors_total', 'counter'],
  ['cache_entries', 'gauge'],
  ['lookups_skipped_total', 'counter'],
  ['config_reload_total', 'counter'],
  ['config_info', 'gauge'],
  ['leader', 'gauge'],
  ['build_info', 'gauge'],
  ['process_cpu_seconds_total', 'counter'],
  ['process_resident_memory_bytes', 'gauge'],
  ['nodejs_eventloop_lag_seconds', 'gauge'],
];

function pod(namespace: string, reason: string, type = 'Warning') {
  return { metadata: { namespace }, involvedObject: { kind: 'Pod', namespace }, reason, type };
}

describe('Metrics', () => {
  it('declares every metric with the default prefix and its type', async () => {
    const text = await new Metrics().text();
    const types = declaredMetrics(text);
    for (const [name, type] of EXPECTED_TYPES) assert.equal(types.get(P + name), type, P + name);
    for (const name of types.keys()) assert.ok(name.startsWith(P), `${name} lacks the prefix`);
  });

  const prefixes: [string | undefined, string][] = [
    [undefined, 'kube_event_router_'],
    ['event_exporter_', 'event_exporter_'],
    ['', ''],
  ];
  for (const [prefix, expected] of prefixes) {
    it(`prefix ${JSON.stringify(prefix)} names events_total ${expected}events_total`, async () => {
      const metrics = new Metrics({ prefix, processMetrics: false });
      metrics.eventCounted(pod('a', 'BackOff'));
      const samples = parseExposition(await metrics.text());
      assert.equal(sampleValue(samples, `${expected}events_total`, { namespace: 'a' }), 1);
    });
  }

  it('counts pipeline, receiver, watch, cache and config calls under the expected labels', async () => {
    const m = new Metrics({ processMetrics: false });
    m.eventReceived('ADDED');
    m.eventReceived('ADDED');
    m.eventReceived('MODIFIED');
    m.eventCounted(pod('shop', 'BackOff'));
    m.eventCounted(pod('shop', 'BackOff'), 2);
    m.eventCounted({
      metadata: { namespace: 'kube-system' },
      involvedObject: { kind: 'Node' },
      reason: 'NodeNotReady',
      type: 'Normal',
    });
    m.eventRouted(['oncall', 'dump']);
    m.eventRouted(['dump']);
    m.eventDropped('duplicate');
    m.eventDropped('tooOld', 4);
    m.eventMalformed('noInvolvedObject');
    m.receiverConfigured('idle');
    m.receiverSent('dump', 10, 250);
    m.receiverFailed('oncall', 'serverError', 3, 1200);
    m.receiverRetried('oncall', 'serverError');
    m.receiverDeadLettered('oncall', 'clientError');
    m.receiverDropped('dump', 'queueFull', 2);
    m.receiverBatch('dump', 10, 5000);
    let depth = 3;
    m.receiverQueueDepth('dump', () => depth);
    m.receiverQueueDepth('oncall', 7);
    m.watchRestarted('gone');
    m.listCompleted();
    m.bookmarkReceived();
    m.cacheHit();
    m.cacheHit();
    m.cacheMiss();
    m.cacheError('forbidden');
    m.cacheSize(42);
    m.lookupSkipped();
    m.configReloaded('failure');
    m.configLoaded('abc123');
    m.configLoaded('def456');
    m.leadership(true);

    const s = parseExposition(await m.text());
    const table: [string, Record<string, string>, number][] = [
      ['events_received_total', { change_type: 'ADDED' }, 2],
      ['events_received_total', { change_type: 'MODIFIED' }, 1],
      ['events_total', { namespace: 'shop', kind: 'Pod', reason: 'BackOff', type: 'Warning' }, 3],
      ['events_total', { namespace: 'kube-system', kind: 'Node', reason: 'NodeNotReady', type: 'Normal' }, 1],
      ['events_routed_total', {}, 2],
      ['receiver_events_routed_total', { receiver: 'dump' }, 2],
      ['receiver_events_routed_total', { receiver: 'oncall' }, 1],
      ['receiver_events_routed_total', { receiver: 'idle' }, 0],
      ['events_dropped_total', { reason: 'duplicate' }, 1],
      ['events_dropped_total', { reason: 'tooOld' }, 4],
      ['malformed_events_total', { reason: 'noInvolvedObject' }, 1],
      ['receiver_events_sent_total', { receiver: 'dump' }, 10],
      ['receiver_events_sent_total', { receiver: 'idle' }, 0],
      ['receiver_events_failed_total', { receiver: 'oncall', reason: 'serverError' }, 3],
      ['receiver_retries_total', { receiver: 'oncall', reason: 'serverError' }, 1],
      ['receiver_events_dead_lettered_total', { receiver: 'oncall', reason: 'clientError' }, 1],
      ['receiver_events_dropped_total', { receiver: 'dump', reason: 'queueFull' }, 2],
      ['receiver_batch_size_events_sum', { receiver: 'dump' }, 10],
      ['receiver_batch_size_bytes_bucket', { receiver: 'dump', le: '16384' }, 1],
      ['receiver_send_latency_seconds_count', { receiver: 'oncall' }, 1],
      ['receiver_send_latency_seconds_sum', { receiver: 'dump' }, 0.25],
      ['receiver_send_latency_seconds_bucket', { receiver: 'dump', le: '0.25' }, 1],
      ['receiver_send_latency_seconds_bucket', { receiver: 'dump', le: '0.1' }, 0],
      ['receiver_queue_depth', { receiver: 'dump' }, 3],
      ['receiver_queue_depth', { receiver: 'oncall' }, 7],
      ['receiver_queue_depth', { receiver: 'idle' }, 0],
      ['watch_restarts_total', { reason: 'gone' }, 1],
      ['watch_list_completions_total', {}, 1],
      ['watch_bookmarks_total', {}, 1],
      ['cache_hits_total', {}, 2],
      ['cache_misses_total', {}, 1],
      ['cache_errors_total', { reason: 'forbidden' }, 1],
      ['cache_entries', {}, 42],
      ['lookups_skipped_total', {}, 1],
      ['config_reload_total', { result: 'failure' }, 1],
      ['config_reload_total', { result: 'success' }, 0],
      ['config_info', { hash: 'def456' }, 1],
      ['leader', {}, 1],
    ];
    for (const [name, labels, value] of table) {
      assert.equal(sampleValue(s, P + name, labels), value, `${name}${JSON.stringify(labels)}`);
    }
    assert.equal(sampleValue(s, `${P}config_info`, { hash: 'abc123' }), undefined, 'the old hash is gone');
    depth = 9;
    assert.equal(
      sampleValue(parseExposition(await m.text()), `${P}receiver_queue_depth`, { receiver: 'dump' }),
      9,
      'read at scrape',
    );
  });

  it('caps distinct event label sets and counts the rest under "other"', async () => {
    const m = new Metrics({ processMetrics: false, maxEventLabelSets: 5 });
    for (let i = 0; i < 8; i++) m.eventCounted(pod(`ns-${i}`, 'BackOff'));
    m.eventCounted(pod('ns-0', 'BackOff'), 2); // a known set still counts under its own labels
    m.eventCounted(pod('ns-7', 'BackOff'));
    const s = parseExposition(await m.text()).filter((sample) => sample.name === `${P}events_total`);
    assert.equal(s.length, 6, 'five label sets and "other"');
    const other = { namespace: 'other', kind: 'other', reason: 'other', type: 'other' };
    assert.equal(sampleValue(s, `${P}events_total`, other), 4);
    assert.equal(sampleValue(s, `${P}events_total`, { namespace: 'ns-0' }), 3);
    assert.equal(sampleValue(s, `${P}events_total`, { namespace: 'ns-7' }), undefined);
    const overflow = sampleValue(parseExposition(await m.text()), `${P}events_label_overflow_total`);
    assert.equal(overflow, 4);
  });

  it('cuts very long label values and handles missing fields', async () => {
    const m = new Metrics({ processMetrics: false });
    m.eventCounted({ involvedObject: { kind: 'Pod' }, reason: 'R'.repeat(1000) });
    const sample = parseExposition(await m.text()).find((x) => x.name === `${P}events_total`);
    assert.equal(sample?.labels.reason?.length, 128);
    assert.equal(sample?.labels.namespace, '');
    assert.equal(sample?.labels.type, '');
  });

  it('reports this replica as the sender until leader election says otherwise', async () => {
    const m = new Metrics({ processMetrics: false });
    assert.equal(sampleValue(parseExposition(await m.text()), `${P}leader`), 1);
    m.leadership(false);
    assert.equal(sampleValue(parseExposition(await m.text()), `${P}leader`), 0);
  });

  it('keeps registries apart: two instances never share series', async () => {
    const a = new Metrics({ processMetrics: false });
    const b = new Metrics({ processMetrics: false });
    a.cacheHit();
    assert.equal(sampleValue(parseExposition(await b.text()), `${P}cache_hits_total`), 0);
    assert.equal(sampleValue(parseExposition(await a.text()), `${P}cache_hits_total`), 1);
  });
});
