import type { HmacVerificationOptions, VerificationScheme } from '@hookline/contracts';

/** One webhook request as a verifier sees it. */
export interface VerifyInput {
  /** The body exactly as received: every scheme signs bytes, never a re-serialised value. */
  rawBody: Buffer;
  /** Request headers with lower-case names, as Node gives them. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The absolute URL the provider called (PUBLIC_BASE_URL + path and query); Twilio signs it. */
  url: string;
  /** The trigger's signing secrets, current first, then the previous one during a rotation. */
  secrets: readonly string[];
  toleranceSeconds: number;
  now: Date;
}

export type VerifyFailureCode = 'SIGNATURE_MISSING' | 'SIGNATURE_INVALID' | 'TIMESTAMP_OUT_OF_TOLERANCE';

/**
 * The verdict. `secretIndex` says which secret matched (0 = current, 1 = previous), so a
 * rotation can be watched; null for `none`. A reason names headers and numbers only: never
 * a secret nor the expected signature.
 */
export type VerifyResult = { ok: true; secretIndex: number | null } | { ok: false; code: VerifyFailureCode; reason: string };

export interface Verifier {
  readonly scheme: VerificationScheme;
  verify(input: VerifyInput): VerifyResult;
}

export type { HmacVerificationOptions, VerificationScheme };
