// The `_bulk` request of one batch (NDJSON: an action line and a document line per payload) and
// the classification of its answer, item by item (`partial`, docs/architecture.md).
import { formatPath } from '../../config/problem.ts';
import { redactSecrets } from '../common/secrets.ts';
import type { FailureReason, Payload, SendResult } from '../common/types.ts';
import { SendError } from '../common/types.ts';
import { EVENT_TIME_KEY, eventTimeMs, IndexNamer } from './index-name.ts';
import type { IndexTimeSource, OpType } from './options.ts';

export const DOCUMENT_ID_KEY = formatPath(['documentId']);
export const EVENT_TIME_TEMPLATE_KEY = formatPath([EVENT_TIME_KEY]);

/** How `_id` is chosen: the occurrence id, the event uid, a rendered template, or none. */
export type IdSource = 'occurrence' | 'eventUid' | 'template' | 'none';

export interface BulkShape {
  readonly namer: IndexNamer;
  readonly opType: OpType;
  readonly indexTimeSource: IndexTimeSource;
  readonly idSource: IdSource;
  readonly type?: string | undefined;
}

/** The event uid inside an occurrence id `<uid>-<occurrence>`. */
export function eventUidOf(payload: Payload): string {
  const dash = payload.id.lastIndexOf('-');
  return dash > 0 ? payload.id.slice(0, dash) : payload.id;
}

function documentId(payload: Payload, source: IdSource): string | undefined {
  switch (source) {
    case 'occurrence':
      return payload.id;
    case 'eventUid':
      return eventUidOf(payload);
    case 'template': {
      const id = payload.templated[DOCUMENT_ID_KEY] ?? '';
      return id === '' ? undefined : id;
    }
    case 'none':
      return undefined;
  }
}

/** Adds `@timestamp` (data streams need it) unless the document has one. */
export function withTimestamp(body: string, epochMs: number): string {
  if (body.includes('"@timestamp"') || !body.startsWith('{')) return body;
  const stamp = `{"@timestamp":"${new Date(epochMs).toISOString()}"`;
  return body === '{}' ? `${stamp}}` : `${stamp},${body.slice(1)}`;
}

/** The NDJSON lines of one `_bulk` request (the client joins them with newlines). */
export function bulkLines(batch: readonly Payload[], shape: BulkShape, nowMs: number): string[] {
  const lines: string[] = [];
  for (const payload of batch) {
    const eventMs = eventTimeMs(payload.templated[EVENT_TIME_TEMPLATE_KEY]) ?? nowMs;
    const meta: Record<string, string> = {
      _index: shape.namer.nameAt(shape.indexTimeSource === 'event' ? eventMs : nowMs),
    };
    const id = documentId(payload, shape.idSource);
    if (id !== undefined) meta['_id'] = id;
    if (shape.type !== undefined && shape.type !== '') meta['_type'] = shape.type;
    lines.push(JSON.stringify({ [shape.opType]: meta }));
    lines.push(shape.opType === 'create' ? withTimestamp(payload.body, eventMs) : payload.body);
  }
  return lines;
}

interface ItemError {
  readonly type?: string;
  readonly reason?: string;
  readonly caused_by?: { readonly type?: string; readonly reason?: string };
}

interface ItemResult {
  readonly status?: number;
  readonly error?: ItemError | string;
}

export interface BulkResponseBody {
  readonly errors?: boolean;
  readonly items?: readonly Record<string, ItemResult | undefined>[];
}

const MAPPING_ERRORS: ReadonlySet<string> = new Set([
  'mapper_parsing_exception',
  'document_parsing_exception',
  'strict_dynamic_mapping_exception',
]);
const DEDOT_HINT =
  ' (label or annotation keys with dots, such as app and app.kubernetes.io/name, clash in the index mapping: set deDot: true, or install the index template with indexTemplate.install)';
const MAX_REASON_CHARS = 300;

