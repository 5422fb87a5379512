import type { NextFunction, Request, Response } from 'express';
import { parseBody, PayloadError } from '@hookline/payload';
import { ApiException } from './api-exception';

/**
 * A JSON body parser for management requests that keeps every digit of big integers (as
 * bigint), unlike express.json. Used where a request may carry payload-like data (mapping
 * previews, trigger-a-flow variables).
 */
export function losslessJsonBody(limitBytes = 1_048_576) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'DELETE') return next();
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes && !failed) {
        failed = true;
        next(new ApiException(413, 'PAYLOAD_TOO_LARGE', `request body exceeds ${limitBytes} bytes`));
      } else if (!failed) chunks.push(chunk);
    });
    req.on('end', () => {
      if (failed) return;
      if (size === 0) {
        req.body = undefined;
        return next();
      }
      try {
        req.body = parseBody(Buffer.concat(chunks), req.header('content-type') ?? 'application/json');
        next();
      } catch (error) {
        if (error instanceof PayloadError) next(new ApiException(error.code === 'UNSUPPORTED_MEDIA_TYPE' ? 415 : 400, error.code, error.message));
        else next(error);
      }
    });
    req.on('error', next);
  };
}
