// Shared by the output and receiver tests: real events, receivers loaded from YAML as the router
// loads them, a scripted receiver, collectors for dead letters, observer calls and log lines.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { loadConfigText } from '../../src/config/load.ts';
import type { ReceiverConfig } from '../../src/config/schema.ts';
import type { EnrichedEvent } from '../../src/event/event.ts';
import { normalizeEvent } from '../../src/event/normalize.ts';
import type { DeadLetterRecord, DeadLetterWriter } from '../../src/output/dead-letter.ts';
import type { Outcome, OutputObserver } from '../../src/output/output.ts';
import type { FailureReason, Payload, Receiver, SendResult } from '../../src/receivers/common/types.ts';
import { realEventLines } from '../support/real-events.ts';

let cache: EnrichedEvent[] | undefined;

/** The 934 real Events as the router hands them to outputs (occurrence = count, no object). */
export function realEvents(): EnrichedEvent[] {
  cache ??= realEventLines().map((line) => {
    const raw = normalizeEvent(JSON.parse(line));
    return { raw, object: undefined, occurrence: raw.count ?? 1, clusterName: 'test', environment: {} };
  });
  return cache;
}

/** `n` real events with distinct uids. */
export function someEvents(n: number, offset = 0): EnrichedEvent[] {
  return realEvents().slice(offset, offset + n);
}

/** One receiver item (YAML under `receivers:`, starting with `- name: ...`) loaded as the router does. */
export function receiverFromYaml(item: string, env: Record<string, string> = {}): ReceiverConfig {
  const indented = item
    .trim()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  const text = `route: {}\nreceivers:\n${indented}\n`;
  const receiver = loadConfigText(text, { fileName: 'test.yaml', env }).config.receivers[0];
  if (receiver === undefined) throw new Error('no receiver loaded');
  return receiver;
}

/** The config error a receiver item gets, or '' when it loads. */
export function configProblems(item: string): string {
  try {
    receiverFromYaml(item);
    return '';
  } catch (err) {
    return String((err as Error).message);
  }
}

export interface Sent {
  readonly payloads: readonly Payload[];
  readonly atMs: number;
}

/** A receiver answering from a script (one result per send, the last repeats); `hold` makes sends wait. */
export class ScriptedReceiver implements Receiver {
  readonly name = 'scripted';
  readonly sends: Sent[] = [];
  closed = false;
  private held: (() => void)[] = [];
  hold = false;

  constructor(
    private readonly now: () => number,
    private readonly script: SendResult[] = [{ kind: 'ok' }],
  ) {}

  async send(batch: readonly Payload[]): Promise<SendResult> {
    this.sends.push({ payloads: [...batch], atMs: this.now() });
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    const i = Math.min(this.sends.length - 1, this.script.length - 1);
    return this.script[i] as SendResult;
  }

  /** Lets every held send answer. */
  release(): void {
    this.hold = false;
    for (const resolve of this.held.splice(0)) resolve();
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  get bodies(): string[] {
    return this.sends.flatMap((s) => s.payloads.map((p) => p.body));
  }
}

/** A receiver that never answers and ignores its signal (a hung service). */
export class HungReceiver implements Receiver {
  readonly name = 'hung';
  sends = 0;
  closed = false;
  send(): Promise<SendResult> {
    this.sends++;
    return new Promise(() => undefined);
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

export class MemoryDeadLetter implements DeadLetterWriter {
  readonly description = 'memory';
  readonly records: DeadLetterRecord[] = [];
  write(record: DeadLetterRecord): void {
    this.records.push(record);
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  reasons(): FailureReason[] {
    return this.records.map((r) => r.reason);
  }
}

/** Counts every observer call; `settled` keeps the outcome per event uid-occurrence. */
export class Counts implements OutputObserver {
  acceptedN = 0;
  sentN = 0;
  retriedN = 0;
  readonly failedBy = new Map<FailureReason, number>();
  readonly deadBy = new Map<FailureReason, number>();
  readonly outcomes = new Map<string, Outcome[]>();
  readonly batchSizes: number[] = [];
  readonly latencies: number[] = [];

  accepted(n: number): void {
    this.acceptedN += n;
  }
  sent(n: number, latencyMs: number): void {
    this.sentN += n;
    this.latencies.push(latencyMs);
  }
  failed(reason: FailureReason, n: number): void {
    this.failedBy.set(reason, (this.failedBy.get(reason) ?? 0) + n);
  }
  retried(n: number): void {
    this.retriedN += n;
  }
  deadLettered(reason: FailureReason, n: number): void {
    this.deadBy.set(reason, (this.deadBy.get(reason) ?? 0) + n);
  }
  batchSize(n: number): void {
    this.batchSizes.push(n);
  }
  settled(event: EnrichedEvent, outcome: Outcome): void {
    const key = `${event.raw.metadata.uid ?? ''}-${event.occurrence}`;
    this.outcomes.set(key, [...(this.outcomes.get(key) ?? []), outcome]);
  }
  get settledN(): number {
    let n = 0;
    for (const list of this.outcomes.values()) n += list.length;
    return n;
  }
  count(outcome: Outcome): number {
    let n = 0;
    for (const list of this.outcomes.values()) n += list.filter((o) => o === outcome).length;
    return n;
  }
}

/** A pino logger whose JSON lines are kept in `lines`. */
export function memoryLogger(): { logger: Logger; lines: Record<string, unknown>[]; text: () => string } {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line === '') continue;
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: pino({ level: 'debug', base: null }, stream), lines, text: () => raw.join('\n') };
}

/** Waits (yielding to real I/O, never sleeping on a timer) until `cond` holds; fails after `limitMs` of wall time. */
export async function until(cond: () => boolean, what = 'condition', limitMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** `list[i]`, failing the test when it is missing (instead of a non-null assertion). */
export function at<T>(list: readonly T[], i: number): T {
  const value = list[i];
  if (value === undefined) throw new Error(`no item at ${i} (length ${list.length})`);
  return value;
}

/** One real event. */
export function oneEvent(offset = 0): EnrichedEvent {
  return at(realEvents(), offset);
}
