import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { ErrorBody, ErrorCode } from '@hookline/contracts';
import { ApiException } from './api-exception';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'VALIDATION_FAILED',
  429: 'RATE_LIMITED',
  503: 'UPSTREAM_UNAVAILABLE',
};

/** Every error leaves as `{ "error": { "code", "message", "details" } }`; internals never leak. */
@Catch()
export class ErrorShapeFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    let status = 500;
    let body: ErrorBody = { error: { code: 'INTERNAL', message: 'internal error', details: [] } };
    if (exception instanceof ApiException) {
      status = exception.getStatus();
      body = exception.getResponse() as ErrorBody;
      for (const [name, value] of Object.entries(exception.headers)) response.setHeader(name, value);
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      const message = exception.message || 'error';
      body = { error: { code: CODE_BY_STATUS[status] ?? (status < 500 ? 'BAD_REQUEST' : 'INTERNAL'), message, details: [] } };
    } else if (isBodyParserError(exception)) {
      status = exception.status;
      const code: ErrorCode = status === 413 ? 'PAYLOAD_TOO_LARGE' : exception.type === 'entity.parse.failed' ? 'MALFORMED_JSON' : 'BAD_REQUEST';
      body = { error: { code, message: exception.message, details: [] } };
    } else {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    response.status(status).json(body);
  }
}

function isBodyParserError(e: unknown): e is { status: number; type: string; message: string } {
  return typeof e === 'object' && e !== null && typeof (e as { status?: unknown }).status === 'number' && typeof (e as { type?: unknown }).type === 'string';
}
