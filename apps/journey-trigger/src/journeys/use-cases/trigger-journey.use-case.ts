import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { deterministicEventId, type JourneyTriggeredV1, TOPICS, type TriggerMappedV1, type UniqueIdType, type UnknownCustomerPolicy } from '@hookline/contracts';
import { Coalescer, type Statement } from '@hookline/persistence';
import { PermanentMessageError } from '@hookline/kafka';
import { normalizeIdentifier } from '@hookline/mapping-rules';
import { currentTraceparent, outsideContext, runInContext, type Traceparent } from '@hookline/observability';
import { JOURNEY_CONFIG, type JourneyConfig } from '../../config/journey.config';
import { type EventRecord, EventLogRepository } from '../../events/event-log.repository';
import { Outbox } from '../../outbox/outbox';
import { type Identifier, identifierKey, IdentityRepository, IdentityView, type LinkResult } from '../identity.repository';

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

/** A ledger row's key (workspace, scope, dedupe key) as one string, for lookups in memory. */
const ledgerKey = (workspaceId: string, scope: string, dedupeKey: string) => `${workspaceId}\0${scope}\0${dedupeKey}`;

/** Journey starts decided in one transaction at most. */
const MAX_STARTS_PER_BATCH = 500;

/** A mapped event waiting for its batch, with the trace of the work that handed it in. */
interface PendingStart {
  mapped: TriggerMappedV1;
  traceparent: Traceparent | null;
}

/** Another writer linked one of a batch's new identifiers first: the batch is rolled back and its events decided one by one. */
class IdentityRaceError extends Error {
  constructor() {
    super('an identifier of the batch was linked concurrently');
  }
}

