// AWS batch calls (PutRecords, PutRecordBatch, PutEvents, ...): a batch split into calls within
// the API's caps, sent one after the other until one fails.
import type { SendOutcome } from '../common/outcome.ts';
import type { SendResult } from '../common/types.ts';

/**
 * Splits records (by their byte sizes) into consecutive requests of at most `maxRecords` and
 * `maxBytes`. Every size must already be within `maxBytes`.
 */
export function chunkRecords(sizes: readonly number[], maxRecords: number, maxBytes: number): number[][] {
  const chunks: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  sizes.forEach((size, index) => {
    if (current.length > 0 && (current.length >= maxRecords || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(index);
    bytes += size;
  });
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Sends `records` in requests within the caps through `put` (which reports per-record failures
 * into `outcome` and returns a failed call). After a failed call the rest is not sent: the
 * service or the network that refused it would fare no better a moment later.
 */
export async function putInChunks<R extends { readonly index: number; readonly bytes: number }>(
  records: readonly R[],
  caps: { readonly maxRecords: number; readonly maxRequestBytes: number },
  outcome: SendOutcome,
  put: (chunk: readonly R[]) => Promise<SendResult | undefined>,
): Promise<void> {
  const chunks = chunkRecords(
    records.map((r) => r.bytes),
    caps.maxRecords,
    caps.maxRequestBytes,
  );
  for (const [i, chunk] of chunks.entries()) {
    const failure = await put(chunk.map((j) => records[j] as R));
    if (failure === undefined) continue;
    outcome.request(
      chunks
        .slice(i)
        .flat()
        .map((j) => (records[j] as R).index),
      failure,
    );
    return;
  }
}
