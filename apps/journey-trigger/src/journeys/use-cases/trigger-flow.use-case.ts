import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { TOPICS, type TriggerMappedV1, type UniqueIdType } from '@hookline/contracts';
import { ApiException } from '@hookline/http';
import { EventProducer, ProduceFailedError } from '@hookline/kafka';
import { normalizeIdentifier } from '@hookline/mapping-rules';

export interface TriggerFlowCommand {
  workspaceId: string;
  flowId: string;
  uniqueId: { type: UniqueIdType; value: string | number };
  variables?: Record<string, unknown>;
  variableSets?: Record<string, unknown>;
  idempotencyKey?: string;
}

/**
 * Trigger-a-flow without a webhook: the call becomes a mapped event on the same topic a
 * webhook's would, so it is deduplicated, resolved and published exactly as webhooks are.
 * Answers only after the broker acknowledged the event.
 */
@Injectable()
export class TriggerFlowUseCase {
  constructor(private readonly producer: EventProducer) {}

  async execute(command: TriggerFlowCommand): Promise<{ eventId: string }> {
    const normalized = normalizeIdentifier(command.uniqueId.type, command.uniqueId.value);
    if (!normalized.ok) throw new ApiException(422, 'VALIDATION_FAILED', `uniqueId.value: ${normalized.reason}`, [{ pointer: '/uniqueId/value', message: normalized.reason }]);
    const eventId = uuidv7();
    const now = new Date().toISOString();
    const message: TriggerMappedV1 = {
      eventId,
      type: 'trigger.mapped',
      version: 1,
      occurredAt: now,
      workspaceId: command.workspaceId,
      triggerId: null,
      flowId: command.flowId,
      source: { kind: 'api', eventId, receivedAt: now, deliveryId: command.idempotencyKey ?? null },
      disposition: 'trigger',
      reason: null,
      mappingVersion: null,
      uniqueId: { type: command.uniqueId.type, value: normalized.value },
      variables: command.variables ?? {},
      variableSets: command.variableSets ?? {},
      dedupeKey: command.idempotencyKey ? `idempotency:${command.idempotencyKey}` : `event:${eventId}`,
    };
    try {
      await this.producer.send(TOPICS.TRIGGER_MAPPED, [{ key: `${command.workspaceId}:${command.uniqueId.type}:${normalized.value}`, value: message }]);
    } catch (error) {
      if (error instanceof ProduceFailedError) throw new ApiException(503, 'BROKER_UNAVAILABLE', 'the event could not be stored; retry later', [], { 'Retry-After': '5' });
      throw error;
    }
    return { eventId };
  }
}
