// Google's client libraries put the caller's OAuth access token in an `Authorization: Bearer`
// header; a proxy or an API error that echoes the request would carry it into our messages. We
// do not know the token (Application Default Credentials fetch it), so redact it by shape.
import { redactSecrets } from '../common/secrets.ts';

const BEARER = /\b(Bearer)\s+[A-Za-z0-9._~+/-]+=*/gi;
// Google OAuth access tokens start with ya29.; service account private keys are PEM blocks.
const ACCESS_TOKEN = /\bya29\.[A-Za-z0-9._-]+/g;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g;

/** The text with bearer tokens, access tokens, private keys and the given secrets replaced. */
export function redactGoogleCredentials(text: string, secrets: readonly string[] = []): string {
  return redactSecrets(text, secrets)
    .replace(BEARER, '$1 [Redacted]')
    .replace(ACCESS_TOKEN, '[Redacted]')
    .replace(PRIVATE_KEY, '[Redacted private key]');
}
