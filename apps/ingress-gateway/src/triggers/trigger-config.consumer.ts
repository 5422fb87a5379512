import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@hookline/contracts';
import { MessageHandler, type RawKafkaMessage } from '@hookline/kafka';
import { TriggerCache } from './trigger-cache';

/** Kafka in: every trigger's current config, into this replica's cache for the webhook route. */
@Controller()
export class TriggerConfigConsumer {
  constructor(
    private readonly handler: MessageHandler,
    private readonly cache: TriggerCache,
  ) {}

  @EventPattern(TOPICS.TRIGGER_CONFIG)
  onConfig(@Payload() raw: RawKafkaMessage) {
    return this.handler.handle(TOPICS.TRIGGER_CONFIG, raw, async (config) => {
      if (raw.key) this.cache.apply(raw.key, config);
    });
  }
}
