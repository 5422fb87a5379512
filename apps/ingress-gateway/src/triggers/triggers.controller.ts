import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiKeyRoute, bodyValidator, validationFailed } from '@hookline/http';
import type { TriggerStatus } from '@hookline/contracts';
import { ApiKeyGuard, type AuthenticatedRequest } from '../auth/auth.guards';
import { MAX_TOKEN_GRACE_SECONDS } from '../config/gateway.config';
import { type CreateTriggerCommand, ManageTriggersUseCase, type UpdateTriggerCommand } from './use-cases/manage-triggers.use-case';
import { type RotateTokenCommand, RotateTokenUseCase } from './use-cases/rotate-token.use-case';
import { verificationSchema } from './verification-settings';

const status = { enum: ['listening', 'live', 'paused'] };
const limits = {
  type: 'object',
  properties: {
    maxBodyBytes: { type: 'integer', minimum: 1024, maximum: 10_485_760 },
    ratePerSecond: { type: ['number', 'null'], exclusiveMinimum: 0 },
    burst: { type: ['integer', 'null'], minimum: 1 },
  },
  additionalProperties: false,
};
const unknownCustomer = { enum: ['create', 'park', 'skip'] };
const name = { type: 'string', minLength: 1, maxLength: 200 };

const parseCreate = bodyValidator<Omit<CreateTriggerCommand, 'workspaceId'>>({
  type: 'object',
  required: ['flowId'],
  properties: {
    flowId: { type: 'string', minLength: 1, maxLength: 200 },
    name,
    verification: verificationSchema(true),
    limits,
    dedupe: { type: 'object' },
    unknownCustomer,
  },
  additionalProperties: false,
});

const parseUpdate = bodyValidator<Omit<UpdateTriggerCommand, 'workspaceId' | 'id'>>({
  type: 'object',
  minProperties: 1,
  properties: { status, name, verification: verificationSchema(false), limits, unknownCustomer },
  additionalProperties: false,
});

const parseRotate = bodyValidator<Omit<RotateTokenCommand, 'workspaceId' | 'id'>>({
  type: 'object',
  properties: { graceSeconds: { type: 'integer', minimum: 0, maximum: MAX_TOKEN_GRACE_SECONDS } },
  additionalProperties: false,
});

@ApiTags('triggers')
@ApiKeyRoute()
@Controller('v1/triggers')
@UseGuards(ApiKeyGuard)
export class TriggersController {
  constructor(
    private readonly triggers: ManageTriggersUseCase,
    private readonly rotateToken: RotateTokenUseCase,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a trigger for a flow', description: 'It starts `listening`: samples are captured, no journey starts. The answer carries the webhook URL, shown this once.' })
  @ApiBody({ schema: parseCreate.schema })
  @ApiResponse({ status: 201, description: 'the trigger, with `url` (absolute, ready to paste)' })
  @ApiErrors(422)
  create(@Req() req: AuthenticatedRequest, @Body() body: unknown) {
    return this.triggers.create({ ...parseCreate(body), workspaceId: req.workspaceId! });
  }

  @Get()
  @ApiOperation({ summary: "The workspace's triggers, newest first (cursor paging)" })
  @ApiQuery({ name: 'flowId', required: false })
  @ApiQuery({ name: 'status', required: false, enum: ['listening', 'live', 'paused'] })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiResponse({ status: 200, description: '`{items: [trigger], nextCursor}`' })
  @ApiErrors(400, 422)
  list(@Req() req: AuthenticatedRequest, @Query('flowId') flowId?: string, @Query('status') statusFilter?: string, @Query('cursor') cursor?: string, @Query('limit') limit?: string) {
    if (statusFilter && !['listening', 'live', 'paused'].includes(statusFilter)) throw validationFailed([{ pointer: '/status', message: 'must be listening, live or paused' }]);
    const size = limit ? Number(limit) : 50;
    if (!Number.isInteger(size) || size < 1 || size > 200) throw validationFailed([{ pointer: '/limit', message: 'must be an integer from 1 to 200' }]);
    return this.triggers.list(req.workspaceId!, { flowId, status: statusFilter as TriggerStatus | undefined, cursor, limit: size });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One trigger (`url` is null: only its hash is kept)' })
  @ApiResponse({ status: 200, description: 'the trigger' })
  @ApiErrors(404)
  get(@Req() req: AuthenticatedRequest, @Param('id') id: string) {
    return this.triggers.get(req.workspaceId!, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the status (listening, live, paused) and settings' })
  @ApiBody({ schema: parseUpdate.schema })
  @ApiResponse({ status: 200, description: 'the trigger' })
  @ApiErrors(404, 409, 422)
  update(@Req() req: AuthenticatedRequest, @Param('id') id: string, @Body() body: unknown) {
    return this.triggers.update({ ...parseUpdate(body), workspaceId: req.workspaceId!, id });
  }

  @Post(':id/rotate-token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Issue a new URL; the old one keeps working for a grace period' })
  @ApiBody({ required: false, schema: parseRotate.schema })
  @ApiResponse({ status: 200, description: 'the trigger with its new `url` and `previousUrlValidUntil`' })
  @ApiErrors(404, 422)
  rotate(@Req() req: AuthenticatedRequest, @Param('id') id: string, @Body() body: unknown) {
    return this.rotateToken.execute({ ...parseRotate(body), workspaceId: req.workspaceId!, id });
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a trigger: its URL then answers 404' })
  @ApiResponse({ status: 204, description: 'deleted' })
  @ApiErrors(404)
  async remove(@Req() req: AuthenticatedRequest, @Param('id') id: string): Promise<void> {
    await this.triggers.delete(req.workspaceId!, id);
  }
}
