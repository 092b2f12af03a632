// What a kafkajs error means for the events of a send. kafkajs wraps errors as they leave its
// own retrier (KafkaJSNumberOfRetriesExceeded, KafkaJSNonRetriableError with `cause`), so the
// decision looks at the whole cause chain, by name and `type` (the broker's error name) rather
// than instanceof, which a second copy of kafkajs would break.
import type { FailureReason } from '../common/types.ts';

export type Scope = 'batch' | 'topic' | 'message';

export type Classified =
  | {
      readonly kind: 'retry';
      readonly reason: FailureReason;
      readonly message: string;
      readonly reset: boolean;
    }
  | {
      readonly kind: 'drop';
      readonly reason: FailureReason;
      readonly message: string;
      readonly scope: Scope;
    };

/** Broker answers that no retry fixes, and what they are about. */
const PERMANENT: Readonly<Record<string, Scope>> = {
  MESSAGE_TOO_LARGE: 'message',
  RECORD_LIST_TOO_LARGE: 'message',
  INVALID_RECORD: 'message',
  CORRUPT_MESSAGE: 'message',
  TOPIC_AUTHORIZATION_FAILED: 'topic',
  INVALID_TOPIC_EXCEPTION: 'topic',
  POLICY_VIOLATION: 'topic',
  CLUSTER_AUTHORIZATION_FAILED: 'batch',
  UNSUPPORTED_COMPRESSION_TYPE: 'batch',
  UNSUPPORTED_FOR_MESSAGE_FORMAT: 'batch',
};

/** The idempotent producer's state is out of step with the broker: retry with a new producer id. */
const PRODUCER_STATE = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'DUPLICATE_SEQUENCE_NUMBER',
  'INVALID_PRODUCER_EPOCH',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_ID_MAPPING',
]);

const CONNECTION_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSStaleTopicMetadataAssignment',
]);

interface ErrorLike {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly type?: unknown;
  readonly retriable?: unknown;
  readonly cause?: unknown;
}

/** The error and its causes, outermost first (bounded: causes can loop). */
export function causeChain(err: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  let current: unknown = err;
  while (
    typeof current === 'object' &&
    current !== null &&
    chain.length < 8 &&
    !chain.includes(current as ErrorLike)
  ) {
    chain.push(current as ErrorLike);
    current = (current as ErrorLike).cause;
  }
  return chain;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The broker error (KafkaJSProtocolError `type`) deepest in the chain, if any. */
function protocolType(chain: readonly ErrorLike[]): string | undefined {
  for (let i = chain.length - 1; i >= 0; i--) {
    const type = chain[i]?.type;
    if (typeof type === 'string' && type !== '') return type;
  }
  return undefined;
}

function describe(chain: readonly ErrorLike[]): string {
  const names = chain.map((e) => text(e.name)).filter((n) => n.startsWith('KafkaJS'));
  const inner = chain[chain.length - 1] ?? {};
  const name = text(inner.name) || names[0] || 'Error';
  const type = protocolType(chain);
  return `${name}${type ? ` ${type}` : ''}: ${text(inner.message) || text(chain[0]?.message)}`;
}

/** Retry or drop for one kafkajs error; `message` is not yet redacted. */
export function classifyKafkaError(err: unknown): Classified {
  const chain = causeChain(err);
  const message = describe(chain);
  const type = protocolType(chain);
  const names = new Set(chain.map((e) => text(e.name)));
  if (type !== undefined) {
    const scope = PERMANENT[type];
    if (scope !== undefined) return { kind: 'drop', reason: 'clientError', message, scope };
    if (PRODUCER_STATE.has(type)) return { kind: 'retry', reason: 'serverError', message, reset: true };
    if (type === 'REQUEST_TIMED_OUT') return { kind: 'retry', reason: 'timeout', message, reset: false };
    const protocol = chain.find((e) => e.type === type);
    if (protocol?.retriable === false)
      return { kind: 'drop', reason: 'clientError', message, scope: 'batch' };
    return { kind: 'retry', reason: 'serverError', message, reset: false };
  }
  if (names.has('KafkaJSSASLAuthenticationError'))
    return { kind: 'drop', reason: 'clientError', message, scope: 'batch' };
  if (names.has('KafkaJSRequestTimeoutError'))
    return { kind: 'retry', reason: 'timeout', message, reset: false };
  if ([...names].some((n) => CONNECTION_ERRORS.has(n)))
    return { kind: 'retry', reason: 'network', message, reset: true };
  const last = chain[chain.length - 1];
  // kafkajs's own errors say whether they are worth another try; anything else is our bug.
  if (text(last?.name).startsWith('KafkaJS') || names.has('KafkaJSError')) {
    return last?.retriable === false && !names.has('KafkaJSNumberOfRetriesExceeded')
      ? { kind: 'drop', reason: 'clientError', message, scope: 'batch' }
      : { kind: 'retry', reason: 'network', message, reset: true };
  }
  return { kind: 'retry', reason: 'internal', message, reset: true };
}

/** Kafka's topic name rule (`[a-zA-Z0-9._-]{1,249}`, not `.` or `..`); undefined when legal. */
export function topicProblem(topic: string): string | undefined {
  if (topic === '') return 'the topic template rendered an empty topic';
  if (topic.length > 249) return `topic ${JSON.stringify(topic.slice(0, 40))}… is longer than 249 characters`;
  if (topic === '.' || topic === '..' || !/^[a-zA-Z0-9._-]+$/.test(topic)) {
    return `topic ${JSON.stringify(topic.slice(0, 80))} is not a legal Kafka topic name ([a-zA-Z0-9._-])`;
  }
  return undefined;
}
