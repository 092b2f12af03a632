// What to do with a PutEvents entry EventBridge refused inside a 200 answer, by its ErrorCode
// (the API reference lists which codes are worth another attempt). The exporter ignores them.
import type { EntryAction, EntryFailure } from '../aws/entries.ts';

const RETRYABLE: ReadonlySet<string> = new Set(['InternalFailure', 'ThrottlingException']);
const FINAL: ReadonlySet<string> = new Set([
  'AccessDeniedException',
  'InvalidAccountIdException',
  'InvalidArgument',
  'MalformedDetail',
  'RedactionFailure',
  'NotAuthorizedForSourceException',
  'NotAuthorizedForDetailTypeException',
]);

export function eventbridgeEntryAction(failure: EntryFailure): EntryAction {
  if (failure.code === 'ThrottlingException') return { retry: true, reason: 'rateLimited' };
  if (RETRYABLE.has(failure.code)) return { retry: true, reason: 'serverError' };
  if (FINAL.has(failure.code)) return { retry: false, reason: 'clientError' };
  // A code not documented yet: another attempt is the safe side (the retry budget bounds it).
  return { retry: true, reason: 'serverError' };
}
