import { Controller, Delete, Get, HttpCode, Param, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiKeyRoute, InternalAuthGuard, validationFailed, WorkspaceId } from '@hookline/http';
import { ManageSamplesUseCase } from './use-cases/manage-samples.use-case';

/** HTTP in (forwarded by the gateway, which checked the trigger belongs to the workspace). */
@ApiTags('samples and variables')
@ApiKeyRoute()
@ApiErrors(404)
@Controller('v1/triggers/:triggerId')
@UseGuards(InternalAuthGuard)
export class SamplesController {
  constructor(private readonly samples: ManageSamplesUseCase) {}

  @Get('samples')
  @ApiOperation({ summary: 'Captured samples, newest first (personal data: bounded, deletable)' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } })
  @ApiQuery({ name: 'include', required: false, enum: ['raw'], description: '`raw`: the body as received, too' })
  @ApiResponse({ status: 200, description: '`{items: [sample], nextCursor}`' })
  @ApiErrors(400, 422)
  list(@WorkspaceId() workspaceId: string, @Param('triggerId') triggerId: string, @Query('cursor') cursor?: string, @Query('limit') limit?: string, @Query('include') include?: string) {
    const size = limit ? Number(limit) : 20;
    if (!Number.isInteger(size) || size < 1 || size > 100) throw validationFailed([{ pointer: '/limit', message: 'must be an integer from 1 to 100' }]);
    return this.samples.list(workspaceId, triggerId, cursor, size, include === 'raw');
  }

  @Get('samples/:sampleId')
  @ApiOperation({ summary: 'One sample' })
  @ApiQuery({ name: 'include', required: false, enum: ['raw'] })
  @ApiResponse({ status: 200, description: 'the sample' })
  get(@WorkspaceId() workspaceId: string, @Param('triggerId') triggerId: string, @Param('sampleId') sampleId: string, @Query('include') include?: string) {
    return this.samples.get(workspaceId, triggerId, sampleId, include === 'raw');
  }

  @Delete('samples')
  @HttpCode(204)
  @ApiOperation({ summary: "Forget every sample of the trigger (and its learned profile's examples)" })
  @ApiResponse({ status: 204, description: 'deleted' })
  async deleteAll(@WorkspaceId() workspaceId: string, @Param('triggerId') triggerId: string): Promise<void> {
    await this.samples.delete(workspaceId, triggerId);
  }

  @Delete('samples/:sampleId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Forget one sample' })
  @ApiResponse({ status: 204, description: 'deleted' })
  async deleteOne(@WorkspaceId() workspaceId: string, @Param('triggerId') triggerId: string, @Param('sampleId') sampleId: string): Promise<void> {
    await this.samples.delete(workspaceId, triggerId, sampleId);
  }

  @Get('drift')
  @ApiOperation({ summary: 'Fields that appeared, disappeared or changed type on live traffic' })
  @ApiResponse({ status: 200, description: '`{items: [drift]}`' })
  drift(@WorkspaceId() workspaceId: string, @Param('triggerId') triggerId: string) {
    return this.samples.drift(workspaceId, triggerId);
  }

  @Get('variables')
  @ApiOperation({ summary: 'The variable picker: every path with its types, presence, an example and suggested roles' })
  @ApiResponse({ status: 200, description: '`{sampleCount, schema, variables: [{path, types, presence, example, roles}]}`' })
  variables(@WorkspaceId() workspaceId: string, @Param('triggerId') triggerId: string) {
    return this.samples.variables(workspaceId, triggerId);
  }
}
