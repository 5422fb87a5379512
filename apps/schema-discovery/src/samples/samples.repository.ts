import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor } from '@hookline/persistence';
import { badRequest } from '@hookline/http';
import { emptyProfile } from '@hookline/payload';
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

  /** Deletes all but the newest `keep` samples of a trigger. */
  async trim(triggerId: string, keep: number, tx: EntityManager): Promise<void> {
    await tx.query(
      `DELETE FROM discovery.samples WHERE trigger_id = $1 AND id NOT IN (
         SELECT id FROM discovery.samples WHERE trigger_id = $1 ORDER BY received_at DESC, id DESC LIMIT $2)`,
      [triggerId, keep],
    );
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
    });
  }
}
