import { Injectable } from '@nestjs/common';
import { deterministicEventId, TOPICS, type TriggerMappedV1, type WebhookReceivedV1 } from '@hookline/contracts';
import { BatchingProducer, PermanentMessageError } from '@hookline/kafka';
import { parseBody, PayloadError } from '@hookline/payload';
import { CompiledMappingsCache } from '../compiled-mappings.cache';
import { MappingsRepository } from '../mappings.repository';

/**
 * Maps one accepted webhook of a live trigger with the trigger's current mapping, and
 * hands the result to journey-trigger. A paused trigger's events are passed on as "skip"
 * (recorded, replayable); a listening trigger's events only teach the schema.
 */
@Injectable()
export class MapEventUseCase {
  constructor(
    private readonly mappings: MappingsRepository,
    private readonly compiled: CompiledMappingsCache,
    private readonly producer: BatchingProducer,
  ) {}

  async execute(event: WebhookReceivedV1): Promise<void> {
    if (event.triggerStatus === 'listening') return;
    const base = {
      // A replay is a new mapping of the same source event: its own id, the same source.eventId (so the ledger dedupes it).
      eventId: event.replayedAt ? deterministicEventId('mapped', event.eventId, 'replay', event.replayedAt) : deterministicEventId('mapped', event.eventId),
      type: 'trigger.mapped' as const,
      version: 1 as const,
      occurredAt: new Date().toISOString(),
      workspaceId: event.workspaceId,
      triggerId: event.triggerId,
      flowId: event.flowId,
      source: { kind: 'webhook' as const, eventId: event.eventId, receivedAt: event.receivedAt, deliveryId: event.deliveryId },
    };
    if (event.triggerStatus === 'paused') {
      await this.emit({ ...base, disposition: 'skip', reason: 'TRIGGER_PAUSED', mappingVersion: null, uniqueId: null, variables: {}, variableSets: {}, dedupeKey: event.deliveryId ?? event.eventId }, event.triggerId);
      return;
    }
    const mapping = await this.mappings.latestShared(event.triggerId);
    if (!mapping) throw new PermanentMessageError('MAPPING_NOT_FOUND', `trigger ${event.triggerId} is live but has no mapping`);
    let body;
    try {
      body = parseBody(event.body, event.contentType);
    } catch (error) {
      if (error instanceof PayloadError) throw new PermanentMessageError(error.code, error.message);
      throw error;
    }
    const run = this.compiled.get(mapping.triggerId, mapping.version, mapping.definition);
    const result = run({ body, headers: event.headers, query: event.query });
    if (!result.ok) {
      const first = result.errors[0];
      throw new PermanentMessageError(first?.code ?? 'MAPPING_FAILED', result.errors.map((e) => e.message).join('; '), result.errors);
    }
    const dedupeKey = result.dedupeKey ? `key:${result.dedupeKey}` : event.deliveryId ? `delivery:${event.deliveryId}` : `event:${event.eventId}`;
    const message: TriggerMappedV1 = {
      ...base,
      disposition: result.matched ? 'trigger' : 'skip',
      reason: result.matched ? null : 'FILTER_NOT_MATCHED',
      mappingVersion: mapping.version,
      uniqueId: result.uniqueId.value ? { type: result.uniqueId.type, value: result.uniqueId.value } : null,
      variables: result.variables,
      variableSets: result.variableSets,
      dedupeKey,
    };
    // Keyed by the customer's identity so one customer's events stay in order.
    await this.emit(message, message.uniqueId ? `${event.workspaceId}:${message.uniqueId.type}:${message.uniqueId.value}` : event.triggerId);
  }

  private async emit(message: TriggerMappedV1, key: string): Promise<void> {
    await this.producer.send(TOPICS.TRIGGER_MAPPED, { key, value: message });
  }
}
