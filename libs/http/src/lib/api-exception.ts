import { HttpException } from '@nestjs/common';
import type { ErrorBody, ErrorCode } from '@hookline/contracts';

/** The one exception type of HTTP handlers: a status, a stable code, a message, details. */
export class ApiException extends HttpException {
  constructor(
    status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: unknown[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super({ error: { code, message, details } } satisfies ErrorBody, status);
  }
}

export const notFound = (what = 'resource') => new ApiException(404, 'NOT_FOUND', `${what} not found`);
export const badRequest = (message: string, details: unknown[] = []) => new ApiException(400, 'BAD_REQUEST', message, details);
export const validationFailed = (details: Array<{ pointer: string; message: string }>) =>
  new ApiException(422, 'VALIDATION_FAILED', details.map((d) => `${d.pointer || '/'} ${d.message}`).join('; '), details);
