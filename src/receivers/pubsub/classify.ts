// What a gRPC status from the Pub/Sub API means for the messages of a Publish. Codes by number
// (the gRPC spec's), so this file needs no SDK. Google's own publisher retries the retriable
// codes below; here the output retries them (the client's retries are off).
import type { FailureReason } from '../common/types.ts';

export const GRPC_CODE_NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;
export type GrpcCodeName = (typeof GRPC_CODE_NAMES)[number];

export type GrpcClassified =
  | { readonly kind: 'retry'; readonly reason: FailureReason; readonly message: string }
  | {
      readonly kind: 'drop';
      readonly reason: FailureReason;
      readonly message: string;
      /** The answer may be about one message (its size, its attributes): worth isolating it. */
      readonly perMessage: boolean;
    };

const RETRY: Readonly<Partial<Record<GrpcCodeName, FailureReason>>> = {
  UNAVAILABLE: 'serverError',
  RESOURCE_EXHAUSTED: 'rateLimited',
  DEADLINE_EXCEEDED: 'timeout',
  ABORTED: 'serverError',
  INTERNAL: 'serverError',
  UNKNOWN: 'serverError',
  CANCELLED: 'serverError',
};

const HINTS: Readonly<Partial<Record<GrpcCodeName, string>>> = {
  NOT_FOUND: ' (create the topic, or set create_topic: true)',
  PERMISSION_DENIED: ' (the service account needs roles/pubsub.publisher on the topic)',
  UNAUTHENTICATED: ' (check the Google credentials of the pod)',
};

interface GrpcErrorLike {
  readonly code?: unknown;
  readonly details?: unknown;
  readonly message?: unknown;
}

/** The gRPC code name of an error, or undefined for an error that is not a gRPC status. */
export function grpcCodeName(err: unknown): GrpcCodeName | undefined {
  const code = typeof err === 'object' && err !== null ? (err as GrpcErrorLike).code : undefined;
  return typeof code === 'number' ? GRPC_CODE_NAMES[code] : undefined;
}

/** Retry or drop for one failed call; `message` is not yet redacted. */
export function classifyGrpcError(err: unknown): GrpcClassified {
  const e = (typeof err === 'object' && err !== null ? err : {}) as GrpcErrorLike;
  const name = grpcCodeName(err);
  const details = typeof e.details === 'string' && e.details !== '' ? e.details : String(e.message ?? err);
  if (name === undefined) {
    // No gRPC status: the call never reached the API (credentials lookup, DNS, a closed client).
    return { kind: 'retry', reason: 'network', message: details };
  }
  const message = `${name}: ${details}${HINTS[name] ?? ''}`;
  const retry = RETRY[name];
  if (retry !== undefined) return { kind: 'retry', reason: retry, message };
  return { kind: 'drop', reason: 'clientError', message, perMessage: name === 'INVALID_ARGUMENT' };
}
