import { Controller, Delete, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiKeyRoute } from '@hookline/http';
import { ApiKeyGuard, type AuthenticatedRequest } from '../auth/auth.guards';
import { sha256 } from '../auth/secrets';
import { ManageApiKeysUseCase } from './use-cases/manage-api-keys.use-case';

@ApiTags('workspaces')
@ApiKeyRoute()
@Controller('v1/api-keys')
@UseGuards(ApiKeyGuard)
export class ApiKeysController {
  constructor(private readonly keys: ManageApiKeysUseCase) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: "Issue another API key for the caller's workspace (shown once)" })
  @ApiResponse({ status: 201, description: '`{id, prefix, apiKey, createdAt}`' })
  create(@Req() req: AuthenticatedRequest) {
    return this.keys.create(req.workspaceId!);
  }

  @Get()
  @ApiOperation({ summary: "The workspace's keys, by prefix (never the keys)" })
  @ApiResponse({ status: 200, description: '`{items: [{id, prefix, createdAt, lastUsedAt}]}`' })
  list(@Req() req: AuthenticatedRequest) {
    return this.keys.list(req.workspaceId!);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a key (not the one making the call)' })
  @ApiResponse({ status: 204, description: 'revoked' })
  @ApiErrors(404, 409)
  async revoke(@Req() req: AuthenticatedRequest, @Param('id') id: string): Promise<void> {
    const presented = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1] ?? '';
    await this.keys.revoke(req.workspaceId!, id, sha256(presented));
  }
}
