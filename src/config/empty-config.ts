// A config that routes nothing: empty, comments only, or without receivers. The exporter
// starts with it and sends nothing, so it is a warning (an error with `check --strict`).
import type { ConfigProblem } from './positions.ts';
import { warning } from './problem.ts';

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function emptyConfigWarnings(data: unknown): ConfigProblem[] {
  if (data === null || data === undefined || (isMap(data) && Object.keys(data).length === 0)) {
    return [
      warning(
        [],
        'the config is empty (or only comments): no receivers, so every event is dropped; add receivers and a route',
      ),
    ];
  }
  if (!isMap(data)) return [];
  const receivers = data['receivers'];
  if (receivers === undefined || receivers === null || (Array.isArray(receivers) && receivers.length === 0)) {
    const message = 'no receivers are defined, so every event is dropped; add at least one receiver';
    return [{ ...warning(['receivers'], message), at: 'key' }];
  }
  return [];
}
