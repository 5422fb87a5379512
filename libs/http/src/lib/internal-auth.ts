import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable, Inject } from '@nestjs/common';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Request } from 'express';
import { ApiException } from './api-exception';

/**
 * The gateway authenticates API keys and checks that a trigger belongs to the caller's
 * workspace; it forwards management calls to the owning service with these headers. The
 * owning services accept only calls that carry the internal token, and still scope every
 * query by the forwarded workspace id.
 */
export const INTERNAL_HEADERS = {
  TOKEN: 'x-hookline-internal-token',
  WORKSPACE_ID: 'x-hookline-workspace-id',
} as const;

export const INTERNAL_TOKEN = Symbol('INTERNAL_TOKEN');

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

@Injectable()
export class InternalAuthGuard implements CanActivate {
  constructor(@Inject(INTERNAL_TOKEN) private readonly token: string) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const presented = request.header(INTERNAL_HEADERS.TOKEN);
    const workspaceId = request.header(INTERNAL_HEADERS.WORKSPACE_ID);
    if (!presented || !sameSecret(presented, this.token) || !workspaceId) {
      throw new ApiException(401, 'UNAUTHORIZED', 'missing or invalid credentials');
    }
    return true;
  }
}

/** The caller's workspace, as authenticated by the gateway. */
export const WorkspaceId = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<Request>();
  return request.header(INTERNAL_HEADERS.WORKSPACE_ID) ?? '';
});
