import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CatalogVariable } from '@hookline/contracts';
import type { MappingDefinition } from '@hookline/mapping-rules';
import { MappingEntity, TriggerCatalogEntity } from './mapping.entity';

@Injectable()
export class MappingsRepository {
  /** Reads of the newest version in flight, by trigger: callers that come while one runs share it. */
  private readonly reading = new Map<string, Promise<MappingEntity | null>>();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * The newest version for the hot path (one live event): concurrent events of one trigger
   * share one read, so a busy trigger costs a query per batch rather than per event. A caller
   * may get what a read begun up to one query's time before it arrived saw: a version saved
   * in that moment counts from the next read (which events of one trigger race anyway).
   */
  latestShared(triggerId: string): Promise<MappingEntity | null> {
    const inFlight = this.reading.get(triggerId);
    if (inFlight) return inFlight;
    const read = this.latest(triggerId).finally(() => this.reading.delete(triggerId));
    this.reading.set(triggerId, read);
    return read;
  }

  /** The newest version, read fresh each time (a save on another replica counts at once); raw SQL: this runs per live event. */
  async latest(triggerId: string, workspaceId?: string): Promise<MappingEntity | null> {
    const rows = (await this.dataSource.query(
      `SELECT trigger_id, version, workspace_id, definition, created_at FROM mapping.mappings
       WHERE trigger_id = $1 AND ($2::text IS NULL OR workspace_id = $2) ORDER BY version DESC LIMIT 1`,
      [triggerId, workspaceId ?? null],
    )) as Array<{ trigger_id: string; version: number; workspace_id: string; definition: MappingEntity['definition']; created_at: Date }>;
    const row = rows[0];
    return row ? Object.assign(new MappingEntity(), { triggerId: row.trigger_id, version: row.version, workspaceId: row.workspace_id, definition: row.definition, createdAt: row.created_at }) : null;
  }

  /**
   * Saves a new version (the next number); a concurrent save of the same version retries.
   * `beforeCommit` runs inside the transaction: when it throws, the version is not saved.
   */
  async addVersion(workspaceId: string, triggerId: string, definition: MappingDefinition, beforeCommit: (row: MappingEntity) => Promise<void>): Promise<MappingEntity> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.dataSource.transaction(async (tx) => {
          const [{ next }] = (await tx.query('SELECT COALESCE(MAX(version), 0) + 1 AS next FROM mapping.mappings WHERE trigger_id = $1', [triggerId])) as Array<{ next: number }>;
          const row: MappingEntity = { triggerId, version: Number(next), workspaceId, definition, createdAt: new Date() };
          await tx.query('INSERT INTO mapping.mappings (trigger_id, version, workspace_id, definition, created_at) VALUES ($1, $2, $3, $4, $5)', [
            row.triggerId,
            row.version,
            row.workspaceId,
            JSON.stringify(row.definition),
            row.createdAt,
          ]);
          await beforeCommit(row);
          return row;
        });
      } catch (error) {
        if ((error as { code?: string }).code !== '23505' || attempt >= 3) throw error;
      }
    }
  }

  async catalog(workspaceId: string, triggerId: string): Promise<CatalogVariable[] | null> {
    const row = await this.dataSource.getRepository(TriggerCatalogEntity).findOne({ where: { workspaceId, triggerId } });
    return row?.variables ?? null;
  }

  async saveCatalog(row: TriggerCatalogEntity): Promise<void> {
    await this.dataSource.getRepository(TriggerCatalogEntity).save(row);
  }

  async forgetTrigger(triggerId: string): Promise<void> {
    await this.dataSource.getRepository(TriggerCatalogEntity).delete({ triggerId });
  }
}
