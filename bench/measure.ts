// Throughput measurement that tolerates a shared, noisy machine: the contenders run interleaved
// in several rounds and each reports its median rate, so a burst of outside load hits all alike.

export interface Contender {
  readonly name: string;
  /** Processes every item once; returns a value the caller keeps so the work is not optimised away. */
  readonly run: () => number;
  readonly items: number;
}

export interface Rate {
  readonly name: string;
  readonly eventsPerSec: number;
}

function timeOnce(contender: Contender, minMs: number): number {
  let passes = 0;
  let sink = 0;
  const start = process.hrtime.bigint();
  let elapsedNs = 0n;
  while (elapsedNs < BigInt(minMs) * 1_000_000n) {
    sink += contender.run();
    passes++;
    elapsedNs = process.hrtime.bigint() - start;
  }
  if (sink === Number.MIN_SAFE_INTEGER) console.log(sink);
  return (passes * contender.items) / (Number(elapsedNs) / 1e9);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function measure(contenders: readonly Contender[], rounds: number, roundMs: number): Rate[] {
  for (const c of contenders) timeOnce(c, roundMs); // warm-up: let the JIT settle
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const c of contenders) samples.get(c.name)?.push(timeOnce(c, roundMs));
  }
  return contenders.map((c) => ({ name: c.name, eventsPerSec: median(samples.get(c.name) ?? []) }));
}
