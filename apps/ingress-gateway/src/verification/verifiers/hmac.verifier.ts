import type { HmacVerificationOptions, VerificationScheme, Verifier, VerifyInput, VerifyResult } from '../verification.types';
import { decodeSignature, headerValue, hmac, invalid, matchingSecret, missing, noMatch, ok, outsideTolerance, parseTimestamp } from '../signatures';

/**
 * An HMAC of the raw body (optionally of `<timestamp><separator><body>`) in one header, hex
 * or base64, maybe behind a prefix such as `sha256=`. The generic `hmac` scheme, and the
 * shape of Shopify, WooCommerce, GitHub and Razorpay too (see verifier-for.ts).
 */
export class HmacVerifier implements Verifier {
  constructor(
    readonly scheme: VerificationScheme,
    private readonly options: HmacVerificationOptions,
  ) {}

  verify({ rawBody, headers, secrets, toleranceSeconds, now }: VerifyInput): VerifyResult {
    const { header, prefix, encoding, algorithm, timestampHeader, timestampSeparator } = this.options;
    const value = headerValue(headers, header);
    if (!value) return missing(`no ${header} header`);

    let timestamp: { text: string; seconds: number } | null = null;
    if (timestampHeader) {
      const text = headerValue(headers, timestampHeader);
      if (!text) return missing(`no ${timestampHeader} header`);
      const seconds = parseTimestamp(text, true);
      if (seconds === null) return invalid(`${timestampHeader} is not a Unix timestamp`);
      timestamp = { text, seconds };
    }

    if (prefix && value.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) return invalid(`${header} does not start with "${prefix}"`);
    const signature = decodeSignature(value.slice(prefix.length), encoding);
    if (!signature) return invalid(`${header} is not a ${encoding} signature`);

    const signed = (secret: string) => (timestamp ? hmac(algorithm, secret, timestamp.text, timestampSeparator, rawBody) : hmac(algorithm, secret, rawBody));
    const index = matchingSecret(secrets, signed, [signature]);
    if (index === null) return noMatch(header, secrets.length);
    // Checked after the signature, so the reason tells a late genuine request from a forgery.
    const late = timestamp ? outsideTolerance(timestamp.seconds, now, toleranceSeconds) : null;
    return late ?? ok(index);
  }
}
