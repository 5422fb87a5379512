import { Body, Controller, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import type { VariableSetCatalogView } from '@hookline/contracts';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiKeyRoute, bodyValidator, InternalAuthGuard, WorkspaceId } from '@hookline/http';
import { MAPPING_DEFINITION_SCHEMA, VARIABLE_SETS } from '@hookline/mapping-rules';
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
@ApiTags('mapping')
@ApiKeyRoute()
@Controller('v1')
@UseGuards(InternalAuthGuard)
export class MappingsController {
  constructor(private readonly mappings: ManageMappingUseCase) {}

  @Get('triggers/:triggerId/mapping')
  @ApiOperation({ summary: "The trigger's latest mapping, with its version" })
  @ApiResponse({ status: 200, description: '`{version, definition, warnings, createdAt}`' })
  @ApiErrors(404)
  get(@WorkspaceId() workspaceId: string, @Param('triggerId') triggerId: string) {
    return this.mappings.get(workspaceId, triggerId);
  }

  @Put('triggers/:triggerId/mapping')
  @ApiOperation({ summary: 'Save a mapping as a new version', description: 'Checked against the mapping format and the variables learned so far: a definition that cannot work is refused with 422 and every problem; unknown paths are warnings.' })
  @ApiBody({ schema: MAPPING_DEFINITION_SCHEMA })
  @ApiResponse({ status: 200, description: '`{version, warnings}`' })
  @ApiErrors(404, 422)
  put(@WorkspaceId() workspaceId: string, @Param('triggerId') triggerId: string, @Body() body: unknown) {
    return this.mappings.put(workspaceId, triggerId, body);
  }

  @Post('triggers/:triggerId/mapping/preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dry run: a mapping (default: the saved one) on a stored sample or a posted body' })
  @ApiBody({ required: false, schema: parsePreview.schema })
  @ApiResponse({ status: 200, description: 'the resolved unique id, variables and variable sets, or the errors' })
  @ApiErrors(404, 422)
  async preview(@WorkspaceId() workspaceId: string, @Param('triggerId') triggerId: string, @Body() body: unknown) {
    // Validate the shape on a JSON-safe copy; the body itself keeps its big integers.
    parsePreview(toJsonSafe((body ?? {}) as JsonValue));
    const command = (body ?? {}) as Omit<PreviewCommand, 'workspaceId' | 'triggerId'>;
    return this.mappings.preview({ ...command, workspaceId, triggerId });
  }

  @Get('variable-sets')
  @ApiOperation({ summary: 'The catalogue of standard variable sets and their fields' })
  @ApiResponse({ status: 200, description: '`{items: [{name, ...fields}]}`' })
  variableSets(): VariableSetCatalogView {
    return { items: Object.entries(VARIABLE_SETS).map(([name, set]) => ({ name, ...set })) };
  }
}
