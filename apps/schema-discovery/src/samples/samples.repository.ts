import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor } from '@hookline/persistence';
import { badRequest } from '@hookline/http';
import { type DriftChange, type DriftKind, emptyProfile } from '@hookline/payload';
import { SampleEntity, TriggerProfileEntity } from './sample.entity';

/** Samples and profiles, always scoped by workspace and trigger. */
@Injectable()
export class SamplesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts the sample unless this event was stored before; true when inserted. */
  async insertOnce(s: SampleEntity, tx: EntityManager): Promise<boolean> {
    const rows = (await tx.query(
      `INSERT INTO discovery.samples (id, workspace_id, trigger_id, received_at, content_type, body_bytes, body, headers, query)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [s.id, s.workspaceId, s.triggerId, s.receivedAt, s.contentType, s.bodyBytes, s.body, JSON.stringify(s.headers), JSON.stringify(s.query)],
    )) as unknown[];
    return rows.length === 1;
  }

  /** Keeps the newest `keep` samples of a trigger within `maxBytes` in all (always the newest one). */
  async trim(triggerId: string, keep: number, maxBytes: number, tx: EntityManager): Promise<void> {
    await tx.query(
      `DELETE FROM discovery.samples WHERE trigger_id = $1 AND id IN (
         SELECT id FROM (
           SELECT id, row_number() OVER w AS n, sum(body_bytes) OVER w AS total
           FROM discovery.samples WHERE trigger_id = $1
           WINDOW w AS (ORDER BY received_at DESC, id DESC)
         ) ranked WHERE n > 1 AND (n > $2 OR total > $3))`,
      [triggerId, keep, maxBytes],
    );
  }

  async recordDrift(workspaceId: string, triggerId: string, eventId: string, at: Date, changes: DriftChange[], tx: EntityManager): Promise<void> {
    for (const c of changes) {
      await tx.query(
        `INSERT INTO discovery.drift (trigger_id, workspace_id, kind, path, types_before, types_after, first_seen_at, last_seen_at, first_event_id)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $7, $8)
         ON CONFLICT (trigger_id, kind, path) DO UPDATE SET last_seen_at = GREATEST(discovery.drift.last_seen_at, EXCLUDED.last_seen_at),
           types_after = EXCLUDED.types_after, occurrences = discovery.drift.occurrences + 1`,
        [triggerId, workspaceId, c.kind, c.path, JSON.stringify(c.typesBefore), JSON.stringify(c.typesAfter), at, eventId],
      );
    }
  }

  async drift(workspaceId: string, triggerId: string) {
    const rows = (await this.dataSource.query(
      `SELECT kind, path, types_before, types_after, first_seen_at, last_seen_at, occurrences, first_event_id
       FROM discovery.drift WHERE workspace_id = $1 AND trigger_id = $2 ORDER BY first_seen_at DESC, path`,
      [workspaceId, triggerId],
    )) as Array<{ kind: DriftKind; path: string; types_before: string[]; types_after: string[]; first_seen_at: Date; last_seen_at: Date; occurrences: number; first_event_id: string }>;
    return rows.map((r) => ({
      kind: r.kind,
      path: r.path,
      typesBefore: r.types_before,
      typesAfter: r.types_after,
      firstSeenAt: r.first_seen_at.toISOString(),
      lastSeenAt: r.last_seen_at.toISOString(),
      occurrences: r.occurrences,
      firstEventId: r.first_event_id,
    }));
  }

  async saveMappedPaths(workspaceId: string, triggerId: string, version: number, paths: string[], updatedAt: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO discovery.mapped_paths (trigger_id, workspace_id, mapping_version, paths, updated_at) VALUES ($1, $2, $3, $4::jsonb, $5)
       ON CONFLICT (trigger_id) DO UPDATE SET mapping_version = EXCLUDED.mapping_version, paths = EXCLUDED.paths, updated_at = EXCLUDED.updated_at
       WHERE discovery.mapped_paths.mapping_version <= EXCLUDED.mapping_version`,
      [triggerId, workspaceId, version, JSON.stringify(paths), updatedAt],
    );
  }

  async mappedPaths(workspaceId: string, triggerId: string): Promise<string[]> {
    const rows = (await this.dataSource.query('SELECT paths FROM discovery.mapped_paths WHERE workspace_id = $1 AND trigger_id = $2', [workspaceId, triggerId])) as Array<{ paths: string[] }>;
    return rows[0]?.paths ?? [];
  }

  /**
   * Locks the trigger's profile row for this transaction, creating an empty one first so
   * that two samples of a new trigger arriving together cannot both start from nothing.
   */
  async lockProfile(triggerId: string, workspaceId: string, tx: EntityManager): Promise<TriggerProfileEntity> {
    await tx.query(
      `INSERT INTO discovery.trigger_profiles (trigger_id, workspace_id, profile, updated_at) VALUES ($1, $2, $3::jsonb, now()) ON CONFLICT (trigger_id) DO NOTHING`,
      [triggerId, workspaceId, JSON.stringify(emptyProfile())],
    );
    return (await tx.getRepository(TriggerProfileEntity).createQueryBuilder('p').setLock('pessimistic_write').where('p.trigger_id = :triggerId', { triggerId }).getOne())!;
  }

  async saveProfile(profile: TriggerProfileEntity, tx: EntityManager): Promise<void> {
    await tx.getRepository(TriggerProfileEntity).save(profile);
  }

  findProfile(workspaceId: string, triggerId: string): Promise<TriggerProfileEntity | null> {
    return this.dataSource.getRepository(TriggerProfileEntity).findOne({ where: { workspaceId, triggerId } });
  }

  findSample(workspaceId: string, triggerId: string, id: string): Promise<SampleEntity | null> {
    return this.dataSource.getRepository(SampleEntity).findOne({ where: { workspaceId, triggerId, id } });
  }

  allSamples(workspaceId: string, triggerId: string, tx: EntityManager): Promise<SampleEntity[]> {
    return tx.getRepository(SampleEntity).find({ where: { workspaceId, triggerId }, order: { receivedAt: 'ASC', id: 'ASC' } });
  }

  async page(workspaceId: string, triggerId: string, cursor: string | undefined, limit: number) {
    const qb = this.dataSource.getRepository(SampleEntity).createQueryBuilder('s').where('s.workspace_id = :workspaceId AND s.trigger_id = :triggerId', { workspaceId, triggerId });
    if (cursor) {
      const key = decodeCursor(cursor);
      if (!key) throw badRequest('cursor is not valid');
      qb.andWhere('(s.received_at, s.id) < (:at, :id)', { at: key.at, id: key.id });
    }
    const rows = await qb.orderBy('s.received_at', 'DESC').addOrderBy('s.id', 'DESC').limit(limit + 1).getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor({ at: last.receivedAt.toISOString(), id: last.id }) : null };
  }

  async deleteSamples(workspaceId: string, triggerId: string, tx: EntityManager, sampleId?: string): Promise<number> {
    const result = await tx.getRepository(SampleEntity).delete(sampleId ? { workspaceId, triggerId, id: sampleId } : { workspaceId, triggerId });
    return result.affected ?? 0;
  }

  async forgetTrigger(triggerId: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.getRepository(SampleEntity).delete({ triggerId });
      await tx.getRepository(TriggerProfileEntity).delete({ triggerId });
      await tx.query('DELETE FROM discovery.drift WHERE trigger_id = $1', [triggerId]);
      await tx.query('DELETE FROM discovery.mapped_paths WHERE trigger_id = $1', [triggerId]);
    });
  }
}
