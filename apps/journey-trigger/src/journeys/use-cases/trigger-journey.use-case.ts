import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { deterministicEventId, type JourneyTriggeredV1, TOPICS, type TriggerMappedV1, type UniqueIdType, type UnknownCustomerPolicy } from '@hookline/contracts';
import type { Statement } from '@hookline/persistence';
import { PermanentMessageError } from '@hookline/kafka';
import { normalizeIdentifier } from '@hookline/mapping-rules';
import { JOURNEY_CONFIG, type JourneyConfig } from '../../config/journey.config';
import { EventLogRepository } from '../../events/event-log.repository';
import { Outbox } from '../../outbox/outbox';
import { type Identifier, identifierKey, IdentityRepository } from '../identity.repository';

/** The `customer` variable set's fields that identify a customer, and the identifier type each one is. */
const CUSTOMER_SET_IDENTIFIERS: ReadonlyArray<[field: string, type: UniqueIdType]> = [
  ['email', 'email'],
  ['phone', 'phone'],
  ['externalId', 'external_id'],
];

/** The identifiers an event carries, normalised: its unique id first (it wins a conflict), then the customer variable set's. */
export function identifiersOfEvent(mapped: TriggerMappedV1): Identifier[] {
  const out: Identifier[] = mapped.uniqueId ? [{ type: mapped.uniqueId.type, value: mapped.uniqueId.value }] : [];
  const customer = mapped.variableSets['customer'];
  if (customer && typeof customer === 'object' && !Array.isArray(customer)) {
    for (const [field, type] of CUSTOMER_SET_IDENTIFIERS) {
      const raw = (customer as Record<string, unknown>)[field];
      if (raw === undefined || raw === null || raw === '') continue;
      // A value mapping let through that is not a valid identifier is kept as a variable, not linked.
      const normalized = normalizeIdentifier(type, raw);
      if (normalized.ok) out.push({ type, value: normalized.value });
    }
  }
  return out;
}

export interface TriggerOptions {
  /** The event was parked and its customer is now known: it triggers whatever the trigger's policy says now. */
  releasing?: boolean;
}

/**
 * Decides, once, whether a mapped event starts a journey: in one transaction it claims the
 * (workspace, trigger or "api", dedupe key) in the ledger, links the event's identifiers to
 * one customer, writes the `journey triggered` message to the outbox and records the outcome
 * in the event log. A second event with the same key is recorded as a duplicate and starts
 * nothing. An event of an unknown customer under the trigger's `skip` or `park` policy gives
 * its claim back (see docs/architecture.md, "Unknown customers").
 */
/** What every event-log record of a mapped event carries: it is logged under the webhook's (or API call's) event id. */
function eventLogBase(mapped: TriggerMappedV1) {
  return {
    eventId: mapped.source.eventId,
    workspaceId: mapped.workspaceId,
    triggerId: mapped.triggerId,
    receivedAt: mapped.source.receivedAt,
    deliveryId: mapped.source.deliveryId,
    mappingVersion: mapped.mappingVersion,
  };
}

