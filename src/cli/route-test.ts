import type { LoadedConfig } from '../config/schema.ts';
import type { EventReadError } from '../event/read-events.ts';
import { eventId } from '../event/normalize.ts';
import type { CliArgs } from './args.ts';
import { describeEvent, TraceDescriber } from './describe.ts';
import { loadEventInput } from './input.ts';
import type { ExitCode } from './main.ts';

export function reportReadErrors(errors: readonly EventReadError[], warnings: readonly string[] = []): void {
  for (const warning of warnings) process.stderr.write(`kube-event-router: warning: ${warning}\n`);
  for (const e of errors) {
    const where = e.line !== undefined ? `line ${e.line}` : e.item !== undefined ? `item ${e.item}` : 'input';
    process.stderr.write(`kube-event-router: ${e.source ?? 'events'}: ${where}: ${e.message}\n`);
  }
}

export async function runRouteTest(args: CliArgs, loaded: LoadedConfig): Promise<ExitCode> {
  const { config } = loaded;
  const input = await loadEventInput({
    ...args,
    clusterName: config.clusterName,
    environment: config.environment,
  });
  const describer = new TraceDescriber(config.route);
  const out: string[] = [];
  for (const event of input.events) {
    const trace = config.route.trace(event);
    if (args.output === 'json') {
      out.push(JSON.stringify({ uid: eventId(event.raw), receivers: trace.receivers, trace: trace.steps }));
      continue;
    }
    const to = trace.receivers.length === 0 ? '(no receiver)' : trace.receivers.join(', ');
    out.push(`${describeEvent(event)} → ${to}`, ...describer.describe(trace).map((line) => `    ${line}`));
  }
  process.stdout.write(out.length === 0 ? '' : `${out.join('\n')}\n`);
  reportReadErrors(input.errors, input.warnings);
  return input.errors.length === 0 ? 0 : 1;
}
