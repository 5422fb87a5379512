import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiKeyRoute, InternalAuthGuard, validationFailed, WorkspaceId } from '@hookline/http';
import { EVENT_STATUSES, EventLogRepository, type EventStatus } from './event-log.repository';
import { ReplayEventUseCase } from './use-cases/replay-event.use-case';

/** The trigger's event log: every request and what became of it. */
@ApiTags('event log')
@ApiKeyRoute()
@ApiErrors(404)
@Controller('v1/triggers/:triggerId/events')
@UseGuards(InternalAuthGuard)
export class EventsController {
  constructor(
    private readonly events: EventLogRepository,
    private readonly replayEvent: ReplayEventUseCase,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The event log: every request and what became of it, newest first' })
  @ApiQuery({ name: 'status', required: false, enum: [...EVENT_STATUSES] })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiResponse({ status: 200, description: '`{items: [{eventId, status, reason, receivedAt, deliveryId, mappingVersion, outputEventId, customerId, history}], nextCursor}`' })
  @ApiErrors(400, 422)
  list(@WorkspaceId() workspaceId: string, @Param('triggerId') triggerId: string, @Query('status') status?: string, @Query('cursor') cursor?: string, @Query('limit') limit?: string) {
    if (status && !(EVENT_STATUSES as readonly string[]).includes(status)) throw validationFailed([{ pointer: '/status', message: `must be one of ${EVENT_STATUSES.join(', ')}` }]);
    const size = limit ? Number(limit) : 50;
    if (!Number.isInteger(size) || size < 1 || size > 200) throw validationFailed([{ pointer: '/limit', message: 'must be an integer from 1 to 200' }]);
    return this.events.page(workspaceId, triggerId, { status: status as EventStatus | undefined, cursor, limit: size });
  }

  @Post(':eventId/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Run a recorded event through mapping and triggering again (deduped like any delivery)' })
  @ApiResponse({ status: 202, description: '`{eventId}`: the original event id' })
  @ApiErrors(409)
  replay(@WorkspaceId() workspaceId: string, @Param('triggerId') triggerId: string, @Param('eventId') eventId: string) {
    return this.replayEvent.execute({ workspaceId, triggerId, eventId });
  }
}
