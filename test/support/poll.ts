// Waiting in tests for something another party does (a server, a router under load): the
// condition is checked again and again on its own, never only when one particular thing happens,
// and the wait has a bound that names what was awaited.

export interface PollOptions {
  /** What is awaited, for the failure message. */
  readonly what: string;
  readonly timeoutMs: number;
  /** Adds the current state to the failure message (e.g. "old=120 new=30"). */
  readonly state?: () => string;
  /** Between two checks; the default yields one short timer tick to real I/O. */
  readonly pause?: () => Promise<void>;
  readonly nowMs?: () => number;
}

const TICK_MS = 5;

export class PollTimeoutError extends Error {
  readonly code = 'E_POLL_TIMEOUT';
  constructor(message: string) {
    super(message);
    this.name = 'PollTimeoutError';
  }
}

/** Resolves once `condition` holds, checking it after every pause; rejects after `timeoutMs`. */
export async function pollUntil(
  condition: () => boolean | Promise<boolean>,
  options: PollOptions,
): Promise<void> {
  const now = options.nowMs ?? Date.now;
  const pause = options.pause ?? (() => new Promise<void>((resolve) => setTimeout(resolve, TICK_MS)));
  const deadline = now() + options.timeoutMs;
  while (!(await condition())) {
    if (now() >= deadline) {
      const state = options.state === undefined ? '' : ` (${options.state()})`;
      throw new PollTimeoutError(
        `Timed out after ${options.timeoutMs} ms waiting for ${options.what}${state}`,
      );
    }
    await pause();
  }
}
