import { createHash, hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Random identifiers and secrets, and the hashes we store instead of them. */
export const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url')}`;
/** 256 random bits: the part of a webhook URL or API key that proves the caller holds it. */
export const newSecret = () => randomBytes(32).toString('base64url');
export const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');
/** The same digest as bytes, in one call (the webhook route hashes every request's token). */
export const sha256Bytes = (value: string): Buffer => hash('sha256', value, 'buffer');

export function sameHash(hexA: string, hexB: string): boolean {
  const a = Buffer.from(hexA, 'hex');
  const b = Buffer.from(hexB, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
