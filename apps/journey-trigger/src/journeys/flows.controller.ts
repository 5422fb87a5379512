import { Body, Controller, Headers, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiKeyRoute, bodyValidator, InternalAuthGuard, WorkspaceId } from '@hookline/http';
import { toJsonSafe, type JsonValue } from '@hookline/payload';
import { type TriggerFlowCommand, TriggerFlowUseCase } from './use-cases/trigger-flow.use-case';

const parseTrigger = bodyValidator<Omit<TriggerFlowCommand, 'workspaceId' | 'flowId'>>({
  type: 'object',
  required: ['uniqueId'],
  properties: {
    uniqueId: {
      type: 'object',
      required: ['type', 'value'],
      properties: {
        type: { enum: ['order_id', 'order_name', 'shopify_customer_id', 'phone', 'email', 'external_id'] },
        value: { type: ['string', 'number'], minLength: 1, maxLength: 500 },
      },
      additionalProperties: false,
    },
    variables: { type: 'object' },
    variableSets: { type: 'object' },
    idempotencyKey: { type: 'string', minLength: 1, maxLength: 200 },
  },
  additionalProperties: false,
});

/** `POST /v1/flows/{flowId}/trigger`: start a flow for a customer without a webhook. */
@ApiTags('trigger a flow')
@ApiKeyRoute()
@Controller('v1/flows')
@UseGuards(InternalAuthGuard)
export class FlowsController {
  constructor(private readonly triggerFlow: TriggerFlowUseCase) {}

  @Post(':flowId/trigger')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a flow for a customer without a webhook', description: 'Answered after the broker acknowledged the event; an idempotency key (body or header) starts the flow once.' })
  @ApiBody({ schema: parseTrigger.schema })
  @ApiHeader({ name: 'idempotency-key', required: false })
  @ApiResponse({ status: 202, description: '`{eventId}`' })
  @ApiErrors(422, 503)
  trigger(@WorkspaceId() workspaceId: string, @Param('flowId') flowId: string, @Body() body: unknown, @Headers('idempotency-key') headerKey?: string) {
    // Big integers in variables arrive as bigint (lossless parser) and leave as strings.
    const command = parseTrigger(toJsonSafe((body ?? {}) as JsonValue));
    return this.triggerFlow.execute({ ...command, idempotencyKey: command.idempotencyKey ?? headerKey, workspaceId, flowId });
  }
}
