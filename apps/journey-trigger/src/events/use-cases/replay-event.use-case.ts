import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TOPICS, type WebhookReceivedV1 } from '@hookline/contracts';
import { ApiException, notFound } from '@hookline/http';
import { EventProducer, ProduceFailedError } from '@hookline/kafka';
import { TriggersProjection } from '../../triggers/triggers.projection';

export interface ReplayEventCommand {
  workspaceId: string;
  triggerId: string;
  eventId: string;
}

/**
 * `POST /v1/triggers/{id}/events/{eventId}/replay`: re-publishes a kept accepted request to
 * hookline.webhook.received.v1 with its original event id (so the ledger dedupes it like any
 * delivery) and the trigger's current status (so a paused-then-live trigger's event maps and
 * triggers). Answers once the broker acknowledged the write.
 */
@Injectable()
export class ReplayEventUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly triggers: TriggersProjection,
    private readonly producer: EventProducer,
  ) {}

  async execute(command: ReplayEventCommand): Promise<{ eventId: string }> {
    const [event] = (await this.dataSource.query('SELECT status FROM journey.events WHERE workspace_id = $1 AND trigger_id = $2 AND event_id = $3', [
      command.workspaceId,
      command.triggerId,
      command.eventId,
    ])) as Array<{ status: string }>;
    if (!event) throw notFound('event');
    if (event.status === 'triggered' || event.status === 'duplicate') throw new ApiException(409, 'CONFLICT', `the event is ${event.status}: replaying it would start nothing`);
    const [kept] = (await this.dataSource.query('SELECT message FROM journey.replayable WHERE workspace_id = $1 AND trigger_id = $2 AND event_id = $3 AND kept_until > now()', [
      command.workspaceId,
      command.triggerId,
      command.eventId,
    ])) as Array<{ message: WebhookReceivedV1 }>;
    if (!kept) throw new ApiException(409, 'CONFLICT', `the event is ${event.status} and its request is not kept (rejected at the edge, received while listening, or past its retention)`);
    const trigger = await this.triggers.settingsOf(command.triggerId);
    if (!trigger || trigger.deleted) throw notFound('trigger');
    if (trigger.status === 'listening') throw new ApiException(409, 'CONFLICT', 'the trigger is listening: make it live to replay events');
    const message: WebhookReceivedV1 = { ...kept.message, triggerStatus: trigger.status, replayedAt: new Date().toISOString() };
    try {
      await this.producer.send(TOPICS.WEBHOOK_RECEIVED, [{ key: message.eventId, value: message }]);
    } catch (error) {
      if (error instanceof ProduceFailedError) throw new ApiException(503, 'BROKER_UNAVAILABLE', 'the replay could not be stored; retry later', [], { 'Retry-After': '5' });
      throw error;
    }
    return { eventId: message.eventId };
  }
}
