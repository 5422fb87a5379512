import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ADMIN_TOKEN_AUTH, ApiErrors, validationFailed } from '@hookline/http';
import { AdminTokenGuard } from '../auth/auth.guards';
import { CreateWorkspaceUseCase } from './use-cases/create-workspace.use-case';

@ApiTags('workspaces')
@Controller('v1/workspaces')
export class WorkspacesController {
  constructor(private readonly createWorkspace: CreateWorkspaceUseCase) {}

  @Post()
  @HttpCode(201)
  @UseGuards(AdminTokenGuard)
  @ApiOperation({ summary: 'Create a workspace and its first API key', description: "Called with the operator's admin token (HOOKLINE_ADMIN_TOKEN), not an API key. The key is shown once." })
  @ApiBearerAuth(ADMIN_TOKEN_AUTH)
  @ApiBody({ schema: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 200 } }, additionalProperties: false } })
  @ApiResponse({ status: 201, description: '`{id, name, apiKey}`' })
  @ApiErrors(401, 422)
  create(@Body() body: unknown) {
    const name = (body as { name?: unknown } | undefined)?.name;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 200) {
      throw validationFailed([{ pointer: '/name', message: 'must be a non-empty string of at most 200 characters' }]);
    }
    return this.createWorkspace.execute({ name: name.trim() });
  }
}
