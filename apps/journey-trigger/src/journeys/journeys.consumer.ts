import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@hookline/contracts';
import { MessageHandler, type RawKafkaMessage } from '@hookline/kafka';
import { EventLogRepository } from '../events/event-log.repository';
import { RecordReceivedUseCase } from '../events/use-cases/record-received.use-case';
import { TriggersProjection } from '../triggers/triggers.projection';
import { TriggerJourneyUseCase } from './use-cases/trigger-journey.use-case';

/** Kafka in: mapped events to trigger, and every other event's fate for the event log. */
@Controller()
export class JourneysConsumer {
  constructor(
    private readonly handler: MessageHandler,
    private readonly triggerJourney: TriggerJourneyUseCase,
    private readonly events: EventLogRepository,
    private readonly triggers: TriggersProjection,
    private readonly recordReceived: RecordReceivedUseCase,
  ) {}

  @EventPattern(TOPICS.TRIGGER_MAPPED)
  onMapped(@Payload() raw: RawKafkaMessage) {
    return this.handler.handle(TOPICS.TRIGGER_MAPPED, raw, async (mapped) => {
      if (mapped) await this.triggerJourney.execute(mapped);
    });
  }

  @EventPattern(TOPICS.WEBHOOK_RECEIVED)
  onReceived(@Payload() raw: RawKafkaMessage) {
    return this.handler.handle(TOPICS.WEBHOOK_RECEIVED, raw, async (e) => {
      if (e) await this.recordReceived.execute(e);
    });
  }

  @EventPattern(TOPICS.WEBHOOK_REJECTED)
  onRejected(@Payload() raw: RawKafkaMessage) {
    return this.handler.handle(TOPICS.WEBHOOK_REJECTED, raw, async (e) => {
      if (!e) return;
      await this.events.record({ eventId: e.eventId, workspaceId: e.workspaceId, triggerId: e.triggerId, status: 'rejected', reason: `${e.code}: ${e.reason}`, receivedAt: e.receivedAt, deliveryId: e.deliveryId });
    });
  }

  @EventPattern(TOPICS.TRIGGER_FAILED)
  onFailed(@Payload() raw: RawKafkaMessage) {
    return this.handler.handle(TOPICS.TRIGGER_FAILED, raw, async (e) => {
      if (!e || !e.sourceEventId || e.workspaceId === 'unknown') return;
      await this.events.record({ eventId: e.sourceEventId, workspaceId: e.workspaceId, triggerId: e.triggerId, status: 'failed', reason: `${e.code}: ${e.reason}`, receivedAt: e.occurredAt, mappingVersion: e.mappingVersion });
    });
  }

  @EventPattern(TOPICS.TRIGGER_CONFIG)
  onConfig(@Payload() raw: RawKafkaMessage) {
    return this.handler.handle(TOPICS.TRIGGER_CONFIG, raw, async (config) => {
      if (raw.key) await this.triggers.apply(raw.key, config);
    });
  }
}
