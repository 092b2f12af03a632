// Shared by the elasticsearch / opensearch tests: a receiver loaded from YAML as the router
// loads it, its renderer, and the local bulk server.
import { createRenderer } from '../../../src/output/payload.ts';
import type { EnrichedEvent } from '../../../src/event/event.ts';
import { createReceiver } from '../create-receiver.ts';
import type { Payload, Receiver, SendResult } from '../../../src/receivers/common/types.ts';
import { ManualClock } from '../../../src/util/clock.ts';
import { memoryLogger, receiverFromYaml, someEvents } from '../../output/helpers.ts';
import type { BulkServer, Flavour } from '../servers/bulk-server.ts';

export interface Rig {
  readonly receiver: Receiver;
  readonly clock: ManualClock;
  readonly render: (e: EnrichedEvent) => Payload;
  readonly payloads: (n: number, offset?: number) => Payload[];
  readonly logs: Record<string, unknown>[];
  readonly logText: () => string;
  send(batch: readonly Payload[]): Promise<SendResult>;
}

/** A receiver of `flavour` pointed at `server`; `extra` is YAML under the type key (4 spaces). */
export function rig(
  server: BulkServer,
  extra = '',
  flavour: Flavour = server.flavour,
  env: Record<string, string> = {},
  outer = '',
): Rig {
  const clock = new ManualClock(Date.UTC(2026, 0, 2, 3, 4, 5));
  const { logger, lines, text } = memoryLogger();
  const block = extra.includes('index') ? extra : `    index: kube-events\n${extra}`;
  const config = receiverFromYaml(
    `- name: search\n  ${flavour}:\n    hosts: ["${server.url}"]\n${block}${outer}`,
    env,
  );
  const receiver = createReceiver(config, { clock, logger });
  const render = createRenderer(config);
  return {
    receiver,
    clock,
    render,
    payloads: (n, offset = 0) => someEvents(n, offset).map(render),
    logs: lines,
    logText: text,
    send: (batch) => receiver.send(batch, new AbortController().signal),
  };
}

/** The action lines of a bulk body. */
export function actions(body: string): Record<string, Record<string, string>>[] {
  return body
    .split('\n')
    .filter((_, i) => i % 2 === 0)
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, Record<string, string>>);
}

/** A compact view of a result for table asserts. */
export function summary(result: SendResult): unknown[] {
  switch (result.kind) {
    case 'ok':
      return ['ok'];
    case 'retry':
      return ['retry', result.reason, result.retryAfterMs];
    case 'drop':
      return ['drop', result.reason];
    case 'partial':
      return ['partial', result.retry, result.drop.map((d) => d.index), result.reason];
  }
}
