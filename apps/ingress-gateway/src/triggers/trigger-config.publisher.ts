import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { TOPICS, type TriggerConfigV1 } from '@hookline/contracts';
import { EventProducer, ProduceFailedError } from '@hookline/kafka';
import { ApiException } from '@hookline/http';
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
    await this.send(t.id, value);
  }

  async publishDeleted(triggerId: string): Promise<void> {
    await this.send(triggerId, null);
  }

  /** A change the broker did not take is rolled back and answered 503: the caller may retry. */
  private async send(triggerId: string, value: TriggerConfigV1 | null): Promise<void> {
    try {
      await this.producer.send(TOPICS.TRIGGER_CONFIG, [{ key: triggerId, value }]);
    } catch (error) {
      if (error instanceof ProduceFailedError) throw new ApiException(503, 'BROKER_UNAVAILABLE', 'the change could not be published; retry later', [], { 'Retry-After': '5' });
      throw error;
    }
  }
}
