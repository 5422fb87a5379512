import { Injectable, Optional } from '@nestjs/common';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import type { Counter } from 'prom-client';
import { ServiceMetrics } from '@hookline/observability';
import { badRequest } from '@hookline/http';
import type { EventLogEntry, Page } from '@hookline/contracts';
import { Coalescer, combineStatements, decodeCursor, encodeCursor, type Statement } from '@hookline/persistence';
import type { IdentityConflict } from '../journeys/identity.repository';

export const EVENT_STATUSES = ['accepted', 'rejected', 'mapped', 'triggered', 'duplicate', 'skipped', 'parked', 'failed'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/**
 * Statuses arrive from different topics in any order; the latest status is the one of
 * highest rank (an outcome beats "mapped", which beats "accepted"), and every status is
 * kept in the history.
 */
const RANK: Record<EventStatus, number> = { accepted: 0, mapped: 1, rejected: 2, skipped: 2, parked: 2, failed: 2, duplicate: 3, triggered: 3 };

export interface EventRecord {
  eventId: string;
  workspaceId: string;
  triggerId: string | null;
  status: EventStatus;
  reason?: string | null;
  receivedAt: string;
  deliveryId?: string | null;
  mappingVersion?: number | null;
  outputEventId?: string | null;
  customerId?: string | null;
  /** Identifiers of the event that belong to another customer (never merged). */
  conflicts?: IdentityConflict[] | null;
}

interface EventRow {
  event_id: string;
  status: EventStatus;
  reason: string | null;
  received_at: Date;
  delivery_id: string | null;
  mapping_version: number | null;
  output_event_id: string | null;
  customer_id: string | null;
  conflicts: IdentityConflict[] | null;
  history: Array<{ status: EventStatus; reason: string | null; at: string }>;
}

/** The fates of an event counted in `hookline_events_total` (accepted, mapped and rejected are not outcomes here). */
const OUTCOMES: ReadonlySet<EventStatus> = new Set(['triggered', 'duplicate', 'skipped', 'parked', 'failed']);

const EVENT_COLUMNS = 'event_id, workspace_id, trigger_id, status, rank, reason, received_at, delivery_id, mapping_version, output_event_id, customer_id, history, conflicts';
/** A later status replaces the current one only when it ranks as high or higher; every status is appended to the history. */
const ON_EVENT_CONFLICT = `ON CONFLICT (event_id) DO UPDATE SET
         status = CASE WHEN EXCLUDED.rank >= ev.rank THEN EXCLUDED.status ELSE ev.status END,
         reason = CASE WHEN EXCLUDED.rank >= ev.rank THEN EXCLUDED.reason ELSE ev.reason END,
         rank = GREATEST(ev.rank, EXCLUDED.rank),
         trigger_id = COALESCE(ev.trigger_id, EXCLUDED.trigger_id),
         received_at = LEAST(ev.received_at, EXCLUDED.received_at),
         delivery_id = COALESCE(EXCLUDED.delivery_id, ev.delivery_id),
         mapping_version = COALESCE(EXCLUDED.mapping_version, ev.mapping_version),
         output_event_id = COALESCE(EXCLUDED.output_event_id, ev.output_event_id),
         customer_id = COALESCE(EXCLUDED.customer_id, ev.customer_id),
         conflicts = COALESCE(EXCLUDED.conflicts, ev.conflicts),
         history = ev.history || EXCLUDED.history,
         updated_at = now()`;
/** Accepted records at most per statement. */
const ACCEPTED_PER_STATEMENT = 500;

@Injectable()
export class EventLogRepository {
  private readonly outcomes?: Counter<'outcome'>;
  /** Outcomes recorded inside a transaction: counted when it commits, dropped when it rolls back (and is retried). */
  private readonly pending = new WeakMap<QueryRunner, EventStatus[]>();

  constructor(
    private readonly dataSource: DataSource,
    @Optional() metrics?: ServiceMetrics,
  ) {
    if (!metrics) return;
    const outcomes = metrics.counter('hookline_events_total', 'Events recorded in the event log with an outcome: triggered, duplicate, skipped, parked, failed', ['outcome']);
    this.outcomes = outcomes;
    for (const status of OUTCOMES) outcomes.labels(status).inc(0);
    dataSource.subscribers.push({
      afterTransactionCommit: ({ queryRunner }) => {
        for (const status of this.pending.get(queryRunner) ?? []) outcomes.labels(status).inc();
        this.pending.delete(queryRunner);
      },
      afterTransactionRollback: ({ queryRunner }) => {
        this.pending.delete(queryRunner);
      },
    });
  }

  /** Records a status of an event; `before`: statements run with it, in the same round trip. */
  record(e: EventRecord, tx?: EntityManager, before: Statement[] = []): Promise<void> {
    return this.recordMany([e], tx ?? this.dataSource.manager, before);
  }

  /**
   * Records of several events (each event at most once) in one statement, with `before` in
   * the same round trip: the outcomes of a batch of journey starts.
   */
  async recordMany(records: EventRecord[], tx: EntityManager, before: Statement[] = []): Promise<void> {
    if (records.length === 0 && before.length === 0) return;
    const statements = records.length === 0 ? before : [...before, this.statementMany(records)];
    const { sql, params } = combineStatements(statements);
    await tx.query(sql, params);
    for (const r of records) this.count(r.status, tx);
  }

  /**
   * The upsert of several events' records (distinct event ids), as one statement, in event id
   * order like the accepted records' (two multi-row upserts lock rows in one order).
   */
  statementMany(records: EventRecord[]): Statement {
    const at = new Date().toISOString();
    const rows = [...records]
      .sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0))
      .map((e) => ({
        event_id: e.eventId,
        workspace_id: e.workspaceId,
        trigger_id: e.triggerId,
        status: e.status,
        rank: RANK[e.status],
        reason: e.reason ?? null,
        received_at: e.receivedAt,
        delivery_id: e.deliveryId ?? null,
        mapping_version: e.mappingVersion ?? null,
        output_event_id: e.outputEventId ?? null,
        customer_id: e.customerId ?? null,
        history: [{ status: e.status, reason: e.reason ?? null, at }],
        conflicts: e.conflicts?.length ? e.conflicts : null,
      }));
    // One JSON document of rows rather than an array per column: pg escapes every element of
    // an array parameter in JavaScript, Postgres parses one JSON text natively.
    return {
      sql: `INSERT INTO journey.events AS ev (${EVENT_COLUMNS})
       SELECT ${EVENT_COLUMNS} FROM json_to_recordset($1::json)
         AS t(event_id text, workspace_id text, trigger_id text, status text, rank smallint, reason text, received_at timestamptz, delivery_id text, mapping_version int, output_event_id text, customer_id text, history jsonb, conflicts jsonb)
       ${ON_EVENT_CONFLICT}`,
      params: [JSON.stringify(rows)],
    };
  }

  /**
   * An accepted request's event-log record, and its message kept for replay (`keep`) unless
   * an outcome that ends replay (triggered, duplicate) was recorded before it arrived.
   * Concurrent calls (the records of a batch being consumed) share one statement: atomic
   * without a transaction, one round trip for all; each call resolves when it has committed.
   */
  recordAccepted(e: EventRecord & { status: 'accepted' }, keep: { message: unknown; retentionSeconds: number } | null): Promise<void> {
    return this.accepted.add({ e, keep });
  }

  private readonly accepted = new Coalescer<{ e: EventRecord; keep: { message: unknown; retentionSeconds: number } | null }>(ACCEPTED_PER_STATEMENT, async (items) => {
    // One statement may not upsert one event twice: a second record of an event waits for the next.
    const seen = new Set<string>();
    const now: typeof items = [];
    const later: typeof items = [];
    for (const item of items) {
      if (seen.has(item.e.eventId)) later.push(item);
      else now.push(item);
      seen.add(item.e.eventId);
    }
    // In event id order, like the outcomes' upsert (statementMany): concurrent multi-row upserts lock rows in one order.
    now.sort((a, b) => (a.e.eventId < b.e.eventId ? -1 : a.e.eventId > b.e.eventId ? 1 : 0));
    const at = new Date().toISOString();
    const rows = now.map(({ e, keep }) => ({
      event_id: e.eventId,
      workspace_id: e.workspaceId,
      trigger_id: e.triggerId,
      reason: e.reason ?? null,
      received_at: e.receivedAt,
      delivery_id: e.deliveryId ?? null,
      history: [{ status: 'accepted', reason: e.reason ?? null, at }],
      message: keep ? keep.message : null,
      keep_seconds: keep?.retentionSeconds ?? 0,
    }));
    // One JSON document of rows (see statementMany): the kept messages hold whole bodies.
    await this.dataSource.query(
      `WITH input AS (
         SELECT * FROM json_to_recordset($1::json)
           AS t(event_id text, workspace_id text, trigger_id text, reason text, received_at timestamptz, delivery_id text, history jsonb, message jsonb, keep_seconds float8)
       ), recorded AS (
         INSERT INTO journey.events AS ev (event_id, workspace_id, trigger_id, status, rank, reason, received_at, delivery_id, history)
         SELECT event_id, workspace_id, trigger_id, 'accepted', ${RANK.accepted}, reason, received_at, delivery_id, history FROM input
         ${ON_EVENT_CONFLICT}
       )
       INSERT INTO journey.replayable (event_id, workspace_id, trigger_id, message, kept_until)
       SELECT event_id, workspace_id, trigger_id, message, now() + make_interval(secs => keep_seconds) FROM input
       WHERE message IS NOT NULL AND NOT EXISTS (SELECT 1 FROM journey.events done WHERE done.event_id = input.event_id AND done.status IN ('triggered', 'duplicate'))
       ON CONFLICT (event_id) DO NOTHING`,
      [JSON.stringify(rows)],
    );
    return later;
  });

  /** Outcomes recorded inside a transaction count when it commits. */
  private count(status: EventStatus, tx?: EntityManager): void {
    if (!this.outcomes || !OUTCOMES.has(status)) return;
    const runner = tx?.queryRunner;
    if (runner?.isTransactionActive) this.pending.set(runner, [...(this.pending.get(runner) ?? []), status]);
    else this.outcomes.labels(status).inc();
  }

  async page(workspaceId: string, triggerId: string, filter: { status?: EventStatus; cursor?: string; limit: number }): Promise<Page<EventLogEntry>> {
    const params: unknown[] = [workspaceId, triggerId];
    let where = 'workspace_id = $1 AND trigger_id = $2';
    if (filter.status) {
      params.push(filter.status);
      where += ` AND status = $${params.length}`;
    }
    if (filter.cursor) {
      const key = decodeCursor(filter.cursor);
      if (!key) throw badRequest('cursor is not valid');
      params.push(key.at, key.id);
      where += ` AND (received_at, event_id) < ($${params.length - 1}::timestamptz, $${params.length})`;
    }
    params.push(filter.limit + 1);
    const rows = (await this.dataSource.query(
      `SELECT event_id, status, reason, received_at, delivery_id, mapping_version, output_event_id, customer_id, conflicts, history
       FROM journey.events WHERE ${where} ORDER BY received_at DESC, event_id DESC LIMIT $${params.length}`,
      params,
    )) as EventRow[];
    const items = rows.slice(0, filter.limit).map((r) => ({
      eventId: r.event_id,
      status: r.status,
      reason: r.reason,
      receivedAt: r.received_at.toISOString(),
      deliveryId: r.delivery_id,
      mappingVersion: r.mapping_version,
      outputEventId: r.output_event_id,
      customerId: r.customer_id,
      ...(r.conflicts ? { conflicts: r.conflicts } : {}),
      history: r.history,
    }));
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > filter.limit && last ? encodeCursor({ at: last.receivedAt, id: last.eventId }) : null };
  }
}