/** Runs `fn` in the unit of work of a batched item, so what it writes carries the item's trace. */
function runInTraceOf<T>(item: PendingStart, fn: () => T): T {
  return item.traceparent ? runInContext({ traceparent: item.traceparent }, fn) : outsideContext(fn);
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
  private readonly logger = new Logger('journeys');

  constructor(
    private readonly dataSource: DataSource,
    private readonly identity: IdentityRepository,
    private readonly events: EventLogRepository,
    private readonly outbox: Outbox,
    @Inject(JOURNEY_CONFIG) private readonly config: Pick<JourneyConfig, 'PARK_TTL_SECONDS'>,
  ) {}

  /**
   * Decides a mapped event. Events decided at the same moment (the records of the batches
   * being consumed) share one transaction (`startBatch`); a released parked event, and an
   * event of a batch that failed, take the transaction of their own (`startOne`). Either
   * way the caller's promise settles once its event's decision has committed.
   */
  async execute(mapped: TriggerMappedV1, options: TriggerOptions = {}): Promise<void> {
    if (mapped.disposition === 'skip') {
      await this.events.record({ ...eventLogBase(mapped), status: 'skipped', reason: mapped.reason });
      return;
    }
    if (!mapped.uniqueId) throw new PermanentMessageError('UNIQUE_ID_MISSING', 'a mapped event to trigger has no unique id');
    if (options.releasing) return this.startOne(mapped, options);
    // The trace travels with the item: the batch runs outside the caller's unit of work.
    return this.starts.add({ mapped, traceparent: currentTraceparent() ?? null });
  }

  private readonly starts = new Coalescer<PendingStart>(MAX_STARTS_PER_BATCH, (items) => this.startBatch(items));

  /** One event's decision in a transaction of its own: race-safe against any concurrent writer. */
  private async startOne(mapped: TriggerMappedV1, options: TriggerOptions = {}): Promise<void> {
    const logBase = eventLogBase(mapped);
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
   * The decisions of many events in one transaction of about six round trips, whatever
   * their number: the claims of all in one statement (in key order, with the triggers'
   * policies), the ledger rows of those already claimed, one lookup of the identity graph,
   * the links resolved in memory event after event (`IdentityView`, so an event sees what an
   * earlier one of the batch linked), the new customers and identifiers in one statement,
   * and every outcome (ledger customer, outbox rows, kept requests forgotten, claims given
   * back, parked rows, event-log records) in one more. Each event's outcome is the one it
   * would have had in a transaction of its own, taken in the batch's order.
   *
   * Items whose claim or event repeats an earlier item's are handed back to the next batch.
   * When another writer linked one of the batch's new identifiers first, the batch rolls
   * back and the Coalescer runs each item alone (`startOne`), which is race-safe.
   */
  private async startBatch(items: PendingStart[]): Promise<PendingStart[]> {
    if (items.length === 1) {
      await runInTraceOf(items[0]!, () => this.startOne(items[0]!.mapped));
      return [];
    }
    const claimKey = (m: TriggerMappedV1) => ledgerKey(m.workspaceId, m.triggerId ?? 'api', m.dedupeKey);
    const batch: PendingStart[] = [];
    const later: PendingStart[] = [];
    const keys = new Set<string>();
    const sources = new Set<string>();
    for (const item of items) {
      const key = claimKey(item.mapped);
      if (keys.has(key) || sources.has(item.mapped.source.eventId)) later.push(item);
      else batch.push(item);
      keys.add(key);
      sources.add(item.mapped.source.eventId);
    }
    const outcome = await this.decideBatch(batch, claimKey).catch((error: unknown) => {
      // The Coalescer decides each event alone now; a batch that keeps failing would cost the
      // batching, so say why (a race with another instance is expected, and rare).
      if (!(error instanceof IdentityRaceError)) this.logger.warn(`a batch of ${batch.length} journey starts failed, deciding each alone: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    });
    if (outcome.started.length > 0) this.outbox.flush();
    // Identifiers the batch made known may be what parked events wait for (see execute), each
    // released in the trace of the event that made it known. A release that fails here is left
    // to the parked sweep: the batch's decisions stand.
    await this.releaseParkedBy(outcome.released.map(({ start, link }) => ({ item: start.item, workspaceId: start.mapped.workspaceId, keys: link.linked }))).catch((error: unknown) =>
      this.logger.warn(`releasing parked events: ${error instanceof Error ? error.message : String(error)}; the parked sweep will`),
    );
    return later;
  }

  /** The batch's transaction (see startBatch): its events' decisions, and those that made identifiers known. */
  private decideBatch(batch: PendingStart[], claimKey: (m: TriggerMappedV1) => string) {
    return this.dataSource.transaction(async (tx) => {
      // Claims in key order: two batches that claim the same keys wait for each other, never deadlock.
      const starts = batch.map((item) => ({ item, mapped: item.mapped, scope: item.mapped.triggerId ?? 'api', key: claimKey(item.mapped) }));
      const byKey = [...starts].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const outputIds = new Map(starts.map((s) => [s.key, deterministicEventId('journey', s.mapped.workspaceId, s.scope, s.mapped.dedupeKey)]));
      const triggerIds = [...new Set(batch.map((i) => i.mapped.triggerId).filter((t): t is string => t !== null))];
      const claimRows = (await tx.query(
        `WITH claimed AS (
           INSERT INTO journey.ledger (workspace_id, scope, dedupe_key, source_event_id, output_event_id)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
           ON CONFLICT DO NOTHING
           RETURNING workspace_id, scope, dedupe_key
         )
         SELECT workspace_id, scope, dedupe_key, NULL::text AS policy FROM claimed
         UNION ALL
         SELECT NULL, trigger_id, NULL, unknown_customer FROM journey.triggers WHERE trigger_id = ANY($6::text[])`,
        [
          byKey.map((s) => s.mapped.workspaceId),
          byKey.map((s) => s.scope),
          byKey.map((s) => s.mapped.dedupeKey),
          byKey.map((s) => s.mapped.source.eventId),
          byKey.map((s) => outputIds.get(s.key)!),
          triggerIds,
        ],
      )) as Array<{ workspace_id: string | null; scope: string; dedupe_key: string | null; policy: UnknownCustomerPolicy | null }>;
      const claimed = new Set<string>();
      const policies = new Map<string, UnknownCustomerPolicy>();
      for (const r of claimRows) {
        if (r.policy === null) claimed.add(ledgerKey(r.workspace_id!, r.scope, r.dedupe_key!));
        else policies.set(r.scope, r.policy);
      }

      const records: EventRecord[] = [];
      const forget: string[] = [];
      // Already claimed: the same event consumed again changes nothing; another event is a duplicate.
      const taken = starts.filter((s) => !claimed.has(s.key));
      if (taken.length > 0) {
        const firsts = (await tx.query(
          `SELECT l.workspace_id, l.scope, l.dedupe_key, l.source_event_id, l.output_event_id, l.customer_id
           FROM journey.ledger l JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(workspace_id, scope, dedupe_key)
             ON l.workspace_id = k.workspace_id AND l.scope = k.scope AND l.dedupe_key = k.dedupe_key`,
          [taken.map((s) => s.mapped.workspaceId), taken.map((s) => s.scope), taken.map((s) => s.mapped.dedupeKey)],
        )) as Array<{ workspace_id: string; scope: string; dedupe_key: string; source_event_id: string; output_event_id: string; customer_id: string | null }>;
        const firstOf = new Map(firsts.map((f) => [ledgerKey(f.workspace_id, f.scope, f.dedupe_key), f]));
        for (const s of taken) {
          const first = firstOf.get(s.key);
          if (first?.source_event_id === s.mapped.source.eventId) continue;
          records.push({ ...eventLogBase(s.mapped), status: 'duplicate', reason: `already started by event ${first?.source_event_id}`, outputEventId: first?.output_event_id, customerId: first?.customer_id });
          if (s.mapped.source.kind === 'webhook') forget.push(s.mapped.source.eventId);
        }
      }

      // The customers, resolved in the batch's order on one read of the graph.
      const deciding = starts.filter((s) => claimed.has(s.key)).map((s) => ({ ...s, identifiers: identifiersOfEvent(s.mapped) }));
      const view = await this.identity.view(tx, IdentityView.wanted(deciding.map((d) => ({ workspaceId: d.mapped.workspaceId, identifiers: d.identifiers }))));
      const started: Array<{ start: (typeof deciding)[number]; link: LinkResult }> = [];
      const held: Array<{ start: (typeof deciding)[number]; policy: 'park' | 'skip' }> = [];
      for (const d of deciding) {
        const policy = (d.mapped.triggerId !== null ? policies.get(d.mapped.triggerId) : undefined) ?? 'create';
        const link = view.resolve(d.mapped.workspaceId, d.identifiers, { createIfUnknown: policy === 'create' });
        if (link) started.push({ start: d, link });
        else held.push({ start: d, policy: policy === 'park' ? 'park' : 'skip' });
      }
      if (!(await this.identity.writeLinks(tx, view))) throw new IdentityRaceError();

      const occurredAt = new Date().toISOString();
      const outbox = started.map(({ start, link }) => {
        const m = start.mapped;
        const message: JourneyTriggeredV1 = {
          eventId: outputIds.get(start.key)!,
          type: 'journey.triggered',
          version: 1,
          occurredAt,
          workspaceId: m.workspaceId,
          triggerId: m.triggerId,
          flowId: m.flowId,
          source: m.source,
          customer: { id: link.customerId, identifiers: link.identifiers, created: link.created },
          variables: m.variables,
          variableSets: m.variableSets,
          mappingVersion: m.mappingVersion,
        };
        records.push({ ...eventLogBase(m), status: 'triggered', reason: null, outputEventId: message.eventId, customerId: link.customerId, conflicts: link.conflicts });
        if (m.source.kind === 'webhook') forget.push(m.source.eventId);
        return { key: link.customerId, message, traceparent: start.item.traceparent };
      });
      for (const { start, policy } of held) {
        records.push({ ...eventLogBase(start.mapped), status: policy === 'skip' ? 'skipped' : 'parked', reason: policy === 'skip' ? 'UNKNOWN_CUSTOMER' : 'UNKNOWN_CUSTOMER: waiting for the customer to become known' });
      }
      const parked = held.filter((h) => h.policy === 'park').map((h) => h.start);
      const statements: Statement[] = [];
      if (started.length > 0) {
        statements.push(
          {
            sql: `UPDATE journey.ledger l SET customer_id = c.customer_id FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS c(workspace_id, scope, dedupe_key, customer_id)
                  WHERE l.workspace_id = c.workspace_id AND l.scope = c.scope AND l.dedupe_key = c.dedupe_key`,
            params: [started.map((s) => s.start.mapped.workspaceId), started.map((s) => s.start.scope), started.map((s) => s.start.mapped.dedupeKey), started.map((s) => s.link.customerId)],
          },
          this.outbox.statementMany(TOPICS.JOURNEY_TRIGGERED, outbox),
        );
      }
      if (forget.length > 0) statements.push({ sql: 'DELETE FROM journey.replayable WHERE event_id = ANY($1::text[])', params: [forget] });
      if (held.length > 0) {
        // An unknown customer under skip or park gives its claim back (see holdUnknown).
        statements.push({
          sql: `DELETE FROM journey.ledger l USING unnest($1::text[], $2::text[], $3::text[]) AS c(workspace_id, scope, dedupe_key)
                WHERE l.workspace_id = c.workspace_id AND l.scope = c.scope AND l.dedupe_key = c.dedupe_key`,
          params: [held.map((h) => h.start.mapped.workspaceId), held.map((h) => h.start.scope), held.map((h) => h.start.mapped.dedupeKey)],
        });
      }
      if (parked.length > 0) {
        statements.push({
          sql: `INSERT INTO journey.parked (event_id, workspace_id, trigger_id, identifier_keys, message, expires_at)
                SELECT event_id, workspace_id, trigger_id, ARRAY(SELECT jsonb_array_elements_text(keys::jsonb)), message::jsonb, now() + make_interval(secs => $6)
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS p(event_id, workspace_id, trigger_id, keys, message)
                ON CONFLICT (event_id) DO NOTHING`,
          params: [
            parked.map((p) => p.mapped.source.eventId),
            parked.map((p) => p.mapped.workspaceId),
            parked.map((p) => p.mapped.triggerId),
            parked.map((p) => JSON.stringify(p.identifiers.map(identifierKey))),
            parked.map((p) => JSON.stringify(p.mapped)),
            this.config.PARK_TTL_SECONDS,
          ],
        });
      }
      await this.events.recordMany(records, tx, statements);
      return { started, released: started.filter((s) => s.link.linked.length > 0) };
    });
  }

  /** releaseParked for the identifiers a batch linked, in one query: each parked event is released in the trace of the first event that made it known. */
  private async releaseParkedBy(linked: Array<{ item: PendingStart; workspaceId: string; keys: string[] }>): Promise<void> {
    const rows = await this.parkedFor(linked.flatMap((l, linker) => l.keys.map((key) => ({ workspaceId: l.workspaceId, key, linker }))));
    for (const r of rows) await runInTraceOf(linked[r.linker]!.item, () => this.startOne(r.message, { releasing: true }));
  }

  /**
   * Triggers the events parked for any of these identifier keys ("type:value"), each through
   * the same ledger path as a fresh delivery. Returns how many were released.
   */
  async releaseParked(workspaceId: string, keys: string[]): Promise<number> {
    const rows = await this.parkedFor(keys.map((key) => ({ workspaceId, key, linker: 0 })));
    for (const r of rows) await this.startOne(r.message, { releasing: true });
    return rows.length;
  }

  /** The events parked for any of these identifiers, oldest first (500 at most), each with the `linker` of the first pair that names one of its keys. */
  private async parkedFor(pairs: Array<{ workspaceId: string; key: string; linker: number }>): Promise<Array<{ message: TriggerMappedV1; linker: number }>> {
    if (pairs.length === 0) return [];
    return (await this.dataSource.query(
      `SELECT message, linker FROM (
         SELECT DISTINCT ON (p.event_id) p.message, p.parked_at, k.linker FROM journey.parked p
         JOIN unnest($1::text[], $2::text[], $3::int[]) AS k(workspace_id, key, linker) ON p.workspace_id = k.workspace_id AND p.identifier_keys @> ARRAY[k.key]
         ORDER BY p.event_id, k.linker
       ) released ORDER BY parked_at LIMIT 500`,
      [pairs.map((p) => p.workspaceId), pairs.map((p) => p.key), pairs.map((p) => p.linker)],
    )) as Array<{ message: TriggerMappedV1; linker: number }>;
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
