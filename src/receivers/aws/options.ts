// Options every AWS receiver takes besides its resource name (region, endpoint, timeoutMs).
// No SDK import: the config loader reads these without loading a client.
import { httpUrl, timeoutMs } from '../common/options.ts';
import { z } from 'zod';
import type { TemplatedOption } from '../common/types.ts';

/** Options every AWS receiver takes besides its resource name. */
export const awsOptionShape = {
  /** Unset: the SDK's chain (AWS_REGION, the shared config file, ...). */
  region: z.string().min(1).optional(),
  /** A local or compatible service (kinesalite, LocalStack, a VPC endpoint). */
  endpoint: httpUrl.optional(),
  timeoutMs: timeoutMs(10_000),
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
