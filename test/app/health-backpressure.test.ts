// A full queue (policy block) pauses the watch on purpose: /healthz must not call that a dead
// watch, or the kubelet would restart the router in the middle of a receiver outage.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHealth, startHealthServer } from '../../src/app/health.ts';
import { loadConfigText } from '../../src/config/load.ts';
import { Metrics } from '../../src/telemetry/metrics.ts';
import type { TelemetryServer } from '../../src/telemetry/server.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { memoryLogger } from '../output/helpers.ts';

describe('/healthz while backpressure holds the source', () => {
  const clock = new ManualClock();
  const health = createHealth(clock);
  let server: TelemetryServer | undefined;
  let paused = false;

  before(async () => {
    const loaded = loadConfigText('route: {}\nreceivers: []\n', { fileName: 'c.yaml', env: {} });
    health.paused = () => paused;
    server = await startHealthServer(
      {
        options: { configPath: 'c.yaml', source: { kind: 'kubernetes' }, metricsAddress: '127.0.0.1:0' },
        loaded,
        config: loaded.config,
        clock,
        logger: memoryLogger().logger,
        metrics: new Metrics({ processMetrics: false }),
      },
      health,
    );
  });
  after(() => server?.close());

  const status = async (): Promise<number> =>
    (await fetch(`http://127.0.0.1:${server?.port}/healthz`)).status;

  it('stays healthy past maxWatchSilenceSeconds while paused, and fails when the silence is not backpressure', async () => {
    await clock.advance(301_000);
    assert.equal(await status(), 503, 'a silent watch with nothing holding it is unhealthy');
    paused = true;
    assert.equal(await status(), 200, 'paused by a full queue: silence expected');
    await clock.advance(3_600_000);
    assert.equal(await status(), 200);
    paused = false;
    assert.equal(await status(), 200, 'the bound restarts when the pause ends');
    await clock.advance(301_000);
    assert.equal(await status(), 503);
  });
});
