// The receiver conformance entries (test/receivers/conformance/<type>.ts), one per registered
// type: their local servers speak each receiver's wire protocol and hand back what arrived as
// JSON values, which is what the security tests inspect.
import { readdirSync } from 'node:fs';
import type { ReceiverConfig } from '../../src/config/schema.ts';
import { createReceiver } from '../receivers/create-receiver.ts';
import type { Receiver } from '../../src/receivers/common/types.ts';
import type { createLogger } from '../../src/telemetry/log.ts';
import { ManualClock } from '../../src/util/clock.ts';
import type { ConformanceEntry, StartedEntry } from '../receivers/conformance/harness.ts';

const ENTRY_DIR = new URL('../receivers/conformance/', import.meta.url);

export async function conformanceEntries(): Promise<Map<string, ConformanceEntry>> {
  const entries = new Map<string, ConformanceEntry>();
  for (const file of readdirSync(ENTRY_DIR).filter((f) => f.endsWith('.ts') && f !== 'harness.ts')) {
    const mod = (await import(new URL(file, ENTRY_DIR).href)) as { entry?: ConformanceEntry };
    if (mod.entry !== undefined) entries.set(mod.entry.type, mod.entry);
  }
  return entries;
}

export function buildReceiver(
  started: StartedEntry,
  config: ReceiverConfig,
  logger: ReturnType<typeof createLogger>,
): Receiver {
  const ctx = { clock: new ManualClock(), logger: logger.child({ receiver: config.name }) };
  return started.create?.(config, ctx) ?? createReceiver(config, ctx);
}
