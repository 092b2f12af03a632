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

  /** The rendered values of `payload` as one string: payloads with equal keys send equal headers. */
  groupKey(payload: Payload): string {
    return JSON.stringify(this.keys.map(([, key]) => payload.templated[key] ?? ''));
  }
}
