import type { HmacVerificationOptions, VerificationScheme, Verifier } from './verification.types';
import { ok } from './signatures';
import { HmacVerifier } from './verifiers/hmac.verifier';
import { StandardWebhooksVerifier } from './verifiers/standard-webhooks.verifier';
import { StripeVerifier } from './verifiers/stripe.verifier';
import { TwilioVerifier } from './verifiers/twilio.verifier';

/** The URL's token is the only credential. */
const NONE: Verifier = { scheme: 'none', verify: () => ok(null) };

/** A provider whose signature is an HMAC-SHA256 of the raw body in one header. */
function bodyHmac(scheme: VerificationScheme, header: string, encoding: 'hex' | 'base64', prefix = ''): Verifier {
  return new HmacVerifier(scheme, { header, algorithm: 'sha256', encoding, prefix, timestampHeader: null, timestampSeparator: '' });
}

/**
 * The verifier of a trigger's scheme. Providers without a timestamp in their signature
 * (Shopify, WooCommerce, GitHub, Razorpay, Twilio) cannot be protected against replays
 * here; their delivery ids make a replay a duplicate downstream instead.
 */
export function verifierFor(scheme: VerificationScheme, hmacOptions: HmacVerificationOptions | null): Verifier {
  switch (scheme) {
    case 'none':
      return NONE;
    case 'standard-webhooks':
      return new StandardWebhooksVerifier();
    case 'stripe':
      return new StripeVerifier();
    case 'twilio':
      return new TwilioVerifier();
    // X-Shopify-Hmac-Sha256: base64(HMAC-SHA256(app secret, raw body)).
    case 'shopify':
      return bodyHmac('shopify', 'x-shopify-hmac-sha256', 'base64');
    // X-WC-Webhook-Signature: base64(HMAC-SHA256(webhook secret, raw body)).
    case 'woocommerce':
      return bodyHmac('woocommerce', 'x-wc-webhook-signature', 'base64');
    // X-Hub-Signature-256: "sha256=" + hex(HMAC-SHA256(secret, raw body)).
    case 'github':
      return bodyHmac('github', 'x-hub-signature-256', 'hex', 'sha256=');
    // X-Razorpay-Signature: hex(HMAC-SHA256(webhook secret, raw body)).
    case 'razorpay':
      return bodyHmac('razorpay', 'x-razorpay-signature', 'hex');
    case 'hmac':
      if (!hmacOptions) throw new Error('the hmac scheme needs its options (header, algorithm, encoding)');
      return new HmacVerifier('hmac', hmacOptions);
  }
}

/** Headers that carry a scheme's signature material: never forwarded with an accepted event. */
export function signatureHeaders(scheme: VerificationScheme, hmacOptions: HmacVerificationOptions | null): string[] {
  return scheme === 'hmac' && hmacOptions ? [hmacOptions.header] : [];
}
