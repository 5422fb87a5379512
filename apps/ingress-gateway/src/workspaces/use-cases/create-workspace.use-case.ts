import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId, newSecret, sha256 } from '../../auth/secrets';
import { ApiKeyEntity, WorkspaceEntity } from '../workspace.entity';

export interface CreatedWorkspace {
  id: string;
  name: string;
  apiKey: string;
}

/** Creates a workspace with its first API key; the key is returned once and stored hashed. */
@Injectable()
export class CreateWorkspaceUseCase {
  constructor(private readonly dataSource: DataSource) {}

  async execute(command: { name: string }): Promise<CreatedWorkspace> {
    const workspace = { id: newId('ws'), name: command.name };
    const apiKey = `hk_${newSecret()}`;
    await this.dataSource.transaction(async (tx) => {
      await tx.getRepository(WorkspaceEntity).insert(workspace);
      await tx.getRepository(ApiKeyEntity).insert({
        id: newId('key'),
        workspaceId: workspace.id,
        keyHash: sha256(apiKey),
        keyPrefix: apiKey.slice(0, 7),
        revokedAt: null,
      });
    });
    return { ...workspace, apiKey };
  }
}
