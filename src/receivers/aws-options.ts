// The options every AWS receiver takes besides its resource name. No SDK import: the config
// loader reads these without loading a client.
import { z } from 'zod';

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
