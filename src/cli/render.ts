import type { LoadedConfig, ReceiverConfig } from '../config/schema.ts';
import type { EnrichedEvent } from '../event/event.ts';
import { eventId } from '../event/normalize.ts';
import { renderBody } from '../output/payload.ts';
import type { CliArgs } from './args.ts';
import { loadEventInput } from './input.ts';
import type { ExitCode } from './main.ts';
import { reportReadErrors } from './route-test.ts';

/** The payload bytes a receiver sends for one event, exactly as its output renders them (deDot included). */
export function renderPayload(receiver: ReceiverConfig, event: EnrichedEvent): string {
  return renderBody(receiver, event);
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
  let failed = 0;
  const out: string[] = [];
  for (const event of input.events) {
    try {
      out.push(renderPayload(receiver, event));
    } catch (err) {
      failed++;
      out.push(JSON.stringify({ uid: eventId(event.raw), error: (err as Error).message }));
    }
  }
  process.stdout.write(out.length === 0 ? '' : `${out.join('\n')}\n`);
  reportReadErrors(input.errors, input.warnings);
  if (failed > 0)
    process.stderr.write(`render: ${failed} of ${input.events.length} events failed to render\n`);
  return failed === 0 && input.errors.length === 0 ? 0 : 1;
}
