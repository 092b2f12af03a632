// The options every AWS receiver takes besides its resource name. No SDK import: the config
// loader reads these without loading a client.
import { z } from 'zod';
import type { TemplatedOption } from './types.ts';

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Options every AWS receiver takes besides its resource name. */
export const awsOptionShape = {
  /** Unset: the SDK's chain (AWS_REGION, the shared config file, ...). */
  region: z.string().min(1).optional(),
  /** A local or compatible service (kinesalite, LocalStack, a VPC endpoint). */
  endpoint: z.string().refine(isHttpUrl, { message: 'must be an http:// or https:// URL' }).optional(),
  timeoutMs: z.int().min(1).default(10_000),
};

export interface AwsOptions {
  readonly region?: string | undefined;
  readonly endpoint?: string | undefined;
  readonly timeoutMs: number;
}

/** The templated FIFO ids of SQS and SNS (`messageGroupId`, `messageDeduplicationId`) that are set. */
export function fifoIdTemplates(opts: {
  readonly messageGroupId?: string | undefined;
  readonly messageDeduplicationId?: string | undefined;
}): TemplatedOption[] {
  return (['messageGroupId', 'messageDeduplicationId'] as const).flatMap((key) => {
    const source = opts[key];
    return source === undefined ? [] : [{ path: [key], source }];
  });
}
