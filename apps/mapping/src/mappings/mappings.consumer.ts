import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@hookline/contracts';
import { MessageHandler, type RawKafkaMessage } from '@hookline/kafka';
import { MappingsRepository } from './mappings.repository';
import { MapEventUseCase } from './use-cases/map-event.use-case';

/** Kafka in: accepted webhooks to map; the catalog each trigger's mapping is checked against. */
@Controller()
export class MappingsConsumer {
  constructor(
    private readonly handler: MessageHandler,
    private readonly mapEvent: MapEventUseCase,
    private readonly mappings: MappingsRepository,
  ) {}

  @EventPattern(TOPICS.WEBHOOK_RECEIVED)
  onWebhookReceived(@Payload() raw: RawKafkaMessage) {
    return this.handler.handle(TOPICS.WEBHOOK_RECEIVED, raw, async (event) => {
      if (event) await this.mapEvent.execute(event);
    });
  }

  @EventPattern(TOPICS.TRIGGER_SCHEMA)
  onTriggerSchema(@Payload() raw: RawKafkaMessage) {
    return this.handler.handle(TOPICS.TRIGGER_SCHEMA, raw, async (schema) => {
      if (schema === null) {
        if (raw.key) await this.mappings.forgetTrigger(raw.key);
        return;
      }
      await this.mappings.saveCatalog({ triggerId: schema.triggerId, workspaceId: schema.workspaceId, variables: schema.variables, updatedAt: new Date(schema.updatedAt) });
    });
  }
}
