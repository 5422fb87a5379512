import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { TriggerConfigV1, TriggerStatus, UnknownCustomerPolicy } from '@hookline/contracts';

/** journey-trigger's own copy of each trigger's settings, kept from the compacted config topic. */
@Injectable()
export class TriggersProjection {
  constructor(private readonly dataSource: DataSource) {}

  async apply(triggerId: string, config: TriggerConfigV1 | null): Promise<void> {
    if (config === null) {
      await this.dataSource.query('UPDATE journey.triggers SET deleted = true, updated_at = now() WHERE trigger_id = $1', [triggerId]);
      return;
    }
    await this.dataSource.query(
      `INSERT INTO journey.triggers (trigger_id, workspace_id, flow_id, status, unknown_customer, deleted, updated_at)
       VALUES ($1, $2, $3, $4, $5, false, $6)
       ON CONFLICT (trigger_id) DO UPDATE SET flow_id = EXCLUDED.flow_id, status = EXCLUDED.status,
         unknown_customer = EXCLUDED.unknown_customer, deleted = false, updated_at = EXCLUDED.updated_at
       WHERE journey.triggers.updated_at <= EXCLUDED.updated_at`,
      [config.triggerId, config.workspaceId, config.flowId, config.status, config.unknownCustomer, config.updatedAt],
    );
  }

  /** The trigger's current status and unknown-customer policy; null for a trigger never seen (or an API call). */
  async settingsOf(triggerId: string | null, tx?: EntityManager): Promise<{ status: TriggerStatus; unknownCustomer: UnknownCustomerPolicy; deleted: boolean } | null> {
    if (!triggerId) return null;
    const rows = (await (tx ?? this.dataSource.manager).query('SELECT status, unknown_customer, deleted FROM journey.triggers WHERE trigger_id = $1', [triggerId])) as Array<{
      status: TriggerStatus;
      unknown_customer: UnknownCustomerPolicy;
      deleted: boolean;
    }>;
    const row = rows[0];
    return row ? { status: row.status, unknownCustomer: row.unknown_customer, deleted: row.deleted } : null;
  }
}
