import { Controller, Delete, Get, HttpCode, Param, Query, UseGuards } from '@nestjs/common';
import { InternalAuthGuard, validationFailed, WorkspaceId } from '@hookline/http';
import { ManageSamplesUseCase } from './use-cases/manage-samples.use-case';

/** HTTP in (forwarded by the gateway, which checked the trigger belongs to the workspace). */
@Controller('v1/triggers/:triggerId')
@UseGuards(InternalAuthGuard)
export class SamplesController {
  constructor(private readonly samples: ManageSamplesUseCase) {}

  @Get('samples')
  list(@WorkspaceId() workspaceId: string, @Param('triggerId') triggerId: string, @Query('cursor') cursor?: string, @Query('limit') limit?: string, @Query('include') include?: string) {
    const size = limit ? Number(limit) : 20;
    if (!Number.isInteger(size) || size < 1 || size > 100) throw validationFailed([{ pointer: '/limit', message: 'must be an integer from 1 to 100' }]);
    return this.samples.list(workspaceId, triggerId, cursor, size, include === 'raw');
  }

  @Get('samples/:sampleId')
  get(@WorkspaceId() workspaceId: string, @Param('triggerId') triggerId: string, @Param('sampleId') sampleId: string, @Query('include') include?: string) {
    return this.samples.get(workspaceId, triggerId, sampleId, include === 'raw');
  }

  @Delete('samples')
  @HttpCode(204)
  async deleteAll(@WorkspaceId() workspaceId: string, @Param('triggerId') triggerId: string): Promise<void> {
    await this.samples.delete(workspaceId, triggerId);
  }

  @Delete('samples/:sampleId')
  @HttpCode(204)
  async deleteOne(@WorkspaceId() workspaceId: string, @Param('triggerId') triggerId: string, @Param('sampleId') sampleId: string): Promise<void> {
    await this.samples.delete(workspaceId, triggerId, sampleId);
  }

  @Get('drift')
  drift(@WorkspaceId() workspaceId: string, @Param('triggerId') triggerId: string) {
    return this.samples.drift(workspaceId, triggerId);
  }

  @Get('variables')
  variables(@WorkspaceId() workspaceId: string, @Param('triggerId') triggerId: string) {
    return this.samples.variables(workspaceId, triggerId);
  }
}
