import { createHmac, timingSafeEqual } from 'node:crypto';
import type { VerifyResult } from './verification.types';

/** The small pieces every scheme is built from: headers, HMACs, strict decoding, constant-time matching, clocks. */

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** The first value of a header, trimmed; undefined when absent or blank. */
export function headerValue(headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  return text ? text : undefined;
}

export function hmac(algorithm: HmacAlgorithm, key: string | Buffer, ...parts: Array<string | Buffer>): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Decodes a signature written by the provider; null when it is not well-formed in that encoding (Buffer.from alone skips bad characters). */
export function decodeSignature(text: string, encoding: 'hex' | 'base64'): Buffer | null {
  if (text.length > 1_024) return null;
  if (encoding === 'hex') return HEX.test(text) ? Buffer.from(text, 'hex') : null;
  return BASE64.test(text) ? Buffer.from(text, 'base64') : null;
}

/**
 * Which secret signed the request: the index of the first secret whose expected signature
 * equals one of the signatures given, or null. Every pair is compared, each in constant
 * time, so the answer's timing says nothing about how close a forgery came.
 */
export function matchingSecret(secrets: readonly string[], expectedFor: (secret: string) => Buffer, given: readonly Buffer[]): number | null {
  let found: number | null = null;
  secrets.forEach((secret, index) => {
    const expected = expectedFor(secret);
    for (const signature of given) {
      const equal = signature.length === expected.length && timingSafeEqual(signature, expected);
      if (equal && found === null) found = index;
    }
  });
  return found;
}

export const ok = (secretIndex: number | null): VerifyResult => ({ ok: true, secretIndex });
export const missing = (reason: string): VerifyResult => ({ ok: false, code: 'SIGNATURE_MISSING', reason });
export const invalid = (reason: string): VerifyResult => ({ ok: false, code: 'SIGNATURE_INVALID', reason });

export function noMatch(header: string, secretCount: number): VerifyResult {
  const which = secretCount > 1 ? `any of the trigger's ${secretCount} secrets` : "the trigger's secret";
  return invalid(`${header} does not match the request signed with ${which}`);
}

/**
 * Parses a Unix timestamp. With `allowMilliseconds`, values of 12 digits or more are read as
 * milliseconds (some providers send those); otherwise as seconds.
 */
export function parseTimestamp(text: string, allowMilliseconds = false): number | null {
  if (!/^\d{1,16}$/.test(text)) return null;
  const value = Number(text);
  return allowMilliseconds && value >= 100_000_000_000 ? value / 1_000 : value;
}

/** A replay or a skewed clock: refused when the signed time is more than the tolerance away from now, either way. */
export function outsideTolerance(timestampSeconds: number, now: Date, toleranceSeconds: number): VerifyResult | null {
  const skew = Math.round(Math.abs(now.getTime() / 1_000 - timestampSeconds));
  if (skew <= toleranceSeconds) return null;
  return { ok: false, code: 'TIMESTAMP_OUT_OF_TOLERANCE', reason: `the signed timestamp is ${skew} s away from the gateway's clock; the tolerance is ${toleranceSeconds} s` };
}
