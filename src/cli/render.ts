import { pino } from 'pino';
import type { LoadedConfig, ReceiverConfig } from '../config/schema.ts';
import type { EnrichedEvent } from '../event/event.ts';
import { eventId } from '../event/normalize.ts';
import { createRenderer } from '../output/payload.ts';
import type { Receiver } from '../receivers/common/types.ts';
import { createPreviewReceiver } from '../receivers/preview.ts';
import { ManualClock } from '../util/clock.ts';
import type { CliArgs } from './args.ts';
import { loadEventInput } from './input.ts';
import type { ExitCode } from './main.ts';
import { reportReadErrors } from './route-test.ts';

/**
 * Sends each event, alone, through the receiver's own implementation with its requests
 * captured (receivers/preview.ts): what is printed is the request it would make. Returns the
 * number of events that failed to render or that the receiver would refuse.
 */
async function renderEach(
  receiver: ReceiverConfig,
  runtime: Receiver,
  events: readonly EnrichedEvent[],
  clock: ManualClock,
): Promise<number> {
  const render = createRenderer(receiver);
  const signal = new AbortController().signal;
  let failed = 0;
  for (const event of events) {
    let error: string | undefined;
    try {
      const payload = render(event);
      let result = await runtime.send([payload], signal);
      // Pacing (Slack: one message per channel per interval) is waited out on the clock, as the
      // output would wait it out in time.
      for (
        let waits = 0;
        result.kind === 'retry' && result.retryAfterMs !== undefined && waits < 3;
        waits++
      ) {
        await clock.advance(result.retryAfterMs);
        result = await runtime.send([payload], signal);
      }
      if (result.kind === 'retry' || result.kind === 'drop') error = result.error.message;
      if (result.kind === 'partial') error = result.drop[0]?.error.message ?? 'partially refused';
    } catch (err) {
      error = (err as Error).message;
    }
    if (error === undefined) continue;
    failed++;
    process.stdout.write(`${JSON.stringify({ uid: eventId(event.raw), error })}\n`);
  }
  return failed;
}

export async function runRender(args: CliArgs, loaded: LoadedConfig): Promise<ExitCode> {
  const { config } = loaded;
  const receiver = config.receivers.find((r) => r.name === args.receiver);
  if (receiver === undefined) {
    const known = config.receivers.map((r) => r.name).join(', ');
    process.stderr.write(
      `kube-event-router: no receiver named "${args.receiver ?? ''}" (receivers: ${known})\n`,
    );
    return 2;
  }
  const input = await loadEventInput({
    ...args,
    clusterName: config.clusterName,
    environment: config.environment,
  });
  // A clock of its own: starts now (DingTalk signs with the time) and moves only past pacing.
  const clock = new ManualClock(Date.now());
  const runtime = await createPreviewReceiver(receiver, {
    clock,
    logger: pino({ level: 'silent' }),
    out: process.stdout,
    notes: process.stderr,
    format: args.output,
    labelWidth: 0,
  });
  const failed = await renderEach(receiver, runtime, input.events, clock);
  await runtime.close();
  reportReadErrors(input.errors, input.warnings);
  if (failed > 0)
    process.stderr.write(`render: ${failed} of ${input.events.length} events failed to render\n`);
  return failed === 0 && input.errors.length === 0 ? 0 : 1;
}
