export type PayloadErrorCode =
  | 'MALFORMED_JSON'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'NESTING_TOO_DEEP'
  | 'FORBIDDEN_KEY'
  | 'EMPTY_BODY';

/** Why a body could not be turned into a JsonValue. `pointer` (RFC 6901) says where, when known. */
export class PayloadError extends Error {
  override readonly name = 'PayloadError';

  constructor(
    readonly code: PayloadErrorCode,
    message: string,
    readonly pointer?: string,
  ) {
    super(message);
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
