import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { ApiException, notFound } from '@hookline/http';
import { ApiKeyAuthenticator } from '../../auth/auth.guards';
import { newId, newSecret, sha256 } from '../../auth/secrets';
import { ApiKeyEntity } from '../workspace.entity';

const view = (k: ApiKeyEntity) => ({ id: k.id, prefix: k.keyPrefix, createdAt: k.createdAt.toISOString(), revokedAt: k.revokedAt?.toISOString() ?? null });

/** A workspace's API keys: more can be made (shown once), listed by prefix, and revoked. */
@Injectable()
export class ManageApiKeysUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  async create(workspaceId: string) {
    const apiKey = `hk_${newSecret()}`;
    const row = await this.dataSource.getRepository(ApiKeyEntity).save({ id: newId('key'), workspaceId, keyHash: sha256(apiKey), keyPrefix: apiKey.slice(0, 7), revokedAt: null });
    return { ...view(row), apiKey };
  }

  async list(workspaceId: string) {
    const rows = await this.dataSource.getRepository(ApiKeyEntity).find({ where: { workspaceId }, order: { createdAt: 'DESC' } });
    return { items: rows.map(view), nextCursor: null };
  }

  async revoke(workspaceId: string, id: string, callerKeyHash: string): Promise<void> {
    const repo = this.dataSource.getRepository(ApiKeyEntity);
    const key = await repo.findOne({ where: { workspaceId, id, revokedAt: IsNull() } });
    if (!key) throw notFound('API key');
    if (key.keyHash === callerKeyHash) throw new ApiException(409, 'CONFLICT', 'a key cannot revoke itself: use another key of the workspace');
    key.revokedAt = new Date();
    await repo.save(key);
    this.authenticator.forget(key.keyHash);
  }
}
