import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { TOPICS, type TriggerConfigV1 } from '@hookline/contracts';
import { EventProducer } from '@hookline/kafka';
import type { TriggerEntity } from './trigger.entity';

/** Publishes a trigger's current configuration on the compacted config topic (tombstone on delete). */
@Injectable()
export class TriggerConfigPublisher {
  constructor(private readonly producer: EventProducer) {}

  async publish(t: TriggerEntity): Promise<void> {
    const value: TriggerConfigV1 = {
      eventId: randomUUID(),
      type: 'trigger.config',
      version: 1,
      occurredAt: new Date().toISOString(),
      workspaceId: t.workspaceId,
      triggerId: t.id,
      flowId: t.flowId,
      name: t.name,
      status: t.status,
      unknownCustomer: t.unknownCustomer,
      updatedAt: t.updatedAt.toISOString(),
    };
    await this.producer.send(TOPICS.TRIGGER_CONFIG, [{ key: t.id, value }]);
  }

  async publishDeleted(triggerId: string): Promise<void> {
    await this.producer.send(TOPICS.TRIGGER_CONFIG, [{ key: triggerId, value: null }]);
  }
}
