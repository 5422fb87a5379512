import { Controller, Delete, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiKeyGuard, type AuthenticatedRequest } from '../auth/auth.guards';
import { sha256 } from '../auth/secrets';
import { ManageApiKeysUseCase } from './use-cases/manage-api-keys.use-case';

@Controller('v1/api-keys')
@UseGuards(ApiKeyGuard)
export class ApiKeysController {
  constructor(private readonly keys: ManageApiKeysUseCase) {}

  @Post()
  @HttpCode(201)
  create(@Req() req: AuthenticatedRequest) {
    return this.keys.create(req.workspaceId!);
  }

  @Get()
  list(@Req() req: AuthenticatedRequest) {
    return this.keys.list(req.workspaceId!);
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@Req() req: AuthenticatedRequest, @Param('id') id: string): Promise<void> {
    const presented = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1] ?? '';
    await this.keys.revoke(req.workspaceId!, id, sha256(presented));
  }
}