@Injectable()
export class TriggerJourneyUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly identity: IdentityRepository,
    private readonly events: EventLogRepository,
    private readonly outbox: Outbox,
    @Inject(JOURNEY_CONFIG) private readonly config: Pick<JourneyConfig, 'PARK_TTL_SECONDS'>,
  ) {}

  async execute(mapped: TriggerMappedV1, options: TriggerOptions = {}): Promise<void> {
    const logBase = eventLogBase(mapped);
    if (mapped.disposition === 'skip') {
      await this.events.record({ ...logBase, status: 'skipped', reason: mapped.reason });
      return;
    }
    if (!mapped.uniqueId) throw new PermanentMessageError('UNIQUE_ID_MISSING', 'a mapped event to trigger has no unique id');
    const scope = mapped.triggerId ?? 'api';
    // Derived from what makes the start unique, so any retry yields the same output event id.
    const outputId = deterministicEventId('journey', mapped.workspaceId, scope, mapped.dedupeKey);
    const identifiers = identifiersOfEvent(mapped);

    const linked = await this.dataSource.transaction(async (tx) => {
      if (options.releasing) await tx.query('DELETE FROM journey.parked WHERE event_id = $1', [mapped.source.eventId]);
      // Claim the start first: a concurrent event with the same key waits on this row and
      // then finds it taken, and a duplicate never creates a customer. The same round trip
      // reads the trigger's policy for an unknown customer.
      const claimed = (await tx.query(
        `INSERT INTO journey.ledger (workspace_id, scope, dedupe_key, source_event_id, output_event_id)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
         RETURNING output_event_id, (SELECT unknown_customer FROM journey.triggers WHERE trigger_id = $6) AS unknown_customer`,
        [mapped.workspaceId, scope, mapped.dedupeKey, mapped.source.eventId, outputId, mapped.triggerId],
      )) as Array<{ output_event_id: string; unknown_customer: UnknownCustomerPolicy | null }>;
      if (claimed.length === 0) {
        const [first] = (await tx.query('SELECT source_event_id, output_event_id, customer_id FROM journey.ledger WHERE workspace_id = $1 AND scope = $2 AND dedupe_key = $3', [
          mapped.workspaceId,
          scope,
          mapped.dedupeKey,
        ])) as Array<{ source_event_id: string; output_event_id: string; customer_id: string | null }>;
        // The same event consumed again (a redelivery inside Hookline) is not a duplicate delivery.
        if (first?.source_event_id === mapped.source.eventId) return null;
        await this.events.record(
          { ...logBase, status: 'duplicate', reason: `already started by event ${first?.source_event_id}`, outputEventId: first?.output_event_id, customerId: first?.customer_id },
          tx,
          this.forgetReplayable(mapped),
        );
        return null;
      }
      const policy = options.releasing ? 'create' : (claimed[0]!.unknown_customer ?? 'create');
      const link = await this.identity.link(tx, mapped.workspaceId, identifiers, { createIfUnknown: policy === 'create' });
      if (!link) {
        await this.holdUnknown(tx, mapped, scope, identifiers, policy === 'park' ? 'park' : 'skip');
        return null;
      }
      const message: JourneyTriggeredV1 = {
        eventId: outputId,
        type: 'journey.triggered',
        version: 1,
        occurredAt: new Date().toISOString(),
        workspaceId: mapped.workspaceId,
        triggerId: mapped.triggerId,
        flowId: mapped.flowId,
        source: mapped.source,
        customer: { id: link.customerId, identifiers: link.identifiers, created: link.created },
        variables: mapped.variables,
        variableSets: mapped.variableSets,
        mappingVersion: mapped.mappingVersion,
      };
      // The start's record in one round trip: its ledger entry's customer, the message in the
      // outbox, the kept request forgotten, and the outcome in the event log.
      await this.events.record({ ...logBase, status: 'triggered', reason: null, outputEventId: outputId, customerId: link.customerId, conflicts: link.conflicts }, tx, [
        {
          sql: 'UPDATE journey.ledger SET customer_id = $4 WHERE workspace_id = $1 AND scope = $2 AND dedupe_key = $3',
          params: [mapped.workspaceId, scope, mapped.dedupeKey, link.customerId],
        },
        this.outbox.statement(TOPICS.JOURNEY_TRIGGERED, link.customerId, message),
        ...this.forgetReplayable(mapped),
      ]);
      return link;
    });
    if (!linked) return;
    this.outbox.flush();
    // Identifiers this event made known may be what parked events wait for (only new ones can be:
    // a parked event waits for identifiers nobody had; the sweep covers a release that raced its parking).
    await this.releaseParked(mapped.workspaceId, linked.linked);
  }

  /**
   * Triggers the events parked for any of these identifier keys ("type:value"), each through
   * the same ledger path as a fresh delivery. Returns how many were released.
   */
  async releaseParked(workspaceId: string, keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const rows = (await this.dataSource.query('SELECT message FROM journey.parked WHERE workspace_id = $1 AND identifier_keys && $2::text[] ORDER BY parked_at LIMIT 500', [
      workspaceId,
      keys,
    ])) as Array<{ message: TriggerMappedV1 }>;
    for (const r of rows) await this.execute(r.message, { releasing: true });
    return rows.length;
  }

  /** A started or duplicate event is never replayed: its kept request (personal data) goes. */
  private forgetReplayable(mapped: TriggerMappedV1): Statement[] {
    return mapped.source.kind === 'webhook' ? [{ sql: 'DELETE FROM journey.replayable WHERE event_id = $1', params: [mapped.source.eventId] }] : [];
  }

  /** An unknown customer under `skip` or `park`: the claim is given back, so a later release or replay can start the journey. */
  private async holdUnknown(tx: EntityManager, mapped: TriggerMappedV1, scope: string, identifiers: Identifier[], policy: 'park' | 'skip'): Promise<void> {
    await tx.query('DELETE FROM journey.ledger WHERE workspace_id = $1 AND scope = $2 AND dedupe_key = $3', [mapped.workspaceId, scope, mapped.dedupeKey]);
    const log = eventLogBase(mapped);
    if (policy === 'skip') {
      await this.events.record({ ...log, status: 'skipped', reason: 'UNKNOWN_CUSTOMER' }, tx);
      return;
    }
    await tx.query(
      `INSERT INTO journey.parked (event_id, workspace_id, trigger_id, identifier_keys, message, expires_at)
       VALUES ($1, $2, $3, $4::text[], $5::jsonb, now() + make_interval(secs => $6)) ON CONFLICT (event_id) DO NOTHING`,
      [mapped.source.eventId, mapped.workspaceId, mapped.triggerId, identifiers.map(identifierKey), JSON.stringify(mapped), this.config.PARK_TTL_SECONDS],
    );
    await this.events.record({ ...log, status: 'parked', reason: 'UNKNOWN_CUSTOMER: waiting for the customer to become known' }, tx);
  }
}
