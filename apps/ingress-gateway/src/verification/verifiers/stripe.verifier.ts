import type { Verifier, VerifyInput, VerifyResult } from '../verification.types';
import { decodeSignature, headerValue, hmac, invalid, matchingSecret, missing, noMatch, ok, outsideTolerance, parseTimestamp } from '../signatures';

const HEADER = 'stripe-signature';
const MAX_SIGNATURES = 16;

/**
 * Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`, each v1 an HMAC-SHA256 of
 * `<t>.<raw body>` under the endpoint secret (`whsec_…`, used as is). Stripe itself sends
 * several v1 values while an endpoint secret is being rolled.
 */
export class StripeVerifier implements Verifier {
  readonly scheme = 'stripe' as const;

  verify({ rawBody, headers, secrets, toleranceSeconds, now }: VerifyInput): VerifyResult {
    const value = headerValue(headers, HEADER);
    if (!value) return missing(`no ${HEADER} header`);
    let timestamp: string | undefined;
    const signatures: Buffer[] = [];
    for (const item of value.split(',')) {
      const at = item.indexOf('=');
      if (at < 0) continue;
      const key = item.slice(0, at).trim();
      const part = item.slice(at + 1).trim();
      if (key === 't') timestamp = part;
      else if (key === 'v1' && signatures.length < MAX_SIGNATURES) {
        const signature = decodeSignature(part, 'hex');
        if (signature) signatures.push(signature);
      }
    }
    const seconds = timestamp === undefined ? null : parseTimestamp(timestamp);
    if (timestamp === undefined || seconds === null) return invalid(`${HEADER} has no valid t= timestamp`);
    if (signatures.length === 0) return invalid(`${HEADER} has no v1= signature`);

    const index = matchingSecret(secrets, (secret) => hmac('sha256', secret, timestamp, '.', rawBody), signatures);
    if (index === null) return noMatch(HEADER, secrets.length);
    return outsideTolerance(seconds, now, toleranceSeconds) ?? ok(index);
  }
}
