import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@hookline/contracts';
import { MessageHandler, type RawKafkaMessage } from '@hookline/kafka';
import { SamplesRepository } from './samples.repository';
import { RecordSampleUseCase } from './use-cases/record-sample.use-case';

/** Kafka in: accepted webhooks become samples; a deleted trigger's samples are forgotten. */
@Controller()
export class SamplesConsumer {
  constructor(
    private readonly handler: MessageHandler,
    private readonly recordSample: RecordSampleUseCase,
    private readonly samples: SamplesRepository,
  ) {}

  @EventPattern(TOPICS.WEBHOOK_RECEIVED)
  onWebhookReceived(@Payload() raw: RawKafkaMessage) {
    return this.handler.handle(TOPICS.WEBHOOK_RECEIVED, raw, async (event) => {
      if (event) await this.recordSample.execute(event);
    });
  }

  @EventPattern(TOPICS.TRIGGER_MAPPING)
  onTriggerMapping(@Payload() raw: RawKafkaMessage) {
    return this.handler.handle(TOPICS.TRIGGER_MAPPING, raw, async (m) => {
      if (m) await this.samples.saveMappedPaths(m.workspaceId, m.triggerId, m.mappingVersion, m.paths, m.updatedAt);
    });
  }

  @EventPattern(TOPICS.TRIGGER_CONFIG)
  onTriggerConfig(@Payload() raw: RawKafkaMessage) {
    return this.handler.handle(TOPICS.TRIGGER_CONFIG, raw, async (config) => {
      if (config === null && raw.key) await this.samples.forgetTrigger(raw.key);
    });
  }
}
