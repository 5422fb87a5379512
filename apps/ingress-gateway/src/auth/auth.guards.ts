import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource, IsNull } from 'typeorm';
import { ApiException } from '@hookline/http';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { ApiKeyEntity } from '../workspaces/workspace.entity';
import { sameHash, sha256 } from './secrets';

export interface AuthenticatedRequest extends Request {
  workspaceId?: string;
}

function bearer(req: Request): string | null {
  const header = req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : null;
}

const unauthorized = () => new ApiException(401, 'UNAUTHORIZED', 'missing or invalid API key');

/** Resolves an API key to its workspace. Keys are looked up by hash and cached briefly. */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, { workspaceId: string; until: number }>();

  constructor(private readonly dataSource: DataSource) {}

  async workspaceOf(req: Request): Promise<string> {
    const key = bearer(req);
    if (!key || key.length > 200) throw unauthorized();
    const hash = sha256(key);
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.workspaceId;
    const found = await this.dataSource.getRepository(ApiKeyEntity).findOne({ where: { keyHash: hash, revokedAt: IsNull() } });
    if (!found) throw unauthorized();
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { workspaceId: found.workspaceId, until: Date.now() + 30_000 });
    return found.workspaceId;
  }

  /** Drops a revoked key from the cache at once (other replicas forget it within 30 s). */
  forget(keyHash: string): void {
    this.cache.delete(keyHash);
  }
}

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly authenticator: ApiKeyAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    req.workspaceId = await this.authenticator.workspaceOf(req);
    return true;
  }
}

/** The operator's token (HOOKLINE_ADMIN_TOKEN) guards workspace creation. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly hash: string;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.hash = sha256(config.HOOKLINE_ADMIN_TOKEN);
  }

  canActivate(context: ExecutionContext): boolean {
    const token = bearer(context.switchToHttp().getRequest<Request>());
    if (!token || !sameHash(sha256(token), this.hash)) throw new ApiException(401, 'UNAUTHORIZED', 'missing or invalid admin token');
    return true;
  }
}
