// Shared by the Opsgenie, DingTalk and WeChat tests: a receiver loaded from YAML as the router
// loads it, its renderer, a logger kept in memory, and real events reshaped for a scenario.
import type { EnrichedEvent } from '../../src/event/event.ts';
import { createRenderer } from '../../src/output/payload.ts';
import { createReceiver } from './create-receiver.ts';
import type { Payload, Receiver, SendResult } from '../../src/receivers/common/types.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { memoryLogger, realEvents, receiverFromYaml } from '../output/helpers.ts';

export interface Rig {
  readonly receiver: Receiver;
  readonly render: (e: EnrichedEvent) => Payload;
  readonly log: ReturnType<typeof memoryLogger>;
  readonly clock: ManualClock;
  send(events: readonly EnrichedEvent[]): Promise<SendResult>;
}

export function rig(
  yaml: string,
  env: Record<string, string> = {},
  clock = new ManualClock(Date.UTC(2026, 0, 1)),
): Rig {
  const config = receiverFromYaml(yaml, env);
  const log = memoryLogger();
  const receiver = createReceiver(config, { clock, logger: log.logger });
  const render = createRenderer(config);
  return {
    receiver,
    render,
    log,
    clock,
    send: (events) => receiver.send(events.map(render), new AbortController().signal),
  };
}

/** Sends once with a fresh receiver and closes it. */
export async function sendOnce(
  yaml: string,
  events: readonly EnrichedEvent[],
  env: Record<string, string> = {},
): Promise<SendResult> {
  const r = rig(yaml, env);
  try {
    return await r.send(events);
  } finally {
    await r.receiver.close();
  }
}

/** [kind, reason, message, retryAfterMs] of a result, for table assertions. */
export function summary(result: SendResult): unknown[] {
  switch (result.kind) {
    case 'ok':
      return ['ok'];
    case 'retry':
      return ['retry', result.reason, result.error.message, result.retryAfterMs];
    case 'drop':
      return ['drop', result.reason, result.error.message];
    case 'partial':
      return ['partial', result.retry, result.drop.map((d) => d.index)];
  }
}

/** The first real event with this reason. */
export function eventWithReason(reason: string): EnrichedEvent {
  const found = realEvents().find((e) => e.raw.reason === reason);
  if (found === undefined) throw new Error(`no real event with reason ${reason}`);
  return found;
}

/** A real NodeReady event turned into the NodeNotReady that preceded it (same node). */
export function nodeNotReady(): EnrichedEvent {
  const ready = eventWithReason('NodeReady');
  const raw = {
    ...ready.raw,
    reason: 'NodeNotReady',
    type: 'Warning',
    message: `Node ${ready.raw.involvedObject.name ?? ''} status is now: NodeNotReady`,
    metadata: {
      ...ready.raw.metadata,
      uid: `${ready.raw.metadata.uid ?? ''}-notready`,
      name: `${ready.raw.metadata.name ?? ''}-nr`,
    },
  };
  return { ...ready, raw };
}
