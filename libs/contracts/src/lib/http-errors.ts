/** The one shape of every HTTP error Hookline answers, and the stable codes it may carry. */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'UNAUTHORIZED',
  'SIGNATURE_MISSING',
  'SIGNATURE_INVALID',
  'TIMESTAMP_OUT_OF_TOLERANCE',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'MALFORMED_JSON',
  'NESTING_TOO_DEEP',
  'FORBIDDEN_KEY',
  'EMPTY_BODY',
  'MAPPING_INVALID',
  'MAPPING_NOT_FOUND',
  'SAMPLE_NOT_FOUND',
  'RATE_LIMITED',
  'BROKER_UNAVAILABLE',
  'UPSTREAM_UNAVAILABLE',
  'NOT_READY',
  'VERIFICATION_UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details: unknown[] };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
