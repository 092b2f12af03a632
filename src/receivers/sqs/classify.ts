// How SQS answers map to actions beyond the shared AWS classification: an entry in `Failed[]`
// of a 200 answer, and the SDK's check of each stored body's MD5.
import type { AwsRedactor } from '../aws/client.ts';
import { classifyAwsError } from '../aws/classify.ts';
import type { SendResult } from '../common/types.ts';
import { SendError } from '../common/types.ts';

export { senderFaultAction as sqsEntryAction } from '../aws/entries.ts';

/** A failed SendMessageBatch / GetQueueUrl call as the output's action. */
export function classifySqsError(err: unknown, what: string, redactor: AwsRedactor): SendResult {
  const message = err instanceof Error ? err.message : '';
  // The SDK compares the MD5 SQS computed of each body with its own: a body changed on the way.
  if (message.startsWith('Invalid MD5 checksum') || message === 'InvalidChecksumError')
    return {
      kind: 'retry',
      reason: 'network',
      error: new SendError(`${what} failed: the MD5 SQS reported does not match a body sent (${message})`),
    };
  return classifyAwsError(err, what, redactor);
}
