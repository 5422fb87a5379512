import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { deterministicEventId, type JourneyTriggeredV1, TOPICS, type TriggerMappedV1 } from '@hookline/contracts';
import { PermanentMessageError } from '@hookline/kafka';
import { EventLogRepository } from '../../events/event-log.repository';
import { Outbox } from '../../outbox/outbox';
import { IdentityRepository } from '../identity.repository';

/**
 * Decides, once, whether a mapped event starts a journey: in one transaction it claims the
 * (workspace, trigger or "api", dedupe key) in the ledger, resolves the customer, writes the
 * `journey triggered` message to the outbox and records the outcome in the event log. A
 * second event with the same key is recorded as a duplicate and starts nothing.
 */
@Injectable()
export class TriggerJourneyUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly identity: IdentityRepository,
    private readonly events: EventLogRepository,
    private readonly outbox: Outbox,
  ) {}

  async execute(mapped: TriggerMappedV1): Promise<void> {
    const logBase = {
      eventId: mapped.source.eventId,
      workspaceId: mapped.workspaceId,
      triggerId: mapped.triggerId,
      receivedAt: mapped.source.receivedAt,
      deliveryId: mapped.source.deliveryId,
      mappingVersion: mapped.mappingVersion,
    };
    if (mapped.disposition === 'skip') {
      await this.events.record({ ...logBase, status: 'skipped', reason: mapped.reason });
      return;
    }
    if (!mapped.uniqueId) throw new PermanentMessageError('UNIQUE_ID_MISSING', 'a mapped event to trigger has no unique id');
    const uniqueId = mapped.uniqueId;
    const scope = mapped.triggerId ?? 'api';
    // Derived from what makes the start unique, so any retry yields the same output event id.
    const outputId = deterministicEventId('journey', mapped.workspaceId, scope, mapped.dedupeKey);

    await this.dataSource.transaction(async (tx) => {
      // Claim the start first: a concurrent event with the same key waits on this row and
      // then finds it taken, and a duplicate never creates a customer.
      const claimed = (await tx.query(
        `INSERT INTO journey.ledger (workspace_id, scope, dedupe_key, source_event_id, output_event_id)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING output_event_id`,
        [mapped.workspaceId, scope, mapped.dedupeKey, mapped.source.eventId, outputId],
      )) as unknown[];
      if (claimed.length === 0) {
        const [first] = (await tx.query('SELECT source_event_id, output_event_id, customer_id FROM journey.ledger WHERE workspace_id = $1 AND scope = $2 AND dedupe_key = $3', [
          mapped.workspaceId,
          scope,
          mapped.dedupeKey,
        ])) as Array<{ source_event_id: string; output_event_id: string; customer_id: string | null }>;
        // The same event consumed again (a redelivery inside Hookline) is not a duplicate delivery.
        if (first?.source_event_id === mapped.source.eventId) return;
        await this.events.record({ ...logBase, status: 'duplicate', reason: `already started by event ${first?.source_event_id}`, outputEventId: first?.output_event_id, customerId: first?.customer_id }, tx);
        return;
      }
      const customer = await this.identity.resolveOrCreate(tx, mapped.workspaceId, uniqueId.type, uniqueId.value);
      await tx.query('UPDATE journey.ledger SET customer_id = $4 WHERE workspace_id = $1 AND scope = $2 AND dedupe_key = $3', [mapped.workspaceId, scope, mapped.dedupeKey, customer.id]);
      const message: JourneyTriggeredV1 = {
        eventId: outputId,
        type: 'journey.triggered',
        version: 1,
        occurredAt: new Date().toISOString(),
        workspaceId: mapped.workspaceId,
        triggerId: mapped.triggerId,
        flowId: mapped.flowId,
        source: mapped.source,
        customer: { id: customer.id, identifiers: { [uniqueId.type]: uniqueId.value }, created: customer.created },
        variables: mapped.variables,
        variableSets: mapped.variableSets,
        mappingVersion: mapped.mappingVersion,
      };
      await this.outbox.add(tx, TOPICS.JOURNEY_TRIGGERED, customer.id, message);
      await this.events.record({ ...logBase, status: 'triggered', reason: null, outputEventId: outputId, customerId: customer.id }, tx);
    });
    this.outbox.flush();
  }
}
