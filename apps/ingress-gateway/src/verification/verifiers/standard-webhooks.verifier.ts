import type { Verifier, VerifyInput, VerifyResult } from '../verification.types';
import { decodeSignature, headerValue, hmac, invalid, matchingSecret, missing, noMatch, ok, outsideTolerance, parseTimestamp } from '../signatures';

const SECRET_PREFIX = 'whsec_';
const MAX_SIGNATURES = 16;

/** The key bytes of a Standard Webhooks secret: base64 after an optional `whsec_`. */
export function standardWebhooksKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
}

/** A secret this scheme can use: standard base64 (with its padding) of at least one byte, optionally behind `whsec_`. */
export function isStandardWebhooksSecret(secret: string): boolean {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  return /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(encoded) && encoded.length > 0;
}

/**
 * Standard Webhooks (standardwebhooks.com; Svix, Resend, Clerk, …): `webhook-id`,
 * `webhook-timestamp` (Unix seconds) and `webhook-signature`, a space-separated list of
 * `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<raw body>">`. Other versions (`v1a`, …)
 * are ignored.
 */
export class StandardWebhooksVerifier implements Verifier {
  readonly scheme = 'standard-webhooks' as const;

  verify({ rawBody, headers, secrets, toleranceSeconds, now }: VerifyInput): VerifyResult {
    const id = headerValue(headers, 'webhook-id');
    const timestamp = headerValue(headers, 'webhook-timestamp');
    const value = headerValue(headers, 'webhook-signature');
    const absent = [!id && 'webhook-id', !timestamp && 'webhook-timestamp', !value && 'webhook-signature'].filter(Boolean);
    if (!id || !timestamp || !value) return missing(`no ${absent.join(', ')} header`);
    const seconds = parseTimestamp(timestamp);
    if (seconds === null) return invalid('webhook-timestamp is not a Unix timestamp in seconds');

    const signatures = value
      .split(' ')
      .filter((part) => part.startsWith('v1,'))
      .slice(0, MAX_SIGNATURES)
      .map((part) => decodeSignature(part.slice(3), 'base64'))
      .filter((s): s is Buffer => s !== null);
    if (signatures.length === 0) return invalid('webhook-signature has no v1 signature');

    const index = matchingSecret(secrets, (secret) => hmac('sha256', standardWebhooksKey(secret), id, '.', timestamp, '.', rawBody), signatures);
    if (index === null) return noMatch('webhook-signature', secrets.length);
    return outsideTolerance(seconds, now, toleranceSeconds) ?? ok(index);
  }
}
