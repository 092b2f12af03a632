import type { KubeObject } from '../support/kube-api-server.ts';
import {
  account,
  deliveredKeys,
  nowStamp,
  produce,
  startRig,
  warningEvent,
  type Figures,
  type Scale,
} from './harness.ts';

/**
 * The receiver answers 503 for 60 s (scaled) while events arrive at 50/s; then it recovers. The
 * config sets no retry, queue or dead-letter option: the defaults alone must lose nothing (the
 * queue fills, the watch pauses, the retries outlast the outage).
 */
export async function receiverDown(scale: Scale): Promise<Figures> {
  const rig = await startRig();
  try {
    const outageMs = 60_000 * scale.time;
    let healthy = true;
    rig.sink.answer = () => (healthy ? { status: 200 } : { status: 503, headers: { 'retry-after': '1' } });
    await rig.startRouter(rig.writeConfig({ defaults: true }));
    const expected = new Set<string>();
    // The webhook sends one event per request (its default): 50/s for a minute is a burst it
    // clears in seconds on an idle machine, and still in minutes on a loaded one.
    const rate = Math.max(10, Math.round(50 * scale.events));
    healthy = false;
    await produce(rate, outageMs, (i) =>
      expected.add(`${String(rig.server.create(warningEvent(i)).metadata['uid'])}/1`),
    );
    healthy = true;
    const recoveredFrom = Date.now();
    await rig.sink.until(
      () => new Set(deliveredKeys(rig.sink)).size >= expected.size,
      // The default backoff reaches 30 s between attempts, and the webhook sends one event per
      // request: on a busy machine the backlog takes minutes to clear.
      Math.max(60_000, 600_000 * scale.time),
      'recovery',
    );
    const recoveryS = ((Date.now() - recoveredFrom) / 1000).toFixed(0);
    const failed = rig.sink.received.filter((r) => r.status >= 500).length;
    return account(
      'receiver down 60 s at 50 events/s (defaults: no retry, queue or dead-letter option)',
      expected,
      deliveredKeys(rig.sink),
      [],
      `outage ${outageMs / 1000} s, ${rate} events/s, ${failed} requests answered 503, backlog cleared ${recoveryS} s after recovery`,
    );
  } finally {
    await rig.close();
  }
}

/** Watch connections cut every 10 s (scaled) and compactions forcing 410 Gone re-lists, with count bumps. */
export async function watchCuts(scale: Scale): Promise<Figures> {
  const rig = await startRig();
  try {
    await rig.startRouter(rig.writeConfig({ receiver: ['queue: { maxEvents: 100000, policy: block }'] }));
    const expected = new Set<string>();
    const live: KubeObject[] = [];
    const cutEveryMs = 10_000 * scale.time;
    let cuts = 0;
    let nextCutMs = cutEveryMs;
    const rate = Math.max(20, Math.round(200 * scale.events));
    await produce(rate, 60_000 * scale.time, (i, elapsedMs) => {
      if (i % 4 === 3 && live.length > 0) {
        const current = live[i % live.length] as KubeObject;
        const count = Number(current['count']) + 1;
        const bumped = rig.server.update({ ...current, count, lastTimestamp: nowStamp(count * 1000) });
        live[i % live.length] = bumped;
        expected.add(`${String(bumped.metadata['uid'])}/${count}`);
      } else {
        const created = rig.server.create(warningEvent(i));
        live.push(created);
        expected.add(`${String(created.metadata['uid'])}/1`);
      }
      if (elapsedMs >= nextCutMs) {
        nextCutMs += cutEveryMs;
        cuts++;
        rig.server.dropWatches();
        // Every other cut is a 410 storm: history compacted before the watch can resume.
        if (cuts % 2 === 0) rig.server.compact();
      }
    });
    await rig.sink.until(
      () => new Set(deliveredKeys(rig.sink)).size >= expected.size,
      60_000,
      'every occurrence',
    );
    const lists = rig.server.requestsWhere(
      (r) => r.kind === 'Event' && !r.watch && r.method === 'GET',
    ).length;
    return account(
      'watch cut every 10 s + 410 storms',
      expected,
      deliveredKeys(rig.sink),
      [],
      `${cuts} cuts, ${lists} event lists (re-lists after 410)`,
    );
  } finally {
    await rig.close();
  }
}

/** The config is replaced (a ConfigMap update) while events stream at 500/s. */
export async function reloadUnderLoad(scale: Scale): Promise<Figures> {
  const rig = await startRig();
  try {
    const receiver = ['queue: { maxEvents: 100000, policy: block }'];
    const config = rig.writeConfig({ receiver });
    const app = await rig.startRouter(config);
    const expected = new Set<string>();
    const durationMs = 20_000 * scale.time;
    let reloaded = false;
    await produce(Math.max(20, Math.round(500 * scale.events)), durationMs, (i, elapsedMs) => {
      expected.add(`${String(rig.server.create(warningEvent(i)).metadata['uid'])}/1`);
      if (!reloaded && elapsedMs >= durationMs / 2) {
        reloaded = true;
        // Same receiver, new batching: the output is rebuilt and the old one drains.
        rig.rewriteConfig(config, {
          receiver: [...receiver, 'batch: { maxEvents: 20, flushIntervalMs: 10 }'],
        });
      }
    });
    await rig.sink.until(() => new Set(deliveredKeys(rig.sink)).size >= expected.size, 60_000, 'every event');
    const metrics = await app.metrics.text();
    const reloads = /config_reload_total\{result="success"\} (\d+)/.exec(metrics)?.[1] ?? '0';
    return account(
      'config reload under load',
      expected,
      deliveredKeys(rig.sink),
      [],
      `${reloads} successful reload(s)`,
    );
  } finally {
    await rig.close();
  }
}
