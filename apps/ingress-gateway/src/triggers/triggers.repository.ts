import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor } from '@hookline/persistence';
import { badRequest } from '@hookline/http';
import type { TriggerStatus } from '@hookline/contracts';
import { TriggerEntity } from './trigger.entity';

/** Triggers, always read within the caller's workspace. Deleted triggers are invisible. */
@Injectable()
export class TriggersRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(tx?: EntityManager) {
    return (tx ?? this.dataSource.manager).getRepository(TriggerEntity);
  }

  findInWorkspace(workspaceId: string, id: string, tx?: EntityManager): Promise<TriggerEntity | null> {
    return this.repo(tx).createQueryBuilder('t').where('t.id = :id AND t.workspace_id = :workspaceId AND t.deleted_at IS NULL', { id, workspaceId }).getOne();
  }

  /**
   * The same, with the row locked until the transaction ends: changes to one trigger are
   * made (and published on the config topic) one after the other, so `updatedAt` orders them.
   */
  lockInWorkspace(workspaceId: string, id: string, tx: EntityManager): Promise<TriggerEntity | null> {
    return this.repo(tx).createQueryBuilder('t').setLock('pessimistic_write').where('t.id = :id AND t.workspace_id = :workspaceId AND t.deleted_at IS NULL', { id, workspaceId }).getOne();
  }

  /** Every trigger not deleted, with the time of its last change (across workspaces: for reconciling the config topic). */
  async aliveVersions(): Promise<Array<{ id: string; updatedAt: Date }>> {
    const rows = await this.repo().createQueryBuilder('t').select(['t.id', 't.updatedAt']).where('t.deleted_at IS NULL').getMany();
    return rows.map((r) => ({ id: r.id, updatedAt: r.updatedAt }));
  }

  /** One trigger, locked, whatever its workspace (for reconciling). */
  lockAlive(id: string, tx: EntityManager): Promise<TriggerEntity | null> {
    return this.repo(tx).createQueryBuilder('t').setLock('pessimistic_write').where('t.id = :id AND t.deleted_at IS NULL', { id }).getOne();
  }

  async insert(t: TriggerEntity, tx: EntityManager): Promise<void> {
    await this.repo(tx).insert(t);
  }

  async save(t: TriggerEntity, tx: EntityManager): Promise<void> {
    await this.repo(tx).save(t);
  }

  async page(workspaceId: string, filter: { flowId?: string; status?: TriggerStatus; cursor?: string; limit: number }) {
    const qb = this.repo().createQueryBuilder('t').where('t.workspace_id = :workspaceId AND t.deleted_at IS NULL', { workspaceId });
    if (filter.flowId) qb.andWhere('t.flow_id = :flowId', { flowId: filter.flowId });
    if (filter.status) qb.andWhere('t.status = :status', { status: filter.status });
    if (filter.cursor) {
      const key = decodeCursor(filter.cursor);
      if (!key) throw badRequest('cursor is not valid');
      qb.andWhere('(t.created_at, t.id) < (:at, :id)', { at: key.at, id: key.id });
    }
    const rows = await qb.orderBy('t.created_at', 'DESC').addOrderBy('t.id', 'DESC').limit(filter.limit + 1).getMany();
    const items = rows.slice(0, filter.limit);
    const last = items[items.length - 1];
    const nextCursor = rows.length > filter.limit && last ? encodeCursor({ at: last.createdAt.toISOString(), id: last.id }) : null;
    return { items, nextCursor };
  }
}
