// Request headers whose values are event templates (webhook, teams, loki): rendered per event
// into `Payload.templated` under `headers.<Name>`, read back here for one request.
import { formatPath } from '../../config/problem.ts';
import type { Payload } from './types.ts';

export class TemplatedHeaders {
  // Lower-cased so a configured Content-Type replaces ours instead of being sent twice.
  private readonly keys: readonly (readonly [string, string])[];

  constructor(headers: Readonly<Record<string, string>>) {
    this.keys = Object.keys(headers).map(
      (header) => [header.toLowerCase(), formatPath(['headers', header])] as const,
    );
  }

  /** `base` plus the headers as rendered for `payload`. */
  render(payload: Payload, base: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = { ...base };
    for (const [header, key] of this.keys) out[header] = payload.templated[key] ?? '';
    return out;
  }

  /**
   * The indexes of `batch` grouped by rendered header values, groups in the order they first
   * appear, indexes in batch order: the payloads of one group can share one request.
   */
  group(batch: readonly Payload[]): number[][] {
    if (this.keys.length === 0 || batch.length <= 1) return [batch.map((_, index) => index)];
    const groups = new Map<string, number[]>();
    batch.forEach((payload, index) => {
      const key = JSON.stringify(this.keys.map(([, templated]) => payload.templated[templated] ?? ''));
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [index]);
      else group.push(index);
    });
    return [...groups.values()];
  }
}