export interface ItemContext {
  readonly opType: OpType;
  readonly deDot: boolean;
  readonly secrets: readonly string[];
}

function errorText(error: ItemError | string | undefined): { type: string; text: string } {
  if (error === undefined) return { type: '', text: '' };
  if (typeof error === 'string') return { type: '', text: error };
  const type = error.type ?? '';
  let text = `${type}${error.reason ? `: ${error.reason}` : ''}`;
  const cause = error.caused_by;
  if (cause?.reason) text += ` (caused by ${cause.type ?? 'error'}: ${cause.reason})`;
  return { type, text };
}

type ItemVerdict = { kind: 'ok' } | { kind: 'retry' | 'drop'; reason: FailureReason; error: Error };

/** One item of a bulk answer: delivered, to retry alone, or to dead-letter with its error. */
export function classifyItem(item: ItemResult | undefined, ctx: ItemContext): ItemVerdict {
  const status = item?.status ?? 0;
  if (status >= 200 && status < 300) return { kind: 'ok' };
  const { type, text } = errorText(item?.error);
  // With `create`, a conflict means an earlier attempt already stored this id: the retry is done.
  if (status === 409 && ctx.opType === 'create' && type === 'version_conflict_engine_exception')
    return { kind: 'ok' };
  let message = redactSecrets(
    text.length > MAX_REASON_CHARS ? `${text.slice(0, MAX_REASON_CHARS)}…` : text,
    ctx.secrets,
  );
  const error = (): SendError =>
    new SendError(`item HTTP ${status}${message === '' ? '' : ` ${message}`}`, status);
  if (status === 429) return { kind: 'retry', reason: 'rateLimited', error: error() };
  if (status === 408) return { kind: 'retry', reason: 'timeout', error: error() };
  if (status >= 500 || status === 0) return { kind: 'retry', reason: 'serverError', error: error() };
  if (MAPPING_ERRORS.has(type) && !ctx.deDot) message += DEDOT_HINT;
  return { kind: 'drop', reason: 'clientError', error: error() };
}

/** The whole answer of a `_bulk` that returned 200. */
export function classifyBulkBody(
  body: BulkResponseBody | undefined,
  size: number,
  ctx: ItemContext,
): SendResult {
  if (body?.errors === false) return { kind: 'ok' };
  const items = body?.items;
  // The body is the server's word: check its shape before trusting an index in it.
  if (!Array.isArray(items) || items.length !== size) {
    const got = Array.isArray(items) ? `${items.length} items` : 'no items';
    return {
      kind: 'retry',
      reason: 'serverError',
      error: new SendError(`bulk answer has ${got} for ${size} documents`),
    };
  }
  const retry: number[] = [];
  const drop: { index: number; error: Error; reason: FailureReason }[] = [];
  let retryError: Error | undefined;
  let rateLimited = false;
  for (let index = 0; index < size; index++) {
    const entry = (body as BulkResponseBody).items?.[index];
    const verdict = classifyItem(entry === undefined ? undefined : Object.values(entry)[0], ctx);
    if (verdict.kind === 'retry') {
      retry.push(index);
      retryError ??= verdict.error;
      rateLimited ||= verdict.reason === 'rateLimited';
    } else if (verdict.kind === 'drop') drop.push({ index, error: verdict.error, reason: verdict.reason });
  }
  if (retry.length === 0 && drop.length === 0) return { kind: 'ok' };
  const reason: FailureReason = rateLimited ? 'rateLimited' : 'serverError';
  // Whole-batch verdicts stay whole: the output reports them as one retry or one dead letter.
  if (retry.length === size) {
    const first = retryError?.message ?? '';
    return {
      kind: 'retry',
      reason,
      error: new SendError(size === 1 ? first : `${size} of ${size} items failed (first: ${first})`),
    };
  }
  const only = drop[0];
  if (size === 1 && only !== undefined) return { kind: 'drop', reason: only.reason, error: only.error };
  return { kind: 'partial', retry, drop, reason };
}
