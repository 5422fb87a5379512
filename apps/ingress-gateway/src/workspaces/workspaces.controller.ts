import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { validationFailed } from '@hookline/http';
import { AdminTokenGuard } from '../auth/auth.guards';
import { CreateWorkspaceUseCase } from './use-cases/create-workspace.use-case';

@Controller('v1/workspaces')
export class WorkspacesController {
  constructor(private readonly createWorkspace: CreateWorkspaceUseCase) {}

  @Post()
  @HttpCode(201)
  @UseGuards(AdminTokenGuard)
  create(@Body() body: unknown) {
    const name = (body as { name?: unknown } | undefined)?.name;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 200) {
      throw validationFailed([{ pointer: '/name', message: 'must be a non-empty string of at most 200 characters' }]);
    }
    return this.createWorkspace.execute({ name: name.trim() });
  }
}
