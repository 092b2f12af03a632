// AWS receivers — the SDK client configuration they share (default
// credential chain, SDK retries off so the output's policy is the only one, HTTP/1.1 handler)
// and the redaction of credentials from every message.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { redactSecrets, urlSecrets } from '../common/secrets.ts';
import type { AwsOptions } from './options.ts';

/** The credentials the SDK resolved (only to hide an echo of them). */
export interface Credentials {
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly sessionToken?: string;
}

/** What the SDK client constructors share; credentials come from the default provider chain. */
export function awsClientConfig(opts: AwsOptions) {
  // The Kinesis client defaults to an HTTP/2 handler (for SubscribeToShard), which fails
  // against local endpoints; PutRecords and PutRecordBatch are plain HTTP/1.1 calls.
  const requestHandler = new NodeHttpHandler({
    connectionTimeout: opts.timeoutMs,
    requestTimeout: opts.timeoutMs,
    throwOnRequestTimeout: true,
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 50 }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 50 }),
  });
  return {
    maxAttempts: 1,
    requestHandler,
    ...(opts.region === undefined ? {} : { region: opts.region }),
    ...(opts.endpoint === undefined ? {} : { endpoint: opts.endpoint }),
  };
}

// Long-term and temporary access key ids: never worth showing, whatever the service echoes.
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/g;
const SIGNATURE = /\b(Signature|Credential|X-Amz-Security-Token)=[^,\s&]+/gi;

/** Keeps credentials out of a message: known values, key ids and signature fragments. */
export class AwsRedactor {
  private readonly secrets: string[];

  constructor(endpoint: string | undefined) {
    this.secrets = endpoint === undefined ? [] : urlSecrets(endpoint);
  }

  /** Remembers the resolved credentials so an echo of them is hidden too. */
  learn(credentials: Credentials | undefined): void {
    for (const value of [credentials?.accessKeyId, credentials?.secretAccessKey, credentials?.sessionToken]) {
      if (value !== undefined && value !== '' && !this.secrets.includes(value)) this.secrets.push(value);
    }
  }

  redact(text: string): string {
    return redactSecrets(text, this.secrets)
      .replace(ACCESS_KEY_ID, '[Redacted]')
      .replace(SIGNATURE, '$1=[Redacted]');
  }
}

/** Resolves the client's credentials after a failure so an echo of them can be hidden. */
export async function learnCredentials(
  credentials: () => Promise<Credentials>,
  redactor: AwsRedactor,
): Promise<void> {
  try {
    redactor.learn(await credentials());
  } catch {
    // No credentials at all: nothing to hide.
  }
}
