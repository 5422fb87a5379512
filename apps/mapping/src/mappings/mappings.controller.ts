import { Body, Controller, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import type { VariableSetCatalogView } from '@hookline/contracts';
import { bodyValidator, InternalAuthGuard, WorkspaceId } from '@hookline/http';
import { VARIABLE_SETS } from '@hookline/mapping-rules';
import { toJsonSafe, type JsonValue } from '@hookline/payload';
import { ManageMappingUseCase, type PreviewCommand } from './use-cases/manage-mapping.use-case';

const parsePreview = bodyValidator<Omit<PreviewCommand, 'workspaceId' | 'triggerId'>>({
  type: 'object',
  properties: {
    sampleId: { type: 'string', minLength: 1 },
    body: {},
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    query: { type: 'object', additionalProperties: { type: 'string' } },
    mapping: { type: 'object' },
  },
  not: { required: ['sampleId', 'body'] },
  additionalProperties: false,
});

/** HTTP in (forwarded by the gateway, which checked the trigger belongs to the workspace). */
@Controller('v1')
@UseGuards(InternalAuthGuard)
export class MappingsController {
  constructor(private readonly mappings: ManageMappingUseCase) {}

  @Get('triggers/:triggerId/mapping')
  get(@WorkspaceId() workspaceId: string, @Param('triggerId') triggerId: string) {
    return this.mappings.get(workspaceId, triggerId);
  }

  @Put('triggers/:triggerId/mapping')
  put(@WorkspaceId() workspaceId: string, @Param('triggerId') triggerId: string, @Body() body: unknown) {
    return this.mappings.put(workspaceId, triggerId, body);
  }

  @Post('triggers/:triggerId/mapping/preview')
  @HttpCode(200)
  async preview(@WorkspaceId() workspaceId: string, @Param('triggerId') triggerId: string, @Body() body: unknown) {
    // Validate the shape on a JSON-safe copy; the body itself keeps its big integers.
    parsePreview(toJsonSafe((body ?? {}) as JsonValue));
    const command = (body ?? {}) as Omit<PreviewCommand, 'workspaceId' | 'triggerId'>;
    return this.mappings.preview({ ...command, workspaceId, triggerId });
  }

  @Get('variable-sets')
  variableSets(): VariableSetCatalogView {
    return { items: Object.entries(VARIABLE_SETS).map(([name, set]) => ({ name, ...set })) };
  }
}
